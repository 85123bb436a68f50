package org.beadstream.traces.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whole-array .npy files: write small arrays made once per run (iscell, ROI statistics) and read arrays back (for
 * export and tests). Data is little-endian, C order unless the header says Fortran.
 *
 * <p>Stateless and thread-safe.
 */
public final class NpyFiles {

    private NpyFiles() {
    }

    /** Writes a float32 array of the given shape (C order). */
    public static void writeFloat32(final Path file, final float[] data, final long... shape) throws IOException {
        check(file, data.length, shape);
        final ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        write(file, "<f4", shape, b);
    }

    /** Writes a float64 array of the given shape (C order). */
    public static void writeFloat64(final Path file, final double[] data, final long... shape) throws IOException {
        check(file, data.length, shape);
        final ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(data);
        write(file, "<f8", shape, b);
    }

    /** Writes an int32 array of the given shape (C order). */
    public static void writeInt32(final Path file, final int[] data, final long... shape) throws IOException {
        check(file, data.length, shape);
        final ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        write(file, "<i4", shape, b);
    }

    /** Writes an int64 array of the given shape (C order). */
    public static void writeInt64(final Path file, final long[] data, final long... shape) throws IOException {
        check(file, data.length, shape);
        final ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(data);
        write(file, "<i8", shape, b);
    }

    private static void check(final Path file, final long n, final long[] shape) {
        long m = 1;
        for (final long d : shape) {
            m *= d;
        }
        if (m != n) {
            throw new IllegalArgumentException(file.getFileName() + ": " + n + " values do not fill shape "
                    + java.util.Arrays.toString(shape));
        }
    }

    private static void write(final Path file, final String descr, final long[] shape, final ByteBuffer data)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            final ByteBuffer h = new NpyHeader(descr, false, shape, NpyHeader.SIZE).encode();
            while (h.hasRemaining()) {
                ch.write(h);
            }
            while (data.hasRemaining()) {
                ch.write(data);
            }
        }
    }

    /** Reads the header of an .npy file. */
    public static NpyHeader header(final Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return NpyHeader.read(ch, file);
        }
    }

    /**
     * Reads a float32 array's raw elements in file order (for a Fortran (rois, frames) matrix: frame-major, i.e. the
     * C-order (frames, rois) array).
     *
     * @throws IOException naming the file if it is not float32 or shorter than its header says
     */
    public static float[] readFloat32(final Path file) throws IOException {
        final ByteBuffer b = read(file, "<f4");
        final float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    /** Reads an int32 array's elements in file order. */
    public static int[] readInt32(final Path file) throws IOException {
        final ByteBuffer b = read(file, "<i4");
        final int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    /** Reads a float64 array's elements in file order. */
    public static double[] readFloat64(final Path file) throws IOException {
        final ByteBuffer b = read(file, "<f8");
        final double[] out = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(out);
        return out;
    }

    /** Reads an int64 array's elements in file order. */
    public static long[] readInt64(final Path file) throws IOException {
        final ByteBuffer b = read(file, "<i8");
        final long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }

    private static ByteBuffer read(final Path file, final String descr) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            final NpyHeader h = NpyHeader.read(ch, file);
            if (!descr.equals(h.descr())) {
                throw new IOException(file + " holds " + h.descr() + ", expected " + descr);
            }
            final long bytes = h.elementCount() * h.itemSize();
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new IOException(file + " is too large to read into one array (" + bytes + " bytes)");
            }
            if (ch.size() < h.dataOffset() + bytes) {
                throw new IOException(file + " is shorter than its header says: " + ch.size() + " bytes, need "
                        + (h.dataOffset() + bytes) + " (repair it first)");
            }
            final ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            long pos = h.dataOffset();
            while (b.hasRemaining()) {
                final int n = ch.read(b, pos);
                if (n < 0) {
                    throw new IOException(file + " ended early at byte " + pos);
                }
                pos += n;
            }
            b.flip();
            return b;
        }
    }
}
