package org.beadstream.acquisition.frame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One preallocated frame: an off-heap buffer holding a raw int16 page (little-endian, row-major, x fastest) and the
 * page's header. Slots are made once (by the ring's factory or by a consumer that needs a scratch frame) and refilled
 * for every frame; nothing here allocates after construction.
 *
 * <pre>
 *   header (fields)                       data (off-heap, 64-byte aligned)
 *   +-----------------------------+       +--------------------------------------------+
 *   | sequence     ring position  |       | pixel (0,0) | pixel (1,0) | ... int16 LE   |
 *   | volume, plane               |       | ...                                        |
 *   | timestampNanos              |       | pixel (w-1,h-1)                            |
 *   | sourceFrameNumber           |       +--------------------------------------------+
 *   | width, height               |        capacity fixed at construction
 *   +-----------------------------+
 * </pre>
 *
 * <p>Not thread-safe: a slot belongs to one writer at a time; the ring's sequence barriers publish it safely to the
 * consumers, which only read it.
 */
public final class FrameSlot {

    /** Alignment of the data buffer in bytes (a cache line, and what OpenCL prefers for zero-copy). */
    public static final int ALIGNMENT = 64;

    /** Header value of {@link #sourceFrameNumber()} when the source reports none. */
    public static final long NO_FRAME_NUMBER = -1;

    private final ByteBuffer data;
    private final UnsafeBuffer buffer;
    private final int capacityBytes;

    private long sequence = -1;
    private long volume;
    private int plane;
    private long timestampNanos;
    private long sourceFrameNumber = NO_FRAME_NUMBER;
    private int width;
    private int height;

    /**
     * Allocates a slot able to hold any page of up to {@code capacityBytes} bytes.
     *
     * @param capacityBytes data capacity, positive and even
     */
    public FrameSlot(final int capacityBytes) {
        if (capacityBytes <= 0 || (capacityBytes & 1) != 0) {
            throw new IllegalArgumentException("frame capacity must be a positive even number of bytes, was "
                    + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.data = BufferUtil.allocateDirectAligned(capacityBytes, ALIGNMENT).order(ByteOrder.LITTLE_ENDIAN);
        this.buffer = new UnsafeBuffer(data);
    }

    /** Allocates a slot sized for one page of {@code geometry}. */
    public static FrameSlot forGeometry(final FrameGeometry geometry) {
        final FrameSlot slot = new FrameSlot(geometry.bytesPerPage());
        slot.setShape(geometry.width(), geometry.height());
        return slot;
    }

    /** The data as an Agrona buffer over the whole capacity (int16 little-endian pixels). */
    public UnsafeBuffer buffer() {
        return buffer;
    }

    /**
     * The data as a direct little-endian byte buffer over the whole capacity. Callers that change its position or
     * limit (channel writes, OpenCL uploads) must use {@link ByteBuffer#duplicate()} made once, or reset it: see
     * {@link #dataForWrite()}.
     */
    public ByteBuffer byteBuffer() {
        return data;
    }

    /** Sets the buffer's position to 0 and its limit to the page's byte length, and returns it (no allocation). */
    public ByteBuffer dataForWrite() {
        data.clear().limit(byteLength());
        return data;
    }

    /** Capacity of the data buffer in bytes. */
    public int capacityBytes() {
        return capacityBytes;
    }

    /** Bytes of the current page: width x height x 2. */
    public int byteLength() {
        return width * height * FrameGeometry.BYTES_PER_PIXEL;
    }

    /**
     * Sets the page shape of the current frame.
     *
     * @throws IllegalArgumentException if the page does not fit the slot
     */
    public FrameSlot setShape(final int width, final int height) {
        if (width < 1 || height < 1 || (long) width * height * FrameGeometry.BYTES_PER_PIXEL > capacityBytes) {
            throw new IllegalArgumentException("page of " + width + " x " + height + " int16 pixels does not fit a slot of "
                    + capacityBytes + " bytes");
        }
        this.width = width;
        this.height = height;
        return this;
    }

    /** Sets the header fields a source knows; the ring assigns the sequence. */
    public FrameSlot setHeader(final long volume, final int plane, final long timestampNanos,
            final long sourceFrameNumber) {
        this.volume = volume;
        this.plane = plane;
        this.timestampNanos = timestampNanos;
        this.sourceFrameNumber = sourceFrameNumber;
        return this;
    }

    /** Sets the ring sequence (0-based count of frames published by the producer). */
    public FrameSlot setSequence(final long sequence) {
        this.sequence = sequence;
        return this;
    }

    /** Pixel at column {@code x}, line {@code y} of the current page. */
    public short pixel(final int x, final int y) {
        return buffer.getShort((y * width + x) * 2, ByteOrder.LITTLE_ENDIAN);
    }

    /** Sets the pixel at column {@code x}, line {@code y}. */
    public void setPixel(final int x, final int y, final short value) {
        buffer.putShort((y * width + x) * 2, value, ByteOrder.LITTLE_ENDIAN);
    }

    /** Copies the header and page of {@code other} into this slot (no allocation). */
    public void copyFrom(final FrameSlot other) {
        setShape(other.width, other.height);
        buffer.putBytes(0, other.buffer, 0, other.byteLength());
        this.sequence = other.sequence;
        this.volume = other.volume;
        this.plane = other.plane;
        this.timestampNanos = other.timestampNanos;
        this.sourceFrameNumber = other.sourceFrameNumber;
    }

    /** Ring sequence of this frame, -1 before the first publication. */
    public long sequence() {
        return sequence;
    }

    /** 0-based volume index within the stream. */
    public long volume() {
        return volume;
    }

    /** 0-based plane (ScanImage channel) index within the volume, in acquisition order. */
    public int plane() {
        return plane;
    }

    /** Acquisition time in nanoseconds (source clock; monotonic within a stream). */
    public long timestampNanos() {
        return timestampNanos;
    }

    /** The source's own frame number (ScanImage frameNumbers, camera image number), or {@link #NO_FRAME_NUMBER}. */
    public long sourceFrameNumber() {
        return sourceFrameNumber;
    }

    /** Page width in pixels. */
    public int width() {
        return width;
    }

    /** Page height in lines. */
    public int height() {
        return height;
    }

    @Override
    public String toString() {
        return "FrameSlot{seq=" + sequence + ", volume=" + volume + ", plane=" + plane + ", " + width + "x" + height
                + ", t=" + timestampNanos + "ns, sourceFrame=" + sourceFrameNumber + "}";
    }
}
