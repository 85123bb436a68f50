package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The motion record of a run as an append-only file ({@code checkpoint/motion.f32}): per volume, for every plane, the
 * rigid x shift, y shift and template correlation as little-endian float32 ({@code planes * 3} values per volume, NaN
 * for volumes skipped live). It lets a resumed run restore the motion of the volumes already done.
 *
 * <p>Rows are buffered (64 at a time) and written when the buffer fills or on {@link #flush()}; nothing is allocated
 * per row. Not thread-safe: the pipeline thread appends.
 */
public final class MotionLog implements AutoCloseable {

    /** File name inside the checkpoint folder. */
    public static final String FILE = "motion.f32";

    private static final int ROWS_BUFFERED = 64;

    private final Path file;
    private final int planes;
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long rows;

    /**
     * Opens {@code dir/motion.f32} for appending after its first {@code keepRows} rows (the rest, e.g. a torn tail, is
     * cut); {@code keepRows} 0 starts a new file.
     */
    public MotionLog(final Path dir, final int planes, final long keepRows) throws IOException {
        if (planes < 1) {
            throw new IllegalArgumentException("planes must be positive, was " + planes);
        }
        if (keepRows < 0) {
            throw new IllegalArgumentException("rows to keep must be >= 0, was " + keepRows);
        }
        Files.createDirectories(dir);
        this.file = dir.resolve(FILE);
        this.planes = planes;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        final long rowBytes = 12L * planes;
        if (channel.size() < keepRows * rowBytes) {
            channel.close();
            throw new IOException(file + ": holds " + channel.size() / rowBytes + " volumes of motion, " + keepRows
                    + " needed");
        }
        channel.truncate(keepRows * rowBytes);
        channel.position(keepRows * rowBytes);
        this.rows = keepRows;
        this.buffer = ByteBuffer.allocateDirect((int) (ROWS_BUFFERED * rowBytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Appends one volume's row: {@code dx[p], dy[p], correlation[p]} for every plane, as laid out in {@code row}. */
    public void append(final float[] row) {
        if (row.length != 3 * planes) {
            throw new IllegalArgumentException("motion row has " + row.length + " values, " + 3 * planes
                    + " expected");
        }
        if (buffer.remaining() < 12 * planes) {
            flush();
        }
        for (final float v : row) {
            buffer.putFloat(v);
        }
        rows++;
    }

    /** Volumes appended (including those kept at opening). */
    public long rows() {
        return rows;
    }

    /** Writes the buffered rows to the file. */
    public void flush() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the motion record " + file + ": " + e.getMessage(), e);
        } finally {
            buffer.clear();
        }
    }

    /**
     * Reads the first {@code volumes} rows of {@code dir/motion.f32}.
     *
     * @return {@code [3][planes][volumes]}: dx, dy, correlation
     * @throws IOException naming the file when it holds fewer rows
     */
    public static float[][][] read(final Path dir, final int planes, final int volumes) throws IOException {
        final Path f = dir.resolve(FILE);
        final float[][][] m = new float[3][planes][volumes];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            final long need = 12L * planes * volumes;
            if (ch.size() < need) {
                throw new IOException(f + ": holds " + ch.size() / (12L * planes) + " volumes of motion, " + volumes
                        + " needed");
            }
            final ByteBuffer b = ByteBuffer.allocate(12 * planes).order(ByteOrder.LITTLE_ENDIAN);
            for (int v = 0; v < volumes; v++) {
                b.clear();
                while (b.hasRemaining()) {
                    if (ch.read(b) < 0) {
                        throw new IOException(f + ": ends at volume " + v);
                    }
                }
                b.flip();
                for (int p = 0; p < planes; p++) {
                    m[0][p][v] = b.getFloat();
                    m[1][p][v] = b.getFloat();
                    m[2][p][v] = b.getFloat();
                }
            }
        }
        return m;
    }

    /** Complete rows in {@code dir/motion.f32} (0 when there is no file). */
    public static long rowsIn(final Path dir, final int planes) throws IOException {
        final Path f = dir.resolve(FILE);
        return Files.exists(f) ? Files.size(f) / (12L * planes) : 0;
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            try {
                channel.close();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot close the motion record " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
