package org.beadstream.acquisition.tiff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.beadstream.acquisition.frame.FrameSlot;

/**
 * Writes uncompressed int16 pages to a little-endian TIFF or BigTIFF file, one strip per page, streaming: each page is
 * written as its IFD, its ImageDescription, then its pixels, and the previous IFD's next-offset is patched in place.
 * An optional prelude block right after the file header holds text that every page points to (ScanImage puts its
 * SI.* header and ROI JSON there and points the Software and Artist tags of every page into it).
 *
 * <pre>
 *   offset 0   header (8 or 16 bytes)
 *              prelude (optional, caller's bytes)
 *              IFD 0 | description 0 | pixels 0
 *              IFD 1 | description 1 | pixels 1
 *              ...
 * </pre>
 *
 * <p>Not thread-safe: one thread writes. Reuses one IFD buffer; writing a page allocates only the description's bytes.
 */
public final class TiffWriter implements AutoCloseable {

    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int ASCII = 2;
    private static final int LONG8 = 16;
    private static final int RATIONAL = 5;

    private final Path file;
    private final FileChannel channel;
    private final boolean big;
    private final long preludeOffset;
    private final ByteBuffer ifd = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
    private final int[] sharedTags = new int[2];
    private final long[] sharedOffsets = new long[2];
    private final int[] sharedLengths = new int[2];
    private int sharedCount;
    private long position;
    private long nextPointerAt;
    private long pages;
    private boolean closed;

    private TiffWriter(final Path file, final FileChannel channel, final boolean big, final byte[] prelude)
            throws IOException {
        this.file = file;
        this.channel = channel;
        this.big = big;
        final ByteBuffer head = ByteBuffer.allocate(big ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I');
        if (big) {
            head.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
            nextPointerAt = 8;
        } else {
            head.putShort((short) 42).putInt(0);
            nextPointerAt = 4;
        }
        head.flip();
        position = writeAt(head, 0);
        preludeOffset = position;
        if (prelude != null && prelude.length > 0) {
            position = writeAt(ByteBuffer.wrap(prelude), position);
        }
    }

    /**
     * Creates (or truncates) {@code file}.
     *
     * @param bigTiff BigTIFF (64-bit offsets, any size) rather than classic TIFF (files under 4 GiB)
     * @param prelude bytes to place right after the header, or null
     */
    public static TiffWriter create(final Path file, final boolean bigTiff, final byte[] prelude) {
        try {
            final FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            return new TiffWriter(file, ch, bigTiff, prelude);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot create TIFF file: " + e.getMessage(), e);
        }
    }

    /** File offset of the prelude (8 for TIFF, 16 for BigTIFF). */
    public long preludeOffset() {
        return preludeOffset;
    }

    /**
     * Makes every page written from now on carry text tag {@code tag} (Software 305 or Artist 315) pointing at
     * {@code length} bytes (including the NUL) at file offset {@code offset}, typically inside the prelude.
     */
    public void shareText(final int tag, final long offset, final int length) {
        if (tag != TiffReader.TAG_SOFTWARE && tag != TiffReader.TAG_ARTIST) {
            throw new IllegalArgumentException("only Software (305) and Artist (315) can be shared, was " + tag);
        }
        if (offset < 0 || length < 1) {
            throw new IllegalArgumentException("shared text needs offset >= 0 and length >= 1, was " + offset + ", "
                    + length);
        }
        for (int i = 0; i < sharedCount; i++) {
            if (sharedTags[i] == tag) {
                sharedOffsets[i] = offset;
                sharedLengths[i] = length;
                return;
            }
        }
        sharedTags[sharedCount] = tag;
        sharedOffsets[sharedCount] = offset;
        sharedLengths[sharedCount] = length;
        sharedCount++;
    }

    /** Writes the page held by {@code slot} with an optional ImageDescription (null for none). */
    public void writePage(final FrameSlot slot, final String description) {
        writePage(slot.dataForWrite(), slot.width(), slot.height(), description);
        slot.byteBuffer().clear();
    }

    /**
     * Writes a page of {@code width x height} int16 little-endian pixels taken from {@code pixels}' position (its
     * position is advanced past them).
     */
    public void writePage(final ByteBuffer pixels, final int width, final int height, final String description) {
        if (closed) {
            throw new IllegalStateException(file + ": writer is closed");
        }
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("page size must be positive, was " + width + " x " + height);
        }
        final long bytes = (long) width * height * 2;
        if (pixels.remaining() < bytes) {
            throw new IllegalArgumentException("page of " + width + " x " + height + " needs " + bytes
                    + " bytes, the buffer has " + pixels.remaining());
        }
        if (!big && position + bytes + 4096 + (description == null ? 0 : description.length() * 3L) > 0xFFFFFFFFL) {
            throw new IllegalStateException(file + ": a classic TIFF cannot exceed 4 GiB; use BigTIFF");
        }
        final byte[] desc = description == null ? null : (description + '\0').getBytes(StandardCharsets.UTF_8);
        final int entries = 13 + (desc != null ? 1 : 0) + sharedCount;
        final int entrySize = big ? 20 : 12;
        final int ifdBytes = (big ? 8 : 2) + entries * entrySize + (big ? 8 : 4);
        final long ifdAt = position + (position & 1);
        final long descAt = ifdAt + ifdBytes + 16;
        final long resolutionAt = ifdAt + ifdBytes;
        final long pixelsAt = align(descAt + (desc == null ? 0 : desc.length), 16);
        ifd.clear();
        if (big) {
            ifd.putLong(entries);
        } else {
            ifd.putShort((short) entries);
        }
        // entries in ascending tag order
        entry(254, LONG, 1, 0);
        entry(256, LONG, 1, width);
        entry(257, LONG, 1, height);
        entry(258, SHORT, 1, 16);
        entry(259, SHORT, 1, 1);
        entry(262, SHORT, 1, 1);
        if (desc != null) {
            entry(270, ASCII, desc.length, desc.length <= (big ? 8 : 4) ? inline(desc) : descAt);
        }
        entry(273, big ? LONG8 : LONG, 1, pixelsAt);
        entry(277, SHORT, 1, 1);
        entry(278, LONG, 1, height);
        entry(279, big ? LONG8 : LONG, 1, bytes);
        entry(282, RATIONAL, 1, resolutionAt);
        entry(283, RATIONAL, 1, resolutionAt + 8);
        for (int t = TiffReader.TAG_SOFTWARE; t <= TiffReader.TAG_ARTIST; t++) {
            for (int i = 0; i < sharedCount; i++) {
                if (sharedTags[i] == t) {
                    entry(t, ASCII, sharedLengths[i], sharedOffsets[i]);
                }
            }
        }
        entry(339, SHORT, 1, 2);
        if (big) {
            ifd.putLong(0);
        } else {
            ifd.putInt(0);
        }
        ifd.putInt(1).putInt(1).putInt(1).putInt(1);
        ifd.flip();
        try {
            writeAt(ifd, ifdAt);
            if (desc != null && desc.length > (big ? 8 : 4)) {
                writeAt(ByteBuffer.wrap(desc), descAt);
            }
            final int limit = pixels.limit();
            pixels.limit(pixels.position() + (int) bytes);
            writeAt(pixels, pixelsAt);
            pixels.limit(limit);
            patchNext(ifdAt);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": write failed at page " + pages + ": " + e.getMessage(), e);
        }
        nextPointerAt = ifdAt + ifdBytes - (big ? 8 : 4);
        position = pixelsAt + bytes;
        pages++;
    }

    private static long align(final long v, final int a) {
        return (v + a - 1) / a * a;
    }

    private long inline(final byte[] b) {
        long v = 0;
        for (int i = b.length - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    private void entry(final int tag, final int type, final long count, final long value) {
        ifd.putShort((short) tag).putShort((short) type);
        if (big) {
            ifd.putLong(count);
            if (type == SHORT) {
                ifd.putShort((short) value).putShort((short) 0).putInt(0);
            } else if (type == LONG) {
                ifd.putInt((int) value).putInt(0);
            } else if (type == RATIONAL) {
                ifd.putInt(1).putInt(1);
            } else {
                ifd.putLong(value);
            }
        } else {
            ifd.putInt((int) count);
            if (type == SHORT) {
                ifd.putShort((short) value).putShort((short) 0);
            } else {
                ifd.putInt((int) value);
            }
        }
    }

    private void patchNext(final long ifdAt) throws IOException {
        final ByteBuffer b = ifd;
        b.clear();
        if (big) {
            b.putLong(ifdAt);
        } else {
            b.putInt((int) ifdAt);
        }
        b.flip();
        writeAt(b, nextPointerAt);
    }

    private long writeAt(final ByteBuffer b, final long at) throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
        return pos;
    }

    /** Pages written so far. */
    public long pagesWritten() {
        return pages;
    }

    /** Bytes written so far (the file's size). */
    public long bytesWritten() {
        return position;
    }

    /** The file being written. */
    public Path file() {
        return file;
    }

    /** Flushes and closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": close failed: " + e.getMessage(), e);
        }
    }
}
