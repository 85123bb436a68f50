package org.beadstream.acquisition.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0 on read; 1.0, or 2.0 for huge headers,
 * on write), C order only, for the dtypes BeadStream exchanges with Python: {@code float32}, {@code float64},
 * {@code int16}, {@code int32}, {@code int64}, {@code int8} and {@code uint8}.
 *
 * <pre>
 *   offset  bytes  content
 *   0       6      \x93NUMPY
 *   6       2      major, minor version (1, 0)
 *   8       2      header length H (uint16 LE; uint32 LE from version 2.0, then the header starts at 12)
 *   10      H      ASCII dict, space-padded, ending in '\n', so that 10 + H is a multiple of 64:
 *                  {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), }
 *   10 + H  ...    the data, C order (last index fastest), little-endian on write
 * </pre>
 *
 * <p>Whole arrays are read with {@link #read(Path)} and written with the typed {@code write} methods; arrays too big
 * for one Java array are written row block by row block with a {@link Writer}. Errors name the file and what is wrong.
 *
 * <p>Stateless and thread-safe (a {@link Writer} is not: one thread writes it).
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The element types this class reads and writes, with their NumPy names. */
    public enum DType {
        /** {@code float32}, numpy {@code <f4}. */
        FLOAT32("f4", 4),
        /** {@code float64}, numpy {@code <f8}. */
        FLOAT64("f8", 8),
        /** {@code int8}, numpy {@code |i1}. */
        INT8("i1", 1),
        /** {@code uint8}, numpy {@code |u1} (read into {@code byte}, to be masked with 0xFF). */
        UINT8("u1", 1),
        /** {@code int16}, numpy {@code <i2}. */
        INT16("i2", 2),
        /** {@code int32}, numpy {@code <i4}. */
        INT32("i4", 4),
        /** {@code int64}, numpy {@code <i8}. */
        INT64("i8", 8);

        private final String code;
        private final int size;

        DType(final String code, final int size) {
            this.code = code;
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }

        /** The little-endian numpy descr string, e.g. {@code <f4} (single-byte types use {@code |}). */
        public String descr() {
            return (size == 1 ? "|" : "<") + code;
        }

        static DType ofCode(final String code) {
            for (final DType t : values()) {
                if (t.code.equals(code)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * A whole array read from a file: its dtype, shape and data (a Java array of the matching primitive type:
     * {@code float[]}, {@code double[]}, {@code byte[]}, {@code short[]}, {@code int[]} or {@code long[]}).
     *
     * <p>Immutable as a record; the data array is shared, not copied.
     *
     * @param dtype element type
     * @param shape dimensions, C order
     * @param data  the elements in C order
     */
    public record Array(DType dtype, long[] shape, Object data) {

        /** Number of elements (product of the shape). */
        public long size() {
            long n = 1;
            for (final long d : shape) {
                n *= d;
            }
            return n;
        }

        /** The data as {@code float[]}; fails with the actual dtype if it is not float32. */
        public float[] floats() {
            return as(DType.FLOAT32, float[].class);
        }

        /** The data as {@code double[]}; fails if it is not float64. */
        public double[] doubles() {
            return as(DType.FLOAT64, double[].class);
        }

        /** The data as {@code short[]}; fails if it is not int16. */
        public short[] shorts() {
            return as(DType.INT16, short[].class);
        }

        /** The data as {@code int[]}; fails if it is not int32. */
        public int[] ints() {
            return as(DType.INT32, int[].class);
        }

        /** The data as {@code long[]}; fails if it is not int64. */
        public long[] longs() {
            return as(DType.INT64, long[].class);
        }

        /** The data as {@code byte[]}; fails if it is not int8 or uint8. */
        public byte[] bytes() {
            if (dtype != DType.INT8 && dtype != DType.UINT8) {
                throw new IllegalStateException("array is " + dtype + ", not INT8/UINT8");
            }
            return (byte[]) data;
        }

        /** Any numeric dtype widened to {@code double[]} (a copy). */
        public double[] toDoubles() {
            final int n = Math.toIntExact(size());
            final double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = switch (dtype) {
                    case FLOAT32 -> ((float[]) data)[i];
                    case FLOAT64 -> ((double[]) data)[i];
                    case INT8 -> ((byte[]) data)[i];
                    case UINT8 -> ((byte[]) data)[i] & 0xFF;
                    case INT16 -> ((short[]) data)[i];
                    case INT32 -> ((int[]) data)[i];
                    case INT64 -> ((long[]) data)[i];
                };
            }
            return out;
        }

        private <T> T as(final DType wanted, final Class<T> type) {
            if (dtype != wanted) {
                throw new IllegalStateException("array is " + dtype + ", not " + wanted);
            }
            return type.cast(data);
        }

        @Override
        public String toString() {
            return "Npy.Array{" + dtype + ", shape=" + Arrays.toString(shape) + "}";
        }
    }

    /** Writes {@code data} as float32 with the given shape (C order). */
    public static void write(final Path file, final float[] data, final long... shape) {
        try (Writer w = new Writer(file, DType.FLOAT32, shape)) {
            w.write(data, 0, data.length);
        }
    }

    /** Writes {@code data} as float64 with the given shape (C order). */
    public static void write(final Path file, final double[] data, final long... shape) {
        try (Writer w = new Writer(file, DType.FLOAT64, shape)) {
            w.write(data, 0, data.length);
        }
    }

    /** Writes {@code data} as int16 with the given shape (C order). */
    public static void write(final Path file, final short[] data, final long... shape) {
        try (Writer w = new Writer(file, DType.INT16, shape)) {
            w.write(data, 0, data.length);
        }
    }

    /** Writes {@code data} as int32 with the given shape (C order). */
    public static void write(final Path file, final int[] data, final long... shape) {
        try (Writer w = new Writer(file, DType.INT32, shape)) {
            w.write(data, 0, data.length);
        }
    }

    /** Writes {@code data} as int64 with the given shape (C order). */
    public static void write(final Path file, final long[] data, final long... shape) {
        try (Writer w = new Writer(file, DType.INT64, shape)) {
            w.write(data, 0, data.length);
        }
    }

    /**
     * Reads a whole array.
     *
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is not a valid .npy file of a supported dtype in C order, naming the file
     */
    public static Array read(final Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final long fileSize = ch.size();
            final ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, pre, 0, file);
            pre.flip();
            for (int i = 0; i < MAGIC.length; i++) {
                if (pre.get(i) != MAGIC[i]) {
                    throw bad(file, "not a .npy file (magic string \\x93NUMPY missing)");
                }
            }
            final int major = pre.get(6) & 0xFF;
            final long headerLen;
            final int headerStart;
            if (major == 1) {
                headerLen = pre.getShort(8) & 0xFFFF;
                headerStart = 10;
            } else if (major == 2 || major == 3) {
                headerLen = pre.getInt(8) & 0xFFFFFFFFL;
                headerStart = 12;
            } else {
                throw bad(file, "unsupported .npy format version " + major + "." + (pre.get(7) & 0xFF));
            }
            if (headerStart + headerLen > fileSize) {
                throw bad(file, "header of " + headerLen + " bytes runs past the end of the " + fileSize + "-byte file");
            }
            final ByteBuffer hb = ByteBuffer.allocate(Math.toIntExact(headerLen));
            readFully(ch, hb, headerStart, file);
            final String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            final Matcher d = DESCR.matcher(header);
            final Matcher f = FORTRAN.matcher(header);
            final Matcher s = SHAPE.matcher(header);
            if (!d.find() || !f.find() || !s.find()) {
                throw bad(file, "header lacks descr, fortran_order or shape: " + header.trim());
            }
            if ("True".equals(f.group(1))) {
                throw bad(file, "Fortran-order arrays are not supported; save with numpy.ascontiguousarray");
            }
            final String descr = d.group(1);
            if (descr.length() < 3) {
                throw bad(file, "unsupported dtype '" + descr + "'");
            }
            final char endian = descr.charAt(0);
            final DType dtype = DType.ofCode(descr.substring(1));
            if (dtype == null || (endian != '<' && endian != '>' && endian != '|' && endian != '=')) {
                throw bad(file, "unsupported dtype '" + descr + "' (supported: f4, f8, i1, u1, i2, i4, i8)");
            }
            final ByteOrder order = endian == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            final long[] shape = parseShape(s.group(1), file);
            long count = 1;
            for (final long dim : shape) {
                if (dim != 0 && count > Long.MAX_VALUE / 8 / dim) {
                    throw bad(file, "shape " + Arrays.toString(shape) + " is too large");
                }
                count *= dim;
            }
            final long dataStart = headerStart + headerLen;
            final long need = count * dtype.size();
            if (fileSize - dataStart < need) {
                throw bad(file, "data truncated: shape " + Arrays.toString(shape) + " of " + dtype + " needs " + need
                        + " bytes, the file holds " + (fileSize - dataStart));
            }
            if (count > Integer.MAX_VALUE - 8) {
                throw bad(file, "array of " + count + " elements is too large for one Java array");
            }
            final int n = (int) count;
            final Object data = switch (dtype) {
                case FLOAT32 -> new float[n];
                case FLOAT64 -> new double[n];
                case INT8, UINT8 -> new byte[n];
                case INT16 -> new short[n];
                case INT32 -> new int[n];
                case INT64 -> new long[n];
            };
            final int chunkElems = Math.max(1, (1 << 22) / dtype.size());
            final ByteBuffer buf = ByteBuffer.allocate(chunkElems * dtype.size()).order(order);
            long pos = dataStart;
            for (int done = 0; done < n; ) {
                final int m = Math.min(chunkElems, n - done);
                buf.clear().limit(m * dtype.size());
                readFully(ch, buf, pos, file);
                buf.flip();
                switch (dtype) {
                    case FLOAT32 -> buf.asFloatBuffer().get((float[]) data, done, m);
                    case FLOAT64 -> buf.asDoubleBuffer().get((double[]) data, done, m);
                    case INT8, UINT8 -> buf.get((byte[]) data, done, m);
                    case INT16 -> buf.asShortBuffer().get((short[]) data, done, m);
                    case INT32 -> buf.asIntBuffer().get((int[]) data, done, m);
                    case INT64 -> buf.asLongBuffer().get((long[]) data, done, m);
                }
                pos += (long) m * dtype.size();
                done += m;
            }
            return new Array(dtype, shape, data);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read .npy file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long[] parseShape(final String text, final Path file) {
        final List<Long> dims = new ArrayList<>();
        for (final String part : text.split(",")) {
            final String t = part.trim();
            if (t.isEmpty()) {
                continue;
            }
            try {
                final long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (v < 0) {
                    throw bad(file, "negative dimension in shape (" + text + ")");
                }
                dims.add(v);
            } catch (final NumberFormatException e) {
                throw bad(file, "unreadable shape (" + text + ")");
            }
        }
        final long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = dims.get(i);
        }
        return out;
    }

    private static void readFully(final FileChannel ch, final ByteBuffer buf, final long position, final Path file)
            throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            final int r = ch.read(buf, pos);
            if (r < 0) {
                throw bad(file, "unexpected end of file at byte " + pos);
            }
            pos += r;
        }
    }

    private static IllegalArgumentException bad(final Path file, final String what) {
        return new IllegalArgumentException(file + ": " + what);
    }

    static byte[] header(final DType dtype, final long[] shape) {
        final StringBuilder sb = new StringBuilder();
        sb.append("{'descr': '").append(dtype.descr()).append("', 'fortran_order': False, 'shape': (");
        for (int i = 0; i < shape.length; i++) {
            sb.append(shape[i]);
            if (shape.length == 1 || i < shape.length - 1) {
                sb.append(i < shape.length - 1 ? ", " : ",");
            }
        }
        sb.append("), }");
        final boolean v2 = sb.length() + 11 + ALIGN > 65535;
        final int pre = v2 ? 12 : 10;
        final int total = ((pre + sb.length() + 1 + ALIGN - 1) / ALIGN) * ALIGN;
        while (pre + sb.length() + 1 < total) {
            sb.append(' ');
        }
        sb.append('\n');
        final byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        final ByteBuffer b = ByteBuffer.allocate(pre + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            b.putInt(text.length);
        } else {
            b.putShort((short) text.length);
        }
        b.put(text);
        return b.array();
    }

    /**
     * Streams one array to a file in C order, block by block, for arrays too big to hold at once (a ground-truth
     * fluorescence matrix of a million neurons). The header is written first; {@link #close()} checks that exactly
     * the promised number of elements arrived and fails naming the file otherwise.
     *
     * <p>Not thread-safe.
     */
    public static final class Writer implements AutoCloseable {

        private final Path file;
        private final DType dtype;
        private final long expected;
        private final FileChannel channel;
        private final ByteBuffer buffer;
        private long written;
        private boolean closed;

        /**
         * Creates (or truncates) {@code file} and writes the header.
         *
         * @param dtype element type
         * @param shape dimensions, none negative
         */
        public Writer(final Path file, final DType dtype, final long... shape) {
            this.file = file;
            this.dtype = dtype;
            long n = 1;
            for (final long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException(file + ": negative dimension in shape " + Arrays.toString(shape));
                }
                if (d != 0 && n > Long.MAX_VALUE / 8 / d) {
                    throw new IllegalArgumentException(file + ": shape " + Arrays.toString(shape) + " is too large");
                }
                n *= d;
            }
            this.expected = n;
            this.buffer = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                writeAll(ByteBuffer.wrap(header(dtype, shape)));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write .npy file " + file + ": " + e.getMessage(), e);
            }
        }

        /** Appends {@code length} float32 elements. */
        public void write(final float[] data, final int offset, final int length) {
            check(DType.FLOAT32, length);
            for (int i = offset, end = offset + length; i < end; i++) {
                room(4).putFloat(data[i]);
            }
            written += length;
        }

        /** Appends {@code length} float64 elements. */
        public void write(final double[] data, final int offset, final int length) {
            check(DType.FLOAT64, length);
            for (int i = offset, end = offset + length; i < end; i++) {
                room(8).putDouble(data[i]);
            }
            written += length;
        }

        /** Appends {@code length} int16 elements. */
        public void write(final short[] data, final int offset, final int length) {
            check(DType.INT16, length);
            for (int i = offset, end = offset + length; i < end; i++) {
                room(2).putShort(data[i]);
            }
            written += length;
        }

        /** Appends {@code length} int32 elements. */
        public void write(final int[] data, final int offset, final int length) {
            check(DType.INT32, length);
            for (int i = offset, end = offset + length; i < end; i++) {
                room(4).putInt(data[i]);
            }
            written += length;
        }

        /** Appends {@code length} int64 elements. */
        public void write(final long[] data, final int offset, final int length) {
            check(DType.INT64, length);
            for (int i = offset, end = offset + length; i < end; i++) {
                room(8).putLong(data[i]);
            }
            written += length;
        }

        /** Elements written so far. */
        public long written() {
            return written;
        }

        private void check(final DType type, final int length) {
            if (closed) {
                throw new IllegalStateException(file + ": writer is closed");
            }
            if (type != dtype) {
                throw new IllegalArgumentException(file + ": array is " + dtype + ", cannot append " + type);
            }
            if (written + length > expected) {
                throw new IllegalArgumentException(file + ": " + (written + length) + " elements exceed the shape's "
                        + expected);
            }
        }

        private ByteBuffer room(final int bytes) {
            if (buffer.remaining() < bytes) {
                flush();
            }
            return buffer;
        }

        private void flush() {
            buffer.flip();
            try {
                writeAll(buffer);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write .npy file " + file + ": " + e.getMessage(), e);
            }
            buffer.clear();
        }

        private void writeAll(final ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }

        /**
         * Flushes and closes the file.
         *
         * @throws IllegalStateException if fewer elements than the shape promises were written
         */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (FileChannel ch = channel) {
                flush();
                if (written != expected) {
                    throw new IllegalStateException(file + ": only " + written + " of " + expected
                            + " elements were written");
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write .npy file " + file + ": " + e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "Npy.Writer{%s, %s, %d/%d}", file, dtype, written, expected);
        }
    }
}
