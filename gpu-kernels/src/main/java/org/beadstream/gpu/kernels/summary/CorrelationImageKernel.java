package org.beadstream.gpu.kernels.summary;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of {@code correlation_image.cl}: turns the accumulators of {@link SummaryMomentsKernel} into 4
 * images (mean, std, max, local correlation with the 8 neighbours). Reference: {@link SummaryReference}.
 *
 * <p>Not thread-safe (kernel arguments are state): one instance per queue/thread.
 */
public final class CorrelationImageKernel implements AutoCloseable {

    private final ClKernel kernel;

    /** Builds (or takes from the cache) the kernel. */
    public CorrelationImageKernel(final OpenClRuntime cl) {
        this.kernel = cl.kernel("correlation_image", Defines.NONE);
    }

    /**
     * Enqueues the finalisation.
     *
     * @param acc     accumulators after {@code nFrames} frames
     * @param ref     the reference frame used while accumulating
     * @param nFrames frames accumulated, at least 1
     * @param out     {@code 4 x width x height} floats: mean, std, max, correlation
     */
    public void run(final CommandQueue q, final DeviceBuffer acc, final DeviceBuffer ref, final int nFrames,
            final int width, final int height, final DeviceBuffer out) {
        if (nFrames < 1) {
            throw new IllegalArgumentException("correlation_image needs at least 1 accumulated frame, got " + nFrames);
        }
        kernel.arg(0, acc).arg(1, ref).arg(2, nFrames).arg(3, width).arg(4, height).arg(5, out)
                .launch(q, SummaryMomentsKernel.roundUp((long) width * height, 64), 64);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
