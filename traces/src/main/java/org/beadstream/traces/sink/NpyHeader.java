package org.beadstream.traces.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a NumPy .npy file (format version 1.0), as written and read by BeadStream.
 *
 * <pre>
 *   offset  size  content
 *   0       6     magic "\x93NUMPY"
 *   6       2     version 1, 0
 *   8       2     HEADER_LEN, little-endian uint16 (BeadStream: total header = 128 bytes, so HEADER_LEN = 118)
 *   10      118   "{'descr': '&lt;f4', 'fortran_order': True, 'shape': (1200, 345), }" padded with spaces, ending '\n'
 *   128     ...   data, little-endian; fortran_order True: column-major, so for shape (rois, frames) each frame is
 *                 one contiguous column of `rois` values and a new frame is appended at the end of the file
 * </pre>
 * A fixed 128-byte header (a multiple of 64, as NumPy asks) leaves room for any shape of two 10-digit dimensions, so
 * the header can be rewritten in place as frames are appended.
 *
 * <p>Immutable and thread-safe.
 */
public final class NpyHeader {

    /** Total header size BeadStream writes, in bytes. */
    public static final int SIZE = 128;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final String descr;
    private final boolean fortranOrder;
    private final long[] shape;
    private final int dataOffset;

    /**
     * @param descr NumPy dtype string, e.g. {@code <f4}, {@code <f8}, {@code <i4}, {@code <i8}
     * @param fortranOrder column-major data
     * @param shape dimensions (0-d to 2-d are used here)
     * @param dataOffset byte offset of the data
     */
    public NpyHeader(final String descr, final boolean fortranOrder, final long[] shape, final int dataOffset) {
        if (itemSize(descr) <= 0) {
            throw new IllegalArgumentException("unsupported .npy dtype " + descr
                    + " (supported: <f4, <f8, <i4, <i8, |u1, |i1)");
        }
        for (final long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative .npy dimension in " + Arrays.toString(shape));
            }
        }
        this.descr = descr;
        this.fortranOrder = fortranOrder;
        this.shape = shape.clone();
        this.dataOffset = dataOffset;
    }

    /** Bytes per element of a supported dtype string, or -1. */
    public static int itemSize(final String descr) {
        switch (descr) {
            case "<f4": case "<i4": case "<u4":
                return 4;
            case "<f8": case "<i8": case "<u8":
                return 8;
            case "|u1": case "|i1": case "|b1":
                return 1;
            case "<i2": case "<u2":
                return 2;
            default:
                return -1;
        }
    }

    /** NumPy dtype string. */
    public String descr() {
        return descr;
    }

    /** Whether the data is column-major. */
    public boolean fortranOrder() {
        return fortranOrder;
    }

    /** A copy of the shape. */
    public long[] shape() {
        return shape.clone();
    }

    /** Byte offset of the data. */
    public int dataOffset() {
        return dataOffset;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize(descr);
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (final long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The 128 header bytes for this header (data offset must be {@link #SIZE}). */
    public ByteBuffer encode() {
        final StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                dims.append(shape.length == 1 ? "," : ", ");
            }
        }
        final StringBuilder dict = new StringBuilder(String.format(Locale.ROOT,
                "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }", descr, fortranOrder ? "True" : "False",
                dims));
        final int textLength = SIZE - 10;
        if (dict.length() + 1 > textLength) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " does not fit a " + SIZE
                    + "-byte .npy header");
        }
        while (dict.length() < textLength - 1) {
            dict.append(' ');
        }
        dict.append('\n');
        final ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) textLength);
        b.put(dict.toString().getBytes(StandardCharsets.US_ASCII));
        b.flip();
        return b;
    }

    private static final byte[] F4_FORTRAN_PREFIX = "{'descr': '<f4', 'fortran_order': True, 'shape': ("
            .getBytes(StandardCharsets.US_ASCII);

    /**
     * Encodes the header of a float32 Fortran-order (rows, columns) matrix into {@code into} (128 bytes from its
     * position 0) without allocating: the same bytes as {@code new NpyHeader("<f4", true, {rows, columns}, 128)
     * .encode()}. For writers that rewrite the header while recording.
     */
    public static void encodeFloat32Fortran(final long rows, final long columns, final ByteBuffer into) {
        into.clear();
        into.put(MAGIC).put((byte) 1).put((byte) 0);
        into.put((byte) (SIZE - 10)).put((byte) 0);
        into.put(F4_FORTRAN_PREFIX);
        putDigits(into, rows);
        into.put((byte) ',').put((byte) ' ');
        putDigits(into, columns);
        into.put((byte) ')').put((byte) ',').put((byte) ' ').put((byte) '}');
        while (into.position() < SIZE - 1) {
            into.put((byte) ' ');
        }
        into.put((byte) '\n');
        into.flip();
    }

    private static void putDigits(final ByteBuffer b, final long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative .npy dimension " + v);
        }
        long div = 1;
        while (div <= v / 10) {
            div *= 10;
        }
        for (; div > 0; div /= 10) {
            b.put((byte) ('0' + (v / div) % 10));
        }
    }

    /** Writes {@link #encode()} at offset 0 of the channel. */
    public void writeTo(final FileChannel channel) throws IOException {
        final ByteBuffer b = encode();
        long pos = 0;
        while (b.hasRemaining()) {
            pos += channel.write(b, pos);
        }
    }

    /**
     * Reads and parses the header of an .npy file (versions 1.0, 2.0 and 3.0).
     *
     * @param file the file's name, for messages
     * @throws IOException naming the file when it is not an .npy file or its header cannot be parsed
     */
    public static NpyHeader read(final FileChannel channel, final Path file) throws IOException {
        final ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, start, 0, file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (start.get(i) != MAGIC[i]) {
                throw new IOException(file + " is not an .npy file (bad magic bytes)");
            }
        }
        final int major = start.get(6);
        final long textLength;
        final int prefix;
        if (major == 1) {
            textLength = start.getShort(8) & 0xFFFF;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            textLength = start.getInt(8) & 0xFFFFFFFFL;
            prefix = 12;
        } else {
            throw new IOException(file + " has unsupported .npy version " + major);
        }
        if (textLength > 1 << 20) {
            throw new IOException(file + " has an implausible .npy header length " + textLength);
        }
        final ByteBuffer text = ByteBuffer.allocate((int) textLength);
        readFully(channel, text, prefix, file);
        final String dict = new String(text.array(), StandardCharsets.ISO_8859_1);
        final Matcher d = DESCR.matcher(dict);
        final Matcher f = FORTRAN.matcher(dict);
        final Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(file + " has an unparseable .npy header: " + dict.trim());
        }
        final String dims = s.group(1).trim();
        final long[] shape;
        if (dims.isEmpty()) {
            shape = new long[0];
        } else {
            final String[] parts = dims.split(",");
            int n = 0;
            for (final String p : parts) {
                if (!p.isBlank()) {
                    n++;
                }
            }
            shape = new long[n];
            int i = 0;
            for (final String p : parts) {
                if (!p.isBlank()) {
                    shape[i++] = Long.parseLong(p.trim().replace("L", ""));
                }
            }
        }
        try {
            return new NpyHeader(d.group(1), "True".equals(f.group(1)), shape, (int) (prefix + textLength));
        } catch (final IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(final FileChannel ch, final ByteBuffer b, final long at, final Path file)
            throws IOException {
        long pos = at;
        while (b.hasRemaining()) {
            final int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException(file + " ends inside its .npy header (" + pos + " bytes)");
            }
            pos += n;
        }
    }

    @Override
    public String toString() {
        return "NpyHeader[" + descr + ", fortran_order=" + fortranOrder + ", shape=" + Arrays.toString(shape) + "]";
    }
}
