package org.beadstream.gpu.kernels.summary;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of {@code summary_moments.cl}: adds a chunk of frames to the 7 per-pixel accumulators (sum, sum of
 * squares, max, and products with 4 forward neighbours, all shifted by a reference frame). Reference:
 * {@link SummaryReference}.
 *
 * <p>Not thread-safe (kernel arguments are state): one instance per queue/thread.
 */
public final class SummaryMomentsKernel implements AutoCloseable {

    /** Number of accumulator planes in the {@code acc} buffer. */
    public static final int ACCUMULATOR_PLANES = 7;

    private final ClKernel kernel;

    /** Builds (or takes from the cache) the kernel. */
    public SummaryMomentsKernel(final OpenClRuntime cl) {
        this.kernel = cl.kernel("summary_moments", Defines.NONE);
    }

    /**
     * Enqueues one chunk.
     *
     * @param frames  {@code nFrames x width x height} floats
     * @param nFrames frames in the chunk, at least 1
     * @param ref     the reference frame ({@code width x height})
     * @param acc     {@code 7 x width x height} accumulators (zero, and {@code -inf} in plane 2, before the first
     *                chunk)
     */
    public void run(final CommandQueue q, final DeviceBuffer frames, final int nFrames, final int width,
            final int height, final DeviceBuffer ref, final DeviceBuffer acc) {
        if (nFrames < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("summary_moments needs at least 1 frame of at least 1 x 1, got "
                    + nFrames + " frames of " + width + " x " + height);
        }
        final long pixels = (long) width * height;
        kernel.arg(0, frames).arg(1, nFrames).arg(2, width).arg(3, height).arg(4, ref).arg(5, acc)
                .launch(q, roundUp(pixels, 64), 64);
    }

    static long roundUp(final long n, final long m) {
        return (n + m - 1) / m * m;
    }

    @Override
    public void close() {
        kernel.close();
    }
}
