package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code frame_correlation}: Pearson correlation of each (registered) frame with the
 * template over the interior, a per-frame registration quality measure. CPU reference:
 * {@link FrameCorrelationReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class FrameCorrelationKernel implements AutoCloseable {

    private static final int WG = 256;

    private final ClKernel kernel;

    public FrameCorrelationKernel(final OpenClRuntime cl) {
        this.kernel = cl.kernel("frame_correlation", Defines.of("WG", WG));
    }

    /** Enqueues the correlation of {@code count} float frames with {@code template}; one float per frame out. */
    public void run(final CommandQueue q, final DeviceBuffer frames, final DeviceBuffer template, final int height,
            final int width, final int border, final float templateMean, final DeviceBuffer out, final int count) {
        if (2 * border >= Math.min(height, width)) {
            throw new IllegalArgumentException("correlation border " + border + " leaves nothing of a " + height
                    + " x " + width + " frame");
        }
        kernel.arg(0, frames).arg(1, template).arg(2, height).arg(3, width).arg(4, border).arg(5, templateMean)
                .arg(6, out);
        kernel.launch(q, (long) WG * count, WG);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
