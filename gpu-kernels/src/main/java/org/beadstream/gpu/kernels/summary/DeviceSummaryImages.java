package org.beadstream.gpu.kernels.summary;

import java.util.Arrays;

import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Summary images of one plane size on the device, one pass over the frames: {@link #reset()}, then
 * {@link #add(float[], int, int)} chunks of frames as they come (the first frame becomes the reference), then
 * {@link #finish(float[])} for mean, std, max and local correlation. Buffers are allocated once at construction
 * (chunk buffer, 7 accumulator planes, reference frame, 4 output planes: {@code 4 (chunk + 12) x pixels} bytes).
 *
 * <p>Float32 accumulation: relative error of the correlation about 1e-5 for windows of a few hundred frames, growing
 * slowly with length (the reference frame shift keeps sums of products well conditioned).
 *
 * <p>Not thread-safe: one instance per thread (it owns a queue's worth of kernel state).
 */
public final class DeviceSummaryImages implements AutoCloseable {

    private final int width;
    private final int height;
    private final int chunkFrames;
    private final CommandQueue queue;
    private final SummaryMomentsKernel moments;
    private final CorrelationImageKernel correlation;
    private final DeviceBuffer chunk;
    private final DeviceBuffer acc;
    private final DeviceBuffer ref;
    private final DeviceBuffer out;
    private final float[] init;
    private int frames;

    /**
     * Allocates the buffers and builds the kernels.
     *
     * @param cl          the runtime
     * @param width       plane width, pixels
     * @param height      plane height, pixels
     * @param chunkFrames frames uploaded per launch, at least 1
     */
    public DeviceSummaryImages(final OpenClRuntime cl, final int width, final int height, final int chunkFrames) {
        if (width < 1 || height < 1 || chunkFrames < 1) {
            throw new IllegalArgumentException("summary images need a plane of at least 1 x 1 and chunks of at least 1"
                    + " frame, got " + width + " x " + height + " and " + chunkFrames);
        }
        this.width = width;
        this.height = height;
        this.chunkFrames = chunkFrames;
        this.queue = cl.queue();
        final long px = (long) width * height;
        this.moments = new SummaryMomentsKernel(cl);
        this.correlation = new CorrelationImageKernel(cl);
        this.chunk = cl.buffer("summary chunk", 4L * px * chunkFrames);
        this.acc = cl.buffer("summary accumulators", 4L * px * SummaryMomentsKernel.ACCUMULATOR_PLANES);
        this.ref = cl.buffer("summary reference frame", 4L * px);
        this.out = cl.buffer("summary images", 4L * px * 4);
        this.init = new float[(int) px * SummaryMomentsKernel.ACCUMULATOR_PLANES];
        Arrays.fill(init, 2 * (int) px, 3 * (int) px, Float.NEGATIVE_INFINITY);
        reset();
    }

    /** Starts a new window. */
    public void reset() {
        acc.upload(queue, init);
        frames = 0;
    }

    /**
     * Adds {@code count} frames of {@code movie} starting at frame {@code first} (frame-major, width x height each),
     * in chunks of at most {@code chunkFrames}.
     */
    public void add(final float[] movie, final int first, final int count) {
        final int px = width * height;
        if (first < 0 || count < 0 || (long) (first + count) * px > movie.length) {
            throw new IllegalArgumentException("frames [" + first + ", " + (first + count) + ") are outside a movie of "
                    + movie.length / px + " frames of " + width + " x " + height);
        }
        if (count == 0) {
            return;
        }
        if (frames == 0) {
            ref.upload(queue, movie, first * px, px, 0);
        }
        for (int t = 0; t < count; t += chunkFrames) {
            final int n = Math.min(chunkFrames, count - t);
            chunk.upload(queue, movie, (first + t) * px, n * px, 0);
            moments.run(queue, chunk, n, width, height, ref, acc);
        }
        frames += count;
    }

    /** Frames added since the last reset. */
    public int frames() {
        return frames;
    }

    /**
     * Computes the images into {@code dst}: 4 planes of width x height: mean, std, max, correlation.
     *
     * @throws IllegalStateException when no frame was added
     */
    public void finish(final float[] dst) {
        if (frames == 0) {
            throw new IllegalStateException("no frames added: summary images need at least 1 frame");
        }
        correlation.run(queue, acc, ref, frames, width, height, out);
        out.download(queue, 0, dst, 0, 4 * width * height);
    }

    @Override
    public void close() {
        moments.close();
        correlation.close();
        chunk.close();
        acc.close();
        ref.close();
        out.close();
    }
}
