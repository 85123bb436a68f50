package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code fft_lines}: in-place complex FFTs of one power-of-two length along many lines
 * (rows or columns) of a batch of interleaved complex float arrays. Forward is unscaled; inverse is multiplied by
 * {@code scale} (pass {@code 1f / n} for a normalised inverse). CPU reference: {@link FftReference#lines}.
 *
 * <p>Not thread-safe (owns one kernel object): one instance per stage thread. Owns a twiddle table buffer, released by
 * {@link #close()}.
 */
public final class FftLinesKernel implements AutoCloseable {

    private final int n;
    private final int linesPerGroup;
    private final ClKernel kernel;
    private final DeviceBuffer twiddles;

    /**
     * Builds the kernel for length {@code n} and lines that lie next to each other in memory ({@code columns}: the
     * columns of a row-major array, loaded so that neighbouring work-items read neighbouring addresses) or not
     * (rows).
     *
     * @param cl      the runtime
     * @param n       FFT length: a power of two, 8 to 4096
     * @param columns true for column passes (line stride 1), false for row passes (element stride 1)
     */
    public FftLinesKernel(final OpenClRuntime cl, final int n, final boolean columns) {
        if (n < 8 || n > 4096 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT length must be a power of two from 8 to 4096, was " + n);
        }
        this.n = n;
        final long maxGroup = cl.device().maxWorkGroupSize();
        if (n / 8 > maxGroup) {
            throw new IllegalArgumentException("FFT length " + n + " needs work-groups of " + n / 8 + " on "
                    + cl.deviceName() + ", which allows at most " + maxGroup);
        }
        // two float2 buffers of lines x n in local memory, using at most half of it
        final long budget = Math.max(1, cl.device().localMemBytes() / 2 / (16L * n));
        int lines = columns ? 16 : Math.max(1, Math.min(16, 1024 / n));
        while (lines > 1 && ((long) lines * (n / 8) > maxGroup || lines > budget)) {
            lines /= 2;
        }
        this.linesPerGroup = lines;
        this.kernel = cl.kernel("fft_lines", Defines.of("FFT_N", n).with("FFT_LOG2N", Integer.numberOfTrailingZeros(n))
                .with("LINES", lines).with("COLUMNS", columns ? 1 : 0));
        this.twiddles = cl.buffer("fft twiddles " + n, 8L * n);
        twiddles.upload(cl.queue(), FftReference.twiddles(n));
    }

    /** The FFT length. */
    public int length() {
        return n;
    }

    /** Lines transformed by one work-group; the total number of lines must be a multiple of it. */
    public int linesPerGroup() {
        return linesPerGroup;
    }

    /**
     * Enqueues the transform of {@code batches * linesPerBatch} lines (strides in complex elements).
     *
     * @param inverse false: forward (unscaled); true: inverse times {@code scale}
     */
    public void run(final CommandQueue q, final DeviceBuffer data, final int lineStride, final int elemStride,
            final int linesPerBatch, final int batchStride, final int batches, final boolean inverse,
            final float scale) {
        run(q, data, 0, lineStride, elemStride, linesPerBatch, batchStride, batches, inverse, scale);
    }

    /**
     * As {@link #run(CommandQueue, DeviceBuffer, int, int, int, int, int, boolean, float)} with the first line of
     * the first batch at complex element {@code offset} (e.g. to transform only some columns).
     */
    public void run(final CommandQueue q, final DeviceBuffer data, final int offset, final int lineStride,
            final int elemStride, final int linesPerBatch, final int batchStride, final int batches,
            final boolean inverse, final float scale) {
        final int total = batches * linesPerBatch;
        if (linesPerBatch % linesPerGroup != 0) {
            throw new IllegalArgumentException("fft_lines: " + linesPerBatch + " lines per batch is not a multiple of"
                    + " the " + linesPerGroup + " lines per work-group for length " + n);
        }
        kernel.arg(0, data).arg(1, twiddles).arg(2, lineStride).arg(3, elemStride).arg(4, linesPerBatch)
                .arg(5, batchStride).arg(6, inverse ? 1 : 0).arg(7, scale).arg(8, offset);
        kernel.launch(q, n / 8, total, n / 8, linesPerGroup);
    }

    @Override
    public void close() {
        kernel.close();
        twiddles.close();
    }
}
