package org.beadstream.acquisition.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripEveryDtype() {
        final float[] f = {1.5f, -2.25f, Float.NaN, 3e38f, 0f, -0f};
        Npy.write(dir.resolve("f.npy"), f, 2, 3);
        final Npy.Array a = Npy.read(dir.resolve("f.npy"));
        assertEquals(Npy.DType.FLOAT32, a.dtype());
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertArrayEquals(f, a.floats());

        final double[] d = {Math.PI, -1e300, 7};
        Npy.write(dir.resolve("d.npy"), d, 3);
        assertArrayEquals(d, Npy.read(dir.resolve("d.npy")).doubles());

        final short[] s = {Short.MIN_VALUE, -1, 0, 1, Short.MAX_VALUE, 80};
        Npy.write(dir.resolve("s.npy"), s, 3, 2, 1);
        final Npy.Array sa = Npy.read(dir.resolve("s.npy"));
        assertArrayEquals(new long[] {3, 2, 1}, sa.shape());
        assertArrayEquals(s, sa.shorts());

        final int[] i = {Integer.MIN_VALUE, 0, Integer.MAX_VALUE, 42};
        Npy.write(dir.resolve("i.npy"), i, 4);
        assertArrayEquals(i, Npy.read(dir.resolve("i.npy")).ints());

        final long[] l = {Long.MIN_VALUE, 5, Long.MAX_VALUE};
        Npy.write(dir.resolve("l.npy"), l, 3);
        assertArrayEquals(l, Npy.read(dir.resolve("l.npy")).longs());
        assertEquals(42.0, Npy.read(dir.resolve("i.npy")).toDoubles()[3]);
    }

    @Test
    void shouldAlignTheDataToSixtyFourBytesWithAVersionOneHeader() throws IOException {
        Npy.write(dir.resolve("a.npy"), new float[12], 3, 4);
        final byte[] bytes = Files.readAllBytes(dir.resolve("a.npy"));
        assertEquals((byte) 0x93, bytes[0]);
        assertEquals("NUMPY", new String(bytes, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        final int headerLen = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(0, (10 + headerLen) % 64, "data starts on a 64-byte boundary");
        final String header = new String(bytes, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(10 + headerLen + 48, bytes.length);
    }

    @Test
    void shouldWriteOneDimensionalAndEmptyShapesAsNumpyDoes() throws IOException {
        Npy.write(dir.resolve("one.npy"), new int[] {1, 2}, 2);
        assertTrue(Files.readString(dir.resolve("one.npy"), StandardCharsets.ISO_8859_1).contains("'shape': (2,)"));
        Npy.write(dir.resolve("empty.npy"), new int[0], 0, 3);
        final Npy.Array e = Npy.read(dir.resolve("empty.npy"));
        assertArrayEquals(new long[] {0, 3}, e.shape());
        assertEquals(0, e.size());
    }

    @Test
    void shouldStreamBlocksAndRefuseAShortArray() {
        try (Npy.Writer w = new Npy.Writer(dir.resolve("blocks.npy"), Npy.DType.FLOAT32, 3, 2)) {
            w.write(new float[] {1, 2}, 0, 2);
            w.write(new float[] {9, 3, 4, 5, 6}, 1, 4);
        }
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.read(dir.resolve("blocks.npy")).floats());
        final Npy.Writer shortWriter = new Npy.Writer(dir.resolve("short.npy"), Npy.DType.INT32, 4);
        shortWriter.write(new int[] {1}, 0, 1);
        final IllegalStateException e = assertThrows(IllegalStateException.class, shortWriter::close);
        assertTrue(e.getMessage().endsWith("short.npy: only 1 of 4 elements were written"), e.getMessage());
        try (Npy.Writer w = new Npy.Writer(dir.resolve("over.npy"), Npy.DType.INT32, 1)) {
            final IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new int[] {1, 2}, 0, 2));
            assertTrue(over.getMessage().endsWith("over.npy: 2 elements exceed the shape's 1"), over.getMessage());
            final IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                    () -> w.write(new float[] {1}, 0, 1));
            assertTrue(type.getMessage().endsWith("over.npy: array is INT32, cannot append FLOAT32"));
            w.write(new int[] {7}, 0, 1);
        }
    }

    @Test
    void shouldNameTheFileAndTheProblemForBadInput() throws IOException {
        final Path junk = dir.resolve("junk.npy");
        Files.write(junk, "hello world, not numpy".getBytes(StandardCharsets.US_ASCII));
        assertEquals(junk + ": not a .npy file (magic string \\x93NUMPY missing)",
                assertThrows(IllegalArgumentException.class, () -> Npy.read(junk)).getMessage());

        final Path fortran = dir.resolve("fortran.npy");
        writeRaw(fortran, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]);
        assertEquals(fortran + ": Fortran-order arrays are not supported; save with numpy.ascontiguousarray",
                assertThrows(IllegalArgumentException.class, () -> Npy.read(fortran)).getMessage());

        final Path complex = dir.resolve("complex.npy");
        writeRaw(complex, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        assertEquals(complex + ": unsupported dtype '<c8' (supported: f4, f8, i1, u1, i2, i4, i8)",
                assertThrows(IllegalArgumentException.class, () -> Npy.read(complex)).getMessage());

        final Path truncated = dir.resolve("truncated.npy");
        writeRaw(truncated, "{'descr': '<i2', 'fortran_order': False, 'shape': (10,), }", new byte[6]);
        assertEquals(truncated + ": data truncated: shape [10] of INT16 needs 20 bytes, the file holds 6",
                assertThrows(IllegalArgumentException.class, () -> Npy.read(truncated)).getMessage());
    }

    @Test
    void shouldReadBigEndianData() throws IOException {
        final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
        b.putInt(1).putInt(-2);
        final Path be = dir.resolve("be.npy");
        writeRaw(be, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", b.array());
        assertArrayEquals(new int[] {1, -2}, Npy.read(be).ints());
    }

    @Test
    void shouldExchangeArraysWithNumpy() throws Exception {
        assumeTrue(Python.hasNumpy(), "python3 with numpy is not installed");
        Npy.write(dir.resolve("java.npy"), new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        final String script = "import numpy as np\n"
                + "a = np.load('java.npy')\n"
                + "assert a.dtype == np.float32 and a.shape == (2, 3) and a[1, 2] == 6, (a.dtype, a.shape)\n"
                + "np.save('py.npy', np.arange(12, dtype=np.int16).reshape(3, 4) - 5)\n"
                + "np.save('pyf.npy', np.linspace(0, 1, 5))\n";
        assertEquals(0, Python.run(dir, script), "numpy reads the Java file and writes its own");
        final Npy.Array a = Npy.read(dir.resolve("py.npy"));
        assertArrayEquals(new long[] {3, 4}, a.shape());
        assertEquals(-5, a.shorts()[0]);
        assertEquals(6, a.shorts()[11]);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Npy.read(dir.resolve("pyf.npy")).doubles());
    }

    private static void writeRaw(final Path file, final String dict, final byte[] data) throws IOException {
        final StringBuilder sb = new StringBuilder(dict);
        while ((10 + sb.length() + 1) % 64 != 0) {
            sb.append(' ');
        }
        sb.append('\n');
        final byte[] h = sb.toString().getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        b.putShort((short) h.length).put(h).put(data);
        Files.write(file, b.array());
    }

    /** Runs python3 scripts for interoperability checks. */
    static final class Python {
        private Python() {
        }

        static boolean hasNumpy() {
            try {
                final Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (final IOException e) {
                return false;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        static int run(final Path dir, final String script) throws IOException, InterruptedException {
            final Process p = new ProcessBuilder("python3", "-c", script).directory(dir.toFile())
                    .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python3 did not finish in 60 s");
            }
            if (p.exitValue() != 0) {
                throw new AssertionError("python3 failed:\n" + out);
            }
            return p.exitValue();
        }
    }
}
