package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * In-place 2-D complex FFTs of a batch of {@code height x width} interleaved complex arrays (row-major), made of
 * two {@link FftLinesKernel} passes (rows, then columns). Forward unscaled; inverse normalised by
 * {@code 1 / (height * width)}. CPU reference: {@link FftReference#fft2d}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class Fft2d implements AutoCloseable {

    private final int height;
    private final int width;
    private final FftLinesKernel rows;
    private final FftLinesKernel cols;

    /** Builds the passes for arrays of {@code height x width} (powers of two, 8 to 4096). */
    public Fft2d(final OpenClRuntime cl, final int height, final int width) {
        this.height = height;
        this.width = width;
        this.rows = new FftLinesKernel(cl, width, false);
        this.cols = new FftLinesKernel(cl, height, true);
    }

    /** Rows of each array. */
    public int height() {
        return height;
    }

    /** Columns of each array. */
    public int width() {
        return width;
    }

    /** Enqueues the forward transform of {@code batches} consecutive arrays in {@code data}. */
    public void forward(final CommandQueue q, final DeviceBuffer data, final int batches) {
        rows.run(q, data, width, 1, height, height * width, batches, false, 1f);
        cols.run(q, data, 1, width, width, height * width, batches, false, 1f);
    }

    /** Enqueues the normalised inverse transform of {@code batches} consecutive arrays in {@code data}. */
    public void inverse(final CommandQueue q, final DeviceBuffer data, final int batches) {
        rows.run(q, data, width, 1, height, height * width, batches, true, 1f / width);
        cols.run(q, data, 1, width, width, height * width, batches, true, 1f / height);
    }

    /**
     * Enqueues a normalised inverse transform that is exact only in columns {@code [0, keep)} and
     * {@code [width - keep, width)} (every row is inverted, then only those columns): enough to read a correlation
     * map within {@code |dx| < keep} at a fraction of the cost. Other columns hold partial results.
     *
     * @param keep columns kept on each side: a multiple of {@link #columnGroup()}, at most {@code width / 2}
     */
    public void inverseWindow(final CommandQueue q, final DeviceBuffer data, final int batches, final int keep) {
        if (keep % cols.linesPerGroup() != 0 || keep <= 0 || 2 * keep > width) {
            throw new IllegalArgumentException("kept columns must be a positive multiple of " + cols.linesPerGroup()
                    + " and at most half of " + width + ", was " + keep);
        }
        rows.run(q, data, width, 1, height, height * width, batches, true, 1f / width);
        if (2 * keep == width) {
            cols.run(q, data, 1, width, width, height * width, batches, true, 1f / height);
            return;
        }
        cols.run(q, data, 0, 1, width, keep, height * width, batches, true, 1f / height);
        cols.run(q, data, width - keep, 1, width, keep, height * width, batches, true, 1f / height);
    }

    /** Columns transformed together by one work-group (the granularity of {@link #inverseWindow}). */
    public int columnGroup() {
        return cols.linesPerGroup();
    }

    @Override
    public void close() {
        rows.close();
        cols.close();
    }
}
