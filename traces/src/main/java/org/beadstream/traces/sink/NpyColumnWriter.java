package org.beadstream.traces.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A float32 .npy matrix of shape (rows, columns) with {@code fortran_order=True}, grown one column at a time: for
 * traces, rows are ROIs and each appended column is one frame (volume), so the file is readable by
 * {@code numpy.load} while it grows and after a crash (see {@link #repair}).
 *
 * <p>Each {@link #append} writes one column (rows x 4 bytes) at the end of the file through a direct buffer made
 * once; every {@code headerEvery} columns and at {@link #close()} the 128-byte header is rewritten with the column
 * count. Data is always written before the header that counts it, so the header never claims a column that is not
 * on disk.
 *
 * <p>Not thread-safe: one writer thread.
 */
public final class NpyColumnWriter implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private final int rows;
    private final int headerEvery;
    private final ByteBuffer column;
    private final FloatBuffer columnFloats;
    private final ByteBuffer headerBytes = ByteBuffer.allocate(NpyHeader.SIZE);
    private long columns;
    private boolean closed;

    /**
     * Creates (or truncates) the file and writes a header of shape (rows, 0).
     *
     * @param rows rows of the matrix (ROIs), &ge; 0
     * @param headerEvery rewrite the header every this many columns (&ge; 1; 1 = after each column)
     */
    public static NpyColumnWriter create(final Path file, final int rows, final int headerEvery) throws IOException {
        return new NpyColumnWriter(file, rows, headerEvery, 0, FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, StandardOpenOption.READ));
    }

    private NpyColumnWriter(final Path file, final int rows, final int headerEvery, final long columns,
                            final FileChannel channel) throws IOException {
        if (rows < 0) {
            channel.close();
            throw new IllegalArgumentException("row count must be >= 0, was " + rows);
        }
        if (headerEvery < 1) {
            channel.close();
            throw new IllegalArgumentException("header interval must be >= 1 column, was " + headerEvery);
        }
        this.file = file;
        this.channel = channel;
        this.rows = rows;
        this.headerEvery = headerEvery;
        this.columns = columns;
        this.column = ByteBuffer.allocateDirect(Math.max(4, rows * 4)).order(ByteOrder.LITTLE_ENDIAN);
        this.columnFloats = column.asFloatBuffer();
        writeHeader();
    }

    /** Rewrites the 128-byte header with the current column count (no allocation). */
    private void writeHeader() throws IOException {
        NpyHeader.encodeFloat32Fortran(rows, columns, headerBytes);
        long pos = 0;
        while (headerBytes.hasRemaining()) {
            pos += channel.write(headerBytes, pos);
        }
    }

    /** The file written. */
    public Path file() {
        return file;
    }

    /** Rows (ROIs). */
    public int rows() {
        return rows;
    }

    /** Columns (frames) appended so far. */
    public long columns() {
        return columns;
    }

    /**
     * Appends one column.
     *
     * @param values at least rows values; values[from .. from + rows) are written
     * @param from first value to write
     */
    public void append(final float[] values, final int from) throws IOException {
        if (closed) {
            throw new IOException(file + " is closed");
        }
        if (from < 0 || values.length - from < rows) {
            throw new IllegalArgumentException("column for " + file.getFileName() + " needs " + rows
                    + " values from " + from + ", array has " + values.length);
        }
        columnFloats.clear();
        columnFloats.put(values, from, rows);
        column.clear().limit(rows * 4);
        long pos = NpyHeader.SIZE + columns * rows * 4L;
        while (column.hasRemaining()) {
            pos += channel.write(column, pos);
        }
        columns++;
        if (columns % headerEvery == 0) {
            writeHeader();
        }
    }

    /** Appends values[0 .. rows). */
    public void append(final float[] values) throws IOException {
        append(values, 0);
    }

    /** Rewrites the header and forces data and header to the storage device. */
    public void sync() throws IOException {
        writeHeader();
        channel.force(false);
    }

    /** Rewrites the header with the final column count and closes the file. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writeHeader();
            channel.force(false);
        } finally {
            channel.close();
        }
    }

    /**
     * Repairs a column-appended float32 Fortran-order .npy file after a crash: counts the complete columns from the
     * file size, truncates a torn last column, and rewrites the header.
     *
     * @return what was kept and cut
     * @throws IOException naming the file if it is not such a file
     */
    public static RepairResult repair(final Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final NpyHeader h = NpyHeader.read(ch, file);
            if (!"<f4".equals(h.descr()) || !h.fortranOrder() || h.shape().length != 2) {
                throw new IOException(file + " is not a column-appended float32 matrix (" + h + ")");
            }
            if (h.dataOffset() != NpyHeader.SIZE) {
                throw new IOException(file + " has a " + h.dataOffset() + "-byte header, not BeadStream's "
                        + NpyHeader.SIZE);
            }
            final long rows = h.shape()[0];
            final long size = ch.size();
            final long data = Math.max(0, size - NpyHeader.SIZE);
            final long columnBytes = rows * 4;
            final long complete = columnBytes == 0 ? h.shape()[1] : data / columnBytes;
            final long keepBytes = NpyHeader.SIZE + complete * columnBytes;
            final long cut = size - keepBytes;
            if (cut > 0) {
                ch.truncate(keepBytes);
            }
            new NpyHeader("<f4", true, new long[] {rows, complete}, NpyHeader.SIZE).writeTo(ch);
            ch.force(true);
            return new RepairResult(file, h.shape()[1], complete, cut);
        }
    }

    /**
     * What {@link #repair} did.
     *
     * @param file the file repaired
     * @param headerColumns columns the header claimed before repair
     * @param columnsKept complete columns kept (frames readable now)
     * @param bytesCut bytes of a torn last column removed
     * <p>Immutable and thread-safe.
     */
    public record RepairResult(Path file, long headerColumns, long columnsKept, long bytesCut) {
    }
}
