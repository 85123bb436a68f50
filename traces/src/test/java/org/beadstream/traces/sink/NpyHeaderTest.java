package org.beadstream.traces.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyHeaderTest {

    @Test
    void shouldEncodeTheSameBytesWithoutAllocationAsTheGeneralEncoder() {
        final ByteBuffer b = ByteBuffer.allocate(NpyHeader.SIZE);
        for (final long[] shape : new long[][] {{0, 0}, {1, 1}, {3, 2}, {1_000_000, 36_000}, {9_999_999_999L,
            9_999_999_999L}}) {
            NpyHeader.encodeFloat32Fortran(shape[0], shape[1], b);
            final ByteBuffer want = new NpyHeader("<f4", true, shape, NpyHeader.SIZE).encode();
            assertEquals(want, b, java.util.Arrays.toString(shape));
        }
    }

    @Test
    void shouldParseWhatItWritesIncludingOneDimensionalShapes(@TempDir final Path dir) throws Exception {
        final Path f = dir.resolve("a.npy");
        NpyFiles.writeInt64(f, new long[] {1, 2, 3}, 3);
        final NpyHeader h = NpyFiles.header(f);
        assertEquals("<i8", h.descr());
        assertArrayEquals(new long[] {3}, h.shape());
        assertArrayEquals(new long[] {1, 2, 3}, NpyFiles.readInt64(f));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertEquals(128, NpyHeader.read(ch, f).dataOffset());
        }
    }

    @Test
    void shouldReportATruncatedFileWithItsName(@TempDir final Path dir) throws Exception {
        final Path f = dir.resolve("short.npy");
        NpyFiles.writeFloat32(f, new float[] {1, 2, 3, 4}, 2, 2);
        final byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 3));
        final java.io.IOException e = assertThrows(java.io.IOException.class, () -> NpyFiles.readFloat32(f));
        assertEquals(true, e.getMessage().contains("short.npy is shorter than its header says"), e.getMessage());
    }
}
