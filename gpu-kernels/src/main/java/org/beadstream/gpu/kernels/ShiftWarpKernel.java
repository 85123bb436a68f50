package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code shift_warp}: applies a shift field (bilinear interpolation of a coarse grid of
 * shifts) to a batch of frames with bilinear resampling; source coordinates are clamped (edges repeat). CPU
 * reference: {@link ShiftWarpReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class ShiftWarpKernel implements AutoCloseable {

    private final ClKernel kernel;

    /** @param int16 true for int16 input frames, false for float */
    public ShiftWarpKernel(final OpenClRuntime cl, final boolean int16) {
        this.kernel = cl.kernel("shift_warp", int16 ? Defines.of("INPUT_SHORT", 1) : Defines.NONE);
    }

    /**
     * Enqueues the warp of {@code frames} frames.
     *
     * @param grid  float2 (dy, dx) per grid node, {@code gy x gx} per frame
     * @param gridY grid row coordinate of each frame row ({@code height} floats)
     * @param gridX grid column coordinate of each frame column ({@code width} floats)
     * @param out   float frames
     */
    public void run(final CommandQueue q, final DeviceBuffer in, final int height, final int width,
            final DeviceBuffer grid, final int gy, final int gx, final DeviceBuffer gridY, final DeviceBuffer gridX,
            final DeviceBuffer out, final int frames) {
        kernel.arg(0, in).arg(1, height).arg(2, width).arg(3, grid).arg(4, gy).arg(5, gx).arg(6, gridY)
                .arg(7, gridX).arg(8, out);
        kernel.launch3(q, width, height, frames);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
