package org.beadstream.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pass-2 chunk files: exact round trip, atomic commit, and errors naming the file for every kind of damage. */
class ChunkFileTest {

    private static final int ROIS = 7;
    private static final int VOLUMES = 90;

    @TempDir
    Path dir;

    private final float[] f = new float[VOLUMES * ROIS];
    private final float[] fneu = new float[VOLUMES * ROIS];
    private final float[] dx = new float[VOLUMES];
    private final float[] dy = new float[VOLUMES];
    private final float[] corr = new float[VOLUMES];

    private Path write() throws IOException {
        final Random r = new Random(3);
        for (int i = 0; i < f.length; i++) {
            f[i] = r.nextFloat() * 1000;
            fneu[i] = r.nextFloat() * 100;
        }
        for (int i = 0; i < VOLUMES; i++) {
            dx[i] = r.nextFloat() - 0.5f;
            dy[i] = r.nextFloat() - 0.5f;
            corr[i] = i == 3 ? Float.NaN : r.nextFloat();
        }
        final Path file = ChunkFile.path(dir, 2, 5);
        try (ChunkFile.Writer w = new ChunkFile.Writer(file, 77, 2, 5, 450, VOLUMES, ROIS)) {
            // in two appends, as a task writes batch after batch
            w.append(40, f, fneu, dx, dy, corr);
            w.append(50, slice(f, 40 * ROIS), slice(fneu, 40 * ROIS), slice(dx, 40), slice(dy, 40),
                    slice(corr, 40));
            assertFalse(Files.exists(file), "nothing under the final name before the commit");
            w.commit();
        }
        return file;
    }

    private static float[] slice(final float[] a, final int from) {
        return java.util.Arrays.copyOfRange(a, from, a.length);
    }

    @Test
    void shouldReadBackExactlyWhatWasWritten() throws IOException {
        final Path file = write();
        assertEquals(ChunkFile.bytes(VOLUMES, ROIS), Files.size(file));
        try (var s = Files.list(file.getParent())) {
            assertEquals(1, s.count(), "the attempt's temporary file was renamed, not copied");
        }
        final float[] rf = new float[ROIS];
        final float[] rn = new float[ROIS];
        final float[] m = new float[3];
        try (ChunkFile.Reader r = new ChunkFile.Reader(file, 2, 5, 450, VOLUMES, ROIS)) {
            for (int v = 0; v < VOLUMES; v++) {
                r.next(rf, rn, m);
                assertArrayEquals(java.util.Arrays.copyOfRange(f, v * ROIS, (v + 1) * ROIS), rf, 0f);
                assertArrayEquals(java.util.Arrays.copyOfRange(fneu, v * ROIS, (v + 1) * ROIS), rn, 0f);
                assertArrayEquals(new float[] {dx[v], dy[v], corr[v]}, m, 0f);
            }
        }
    }

    @Test
    void shouldNameTheFileWhenItsChecksumDoesNotMatch() throws IOException {
        final Path file = write();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, 1000);
            b.put(0, (byte) (b.get(0) ^ 0x10)).rewind();
            ch.write(b, 1000);
        }
        final IOException e = assertThrows(IOException.class, () -> readAll(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void shouldNameTheFileWhenItIsCutShortMissingOrAnotherChunks() throws IOException {
        final Path file = write();
        final IOException other = assertThrows(IOException.class,
                () -> new ChunkFile.Reader(file, 2, 6, 450, VOLUMES, ROIS).close());
        assertTrue(other.getMessage().contains(file.toString()) && other.getMessage().contains("expected plane 2 chunk 6"),
                other.getMessage());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 9);
        }
        final IOException cut = assertThrows(IOException.class, () -> readAll(file));
        assertTrue(cut.getMessage().contains(file.toString()) && cut.getMessage().contains("cut short"),
                cut.getMessage());
        final Path missing = ChunkFile.path(dir, 0, 0);
        final IOException gone = assertThrows(IOException.class,
                () -> new ChunkFile.Reader(missing, 0, 0, 0, VOLUMES, ROIS).close());
        assertTrue(gone.getMessage().contains(missing.toString()) && gone.getMessage().contains("did not complete"),
                gone.getMessage());
    }

    @Test
    void shouldLeaveNoFileUnderTheFinalNameWhenAnAttemptFails() throws IOException {
        final Path file = ChunkFile.path(dir, 1, 1);
        final Path tmp;
        try (ChunkFile.Writer w = new ChunkFile.Writer(file, 12, 1, 1, 0, VOLUMES, ROIS)) {
            w.append(10, f, fneu, dx, dy, corr);
            tmp = w.temporary();
            assertThrows(IllegalStateException.class, w::commit, "an incomplete chunk is not committed");
        }
        assertFalse(Files.exists(file));
        assertFalse(Files.exists(tmp), "a failed attempt removes its own temporary file");
    }

    private static void readAll(final Path file) throws IOException {
        final float[] a = new float[ROIS];
        final float[] b = new float[ROIS];
        final float[] m = new float[3];
        try (ChunkFile.Reader r = new ChunkFile.Reader(file, 2, 5, 450, VOLUMES, ROIS)) {
            for (int v = 0; v < VOLUMES; v++) {
                r.next(a, b, m);
            }
        }
    }
}
