package org.beadstream.distributed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The output of one pass-2 task on shared storage: F, neuropil and motion of one plane's ROIs for one chunk of
 * volumes, read back by the driver in pass 3. A task writes to a name of its own attempt and renames it into place
 * atomically when complete ({@link Writer#commit()}), so a task killed half-way or run twice never leaves a partial or
 * mixed file under the final name.
 *
 * <p>Layout (little-endian): magic {@code BSCK}, version, plane, chunk, first volume (long), volumes, ROIs; then per
 * volume {@code F[rois]}, {@code Fneu[rois]}, dx, dy, correlation (float32); then a CRC32C (long) of everything before.
 * Stateless and thread-safe; its {@link Writer} and {@link Reader} are not thread-safe.
 */
final class ChunkFile {

    private static final int MAGIC = 0x4B435342; // "BSCK" little-endian
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 4 * 4 + 8 + 4 + 4;
    private static final int BUFFER_BYTES = 1 << 20;

    private ChunkFile() {
    }

    /** Where the chunk {@code chunk} of {@code plane} lives in the run's intermediate folder. */
    static Path path(final Path workDir, final int plane, final int chunk) {
        return workDir.resolve("chunks").resolve(String.format(Locale.ROOT, "plane%03d", plane))
                .resolve(String.format(Locale.ROOT, "chunk%06d.bsck", chunk));
    }

    /**
     * Whether {@code file} is a complete, intact chunk file of this (plane, chunk) (header, size and checksum), as a
     * resumed run asks before reusing it. Reads the whole file.
     */
    static boolean isComplete(final Path file, final int plane, final int chunk, final long firstVolume,
            final int volumes, final int rois) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        final float[] f = new float[Math.max(1, rois)];
        final float[] fneu = new float[f.length];
        final float[] m = new float[3];
        try (Reader r = new Reader(file, plane, chunk, firstVolume, volumes, rois)) {
            for (int v = 0; v < volumes; v++) {
                r.next(f, fneu, m);
            }
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /** Bytes of a chunk file of {@code volumes} volumes of {@code rois} ROIs. */
    static long bytes(final long volumes, final int rois) {
        return HEADER_BYTES + volumes * (2L * rois + 3) * 4 + 8;
    }

    /** Writes one chunk file under a temporary name of its own, then renames it into place. Not thread-safe. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final Path tmp;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final int rois;
        private final int volumes;
        private int written;
        private boolean committed;

        /**
         * @param file    the final name
         * @param attempt a name unique to this task attempt (Spark's task attempt id)
         */
        Writer(final Path file, final long attempt, final int plane, final int chunk, final long firstVolume,
                final int volumes, final int rois) throws IOException {
            this.file = file;
            this.tmp = file.resolveSibling(file.getFileName() + ".attempt" + attempt + ".tmp");
            this.rois = rois;
            this.volumes = volumes;
            Files.createDirectories(file.getParent());
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            buf.putInt(MAGIC).putInt(VERSION).putInt(plane).putInt(chunk).putLong(firstVolume).putInt(volumes)
                    .putInt(rois);
        }

        /** The temporary file this attempt writes. */
        Path temporary() {
            return tmp;
        }

        /** Appends {@code count} volumes: F and neuropil volume-major ({@code f[i * rois + k]}), motion per volume. */
        void append(final int count, final float[] f, final float[] fneu, final float[] dx, final float[] dy,
                final float[] corr) throws IOException {
            if (written + count > volumes) {
                throw new IllegalStateException("chunk holds " + volumes + " volumes, " + (written + count)
                        + " appended");
            }
            for (int i = 0; i < count; i++) {
                room(4 * (2 * rois + 3));
                for (int k = 0; k < rois; k++) {
                    buf.putFloat(f[i * rois + k]);
                }
                for (int k = 0; k < rois; k++) {
                    buf.putFloat(fneu[i * rois + k]);
                }
                buf.putFloat(dx[i]).putFloat(dy[i]).putFloat(corr[i]);
            }
            written += count;
        }

        private void room(final int bytes) throws IOException {
            if (buf.remaining() < bytes) {
                drain();
            }
            if (buf.remaining() < bytes) {
                throw new IllegalStateException("a volume of " + rois + " ROIs does not fit the write buffer");
            }
        }

        /** Writes what is buffered (the file stays incomplete until {@link #commit()}). */
        void drain() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        /** Writes the checksum, forces the file to disk and renames it to its final name atomically. */
        void commit() throws IOException {
            if (written != volumes) {
                throw new IllegalStateException("chunk holds " + volumes + " volumes, " + written + " written");
            }
            drain();
            buf.putLong(crc.getValue()).flip();
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
            ch.close();
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        }

        /** Closes the file; an uncommitted attempt's temporary file is removed unless {@code keepPartial}. */
        void close(final boolean keepPartial) throws IOException {
            if (ch.isOpen()) {
                if (keepPartial) {
                    drain();
                }
                ch.close();
            }
            if (!committed && !keepPartial) {
                Files.deleteIfExists(tmp);
            }
        }

        @Override
        public void close() throws IOException {
            close(false);
        }
    }

    /**
     * Reads one chunk file volume by volume and checks its checksum at the end. Not thread-safe.
     */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();
        private final int rois;
        private final int volumes;
        private int read;

        /**
         * Opens {@code file} and checks that it is the chunk expected.
         *
         * @throws IOException naming the file when it is missing, not a chunk file, or another chunk's
         */
        Reader(final Path file, final int plane, final int chunk, final long firstVolume, final int volumes,
                final int rois) throws IOException {
            this.file = file;
            try {
                this.ch = FileChannel.open(file, StandardOpenOption.READ);
            } catch (final NoSuchFileException e) {
                throw new IOException(file + ": chunk file missing (plane " + plane + ", chunk " + chunk
                        + "): its pass-2 task did not complete", e);
            }
            try {
                final long expected = bytes(volumes, rois);
                if (ch.size() != expected) {
                    throw new IOException(file + ": chunk file of " + ch.size() + " bytes, " + expected
                            + " expected for " + volumes + " volumes of " + rois + " ROIs: cut short or corrupt");
                }
                buf.limit(0);
                fill(HEADER_BYTES);
                final int headerAt = buf.position();
                final int magic = buf.getInt();
                final int version = buf.getInt();
                if (magic != MAGIC || version != VERSION) {
                    throw new IOException(file + ": not a BeadStream chunk file of version " + VERSION);
                }
                final int p = buf.getInt();
                final int c = buf.getInt();
                final long first = buf.getLong();
                final int n = buf.getInt();
                final int r = buf.getInt();
                checksum(headerAt);
                if (p != plane || c != chunk || first != firstVolume || n != volumes || r != rois) {
                    throw new IOException(file + ": holds plane " + p + " chunk " + c + " (volumes " + first + "+"
                            + n + ", " + r + " ROIs), expected plane " + plane + " chunk " + chunk + " (volumes "
                            + firstVolume + "+" + volumes + ", " + rois + " ROIs)");
                }
            } catch (final IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            this.rois = rois;
            this.volumes = volumes;
        }

        /** Makes at least {@code bytes} readable in {@link #buf}. */
        private void fill(final int bytes) throws IOException {
            if (buf.remaining() >= bytes) {
                return;
            }
            buf.compact();
            while (buf.position() < bytes) {
                if (ch.read(buf) < 0) {
                    throw new IOException(file + ": ends early: cut short");
                }
            }
            buf.flip();
        }

        /** Adds the bytes of {@link #buf} from {@code from} to its position to the checksum. */
        private void checksum(final int from) {
            final ByteBuffer d = buf.duplicate();
            d.limit(d.position()).position(from);
            crc.update(d);
        }

        /**
         * Reads the next volume: F and neuropil into {@code f} and {@code fneu} (ROIs of this plane, in order), motion
         * into {@code motion[0..2]} (dx, dy, correlation); after the last volume checks the checksum.
         *
         * @throws IOException naming the file when it is cut short or its checksum does not match
         */
        void next(final float[] f, final float[] fneu, final float[] motion) throws IOException {
            if (read >= volumes) {
                throw new IllegalStateException(file + ": all " + volumes + " volumes already read");
            }
            fill(4 * (2 * rois + 3));
            final int at = buf.position();
            for (int k = 0; k < rois; k++) {
                f[k] = buf.getFloat();
            }
            for (int k = 0; k < rois; k++) {
                fneu[k] = buf.getFloat();
            }
            motion[0] = buf.getFloat();
            motion[1] = buf.getFloat();
            motion[2] = buf.getFloat();
            checksum(at);
            if (++read == volumes) {
                fill(8);
                final long computed = crc.getValue();
                final long stored = buf.getLong();
                if (stored != computed) {
                    throw new IOException(file + ": checksum mismatch (stored " + Long.toHexString(stored)
                            + ", computed " + Long.toHexString(computed) + "): the chunk file is corrupt");
                }
            }
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
