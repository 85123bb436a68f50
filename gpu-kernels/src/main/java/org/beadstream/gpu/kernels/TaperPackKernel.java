package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code taper_pack}: cuts blocks out of a batch of frames (optionally moved by each frame's
 * rounded rigid shift), removes each block's mean, applies the separable edge taper and packs blocks two by two into
 * complex arrays for the FFT; writes per-block statistics (mean, standard deviation, non-finite count). CPU
 * reference: {@link TaperPackReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class TaperPackKernel implements AutoCloseable {

    private final ClKernel kernel;
    private final int blockHeight;
    private final int blockWidth;
    private final int wg;

    /**
     * @param blockHeight block rows
     * @param blockWidth  block columns
     * @param int16       true for int16 frames, false for float frames
     */
    public TaperPackKernel(final OpenClRuntime cl, final int blockHeight, final int blockWidth, final boolean int16) {
        this.wg = Math.min(256, Integer.highestOneBit(blockWidth));
        Defines d = Defines.of("BY", blockHeight).with("BX", blockWidth).with("WG", wg);
        if (int16) {
            d = d.with("INPUT_SHORT");
        }
        this.blockHeight = blockHeight;
        this.blockWidth = blockWidth;
        this.kernel = cl.kernel("taper_pack", d);
    }

    /** Block rows. */
    public int blockHeight() {
        return blockHeight;
    }

    /** Block columns. */
    public int blockWidth() {
        return blockWidth;
    }

    /**
     * Enqueues the packing of {@code nMaps} blocks ({@code ceil(nMaps / 2)} complex arrays written to {@code out}).
     *
     * @param frames         frames, int16 or float as built, {@code height x width} each
     * @param origins        int2 per block of a frame: (y, x) of its top-left corner
     * @param shifts         float4 per frame (dy, dx, ...) used when {@code useShift}; any buffer otherwise
     * @param taper          {@code blockHeight + blockWidth} floats: the y taper then the x taper
     * @param stats          float4 per block: mean, standard deviation, non-finite count, 0
     */
    public void run(final CommandQueue q, final DeviceBuffer frames, final int height, final int width,
            final int blocksPerFrame, final int nMaps, final DeviceBuffer origins, final DeviceBuffer shifts,
            final boolean useShift, final DeviceBuffer taper, final DeviceBuffer out, final DeviceBuffer stats) {
        kernel.arg(0, frames).arg(1, height).arg(2, width).arg(3, blocksPerFrame).arg(4, nMaps).arg(5, origins)
                .arg(6, shifts).arg(7, useShift ? 1 : 0).arg(8, taper).arg(9, out).arg(10, stats);
        kernel.launch(q, (long) wg * ((nMaps + 1) / 2), wg);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
