package org.beadstream.acquisition.assembly;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One assembled volume: {@code planes} float32 images of {@code width x height}, depth-ordered (0 = top), in one
 * off-heap, 64-byte-aligned, little-endian buffer (plane after plane, row-major) ready for an OpenCL upload; plus the
 * volume's index and time, and which planes have been filled. Made once and refilled by {@link VolumeAssembler}.
 *
 * <p>Why float32: the subpixel scan-phase correction and fractional plane offsets produce non-integer values, and
 * registration works in float; rounding back to int16 would add error for no gain (memory is 2x int16, fine at
 * these sizes).
 *
 * <p>Not thread-safe: one writer at a time; publish to readers through the ring or another happens-before edge.
 */
public final class AssembledVolume {

    private final int planes;
    private final int width;
    private final int height;
    private final ByteBuffer data;
    private final UnsafeBuffer buffer;
    private final FloatBuffer[] planeViews;
    private final boolean[] filled;
    private int filledCount;
    private long volume = -1;
    private long timestampNanos;

    /** Allocates a volume of {@code planes} planes of {@code width x height}. */
    public AssembledVolume(final int planes, final int width, final int height) {
        if (planes < 1 || width < 1 || height < 1 || (long) planes * width * height * 4 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("assembled volume must be 1..2 GiB with positive sizes, was " + planes
                    + " planes of " + width + " x " + height);
        }
        this.planes = planes;
        this.width = width;
        this.height = height;
        this.data = BufferUtil.allocateDirectAligned(planes * width * height * 4, 64).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer = new UnsafeBuffer(data);
        this.planeViews = new FloatBuffer[planes];
        final int planeBytes = width * height * 4;
        for (int d = 0; d < planes; d++) {
            final ByteBuffer b = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            b.position(d * planeBytes).limit((d + 1) * planeBytes);
            planeViews[d] = b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        }
        this.filled = new boolean[planes];
    }

    /** Number of planes (depths). */
    public int planes() {
        return planes;
    }

    /** Plane width in pixels. */
    public int width() {
        return width;
    }

    /** Plane height in pixels. */
    public int height() {
        return height;
    }

    /** The whole volume as one direct little-endian buffer (plane-major, row-major). */
    public ByteBuffer byteBuffer() {
        return data;
    }

    /** The whole volume as an Agrona buffer. */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    /** Depth {@code depth}'s plane as a float view (absolute indexing: {@code get(y * width + x)}). */
    public FloatBuffer plane(final int depth) {
        return planeViews[depth];
    }

    /** Pixel (x, y) of depth {@code depth}. */
    public float get(final int depth, final int x, final int y) {
        return buffer.getFloat(((depth * height + y) * width + x) * 4, ByteOrder.LITTLE_ENDIAN);
    }

    void put(final int depth, final int x, final int y, final float v) {
        buffer.putFloat(((depth * height + y) * width + x) * 4, v, ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies depth {@code depth}'s plane into {@code dst} (length at least width x height). */
    public void copyPlane(final int depth, final float[] dst) {
        final FloatBuffer p = planeViews[depth];
        p.get(0, dst, 0, width * height);
    }

    /** 0-based volume index, -1 before the first page. */
    public long volume() {
        return volume;
    }

    /** Time of the volume's first page, nanoseconds (source clock). */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** Whether every plane of the current volume has been filled. */
    public boolean isComplete() {
        return filledCount == planes;
    }

    /** Whether depth {@code depth} of the current volume has been filled. */
    public boolean isFilled(final int depth) {
        return filled[depth];
    }

    /** Starts volume {@code volume} at {@code timestampNanos}: marks every plane unfilled. */
    void begin(final long newVolume, final long newTimestampNanos) {
        this.volume = newVolume;
        this.timestampNanos = newTimestampNanos;
        for (int d = 0; d < planes; d++) {
            filled[d] = false;
        }
        filledCount = 0;
    }

    void markFilled(final int depth) {
        if (!filled[depth]) {
            filled[depth] = true;
            filledCount++;
        }
    }
}
