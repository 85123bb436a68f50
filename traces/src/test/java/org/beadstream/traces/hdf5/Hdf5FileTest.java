package org.beadstream.traces.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import org.beadstream.traces.sink.PythonCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hdf5FileTest {

    static Path sample(final Path dir) throws Exception {
        final Hdf5File h5 = new Hdf5File();
        final Hdf5File.Group root = h5.root();
        root.attribute("title", "héllo");
        root.attribute("version", Hdf5Value.int64(7));
        final Hdf5File.Group g = root.group("grp");
        final Hdf5File.Dataset d = g.dataset("floats", Hdf5Value.floats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        d.attribute("unit", "a.u.");
        d.attribute("conversion", Hdf5Value.float32(1.5f));
        g.dataset("ints", Hdf5Value.ints(Hdf5Type.UINT32, new int[] {1, 2, 3}, 3));
        g.dataset("strings", Hdf5Value.strings("a", "bb", "", "a"));
        g.dataset("scalar", Hdf5Value.string("one"));
        g.dataset("empty", Hdf5Value.floats(new float[0], 0, 4));
        final Hdf5Type pix = Hdf5Type.compound(new String[] {"x", "y", "weight"},
                new Hdf5Type[] {Hdf5Type.UINT32, Hdf5Type.UINT32, Hdf5Type.FLOAT32});
        final ByteBuffer bytes = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putInt(3).putInt(4).putFloat(0.25f).putInt(5).putInt(6).putFloat(0.75f).flip();
        g.dataset("mask", pix, new long[] {2}, (ch, at) -> ch.write(bytes, at));
        final Hdf5File.Group other = root.group("other");
        other.attribute("target", Hdf5Value.reference(d));
        other.softLink("link", "/grp/floats");
        other.hardLink("same", g.child("ints"));
        final Path file = dir.resolve("sample.h5");
        h5.write(file);
        return file;
    }

    @Test
    void shouldBeReadBackByJhdf(@TempDir final Path dir) throws Exception {
        final Path file = sample(dir);
        try (HdfFile f = new HdfFile(file)) {
            assertEquals("héllo", f.getAttribute("title").getData());
            final Dataset floats = f.getDatasetByPath("/grp/floats");
            assertArrayEquals(new int[] {2, 3}, floats.getDimensions());
            assertArrayEquals(new float[] {4, 5, 6}, ((float[][]) floats.getData())[1]);
            assertEquals("a.u.", floats.getAttribute("unit").getData());
            assertArrayEquals(new String[] {"a", "bb", "", "a"},
                    (String[]) f.getDatasetByPath("/grp/strings").getData());
            assertEquals("one", f.getDatasetByPath("/grp/scalar").getData());
            final Object mask = f.getDatasetByPath("/grp/mask").getData();
            assertTrue(mask instanceof Map, "compound read as " + mask.getClass());
            assertEquals(0.75f, ((float[]) ((Map<?, ?>) mask).get("weight"))[1]);
            final Group other = (Group) f.getChild("other");
            assertTrue(other.getChild("link").isLink());
            assertArrayEquals(new int[] {2, 3}, ((Dataset) ((io.jhdf.api.Link) other.getChild("link")).getTarget()).getDimensions());
            assertEquals(3, ((Dataset) other.getChild("same")).getDimensions()[0]);
        }
    }

    @Test
    void shouldBeReadBackByH5py(@TempDir final Path dir) throws Exception {
        final String python = PythonCheck.interpreterWith("h5py");
        assumeTrue(python != null, "h5py is not installed (Debian: python3-h5py)");
        final Path file = sample(dir);
        final String script = String.join("\n",
                "import h5py, sys, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "t = f.attrs['title']",
                "assert (t.decode() if isinstance(t, bytes) else t) == 'héllo', t",
                "assert f.attrs['version'] == 7",
                "d = f['grp/floats']",
                "assert d.shape == (2, 3) and d.dtype == np.float32, (d.shape, d.dtype)",
                "assert np.array_equal(d[()], np.arange(1, 7, dtype=np.float32).reshape(2, 3))",
                "assert f['grp/ints'].dtype == np.uint32 and list(f['grp/ints'][()]) == [1, 2, 3]",
                "s = [x.decode() if isinstance(x, bytes) else x for x in f['grp/strings'][()]]",
                "assert s == ['a', 'bb', '', 'a'], s",
                "assert f['grp/empty'].shape == (0, 4)",
                "m = f['grp/mask'][()]",
                "assert m.dtype.names == ('x', 'y', 'weight'), m.dtype",
                "assert list(m['x']) == [3, 5] and abs(m['weight'][1] - 0.75) < 1e-7",
                "ref = f['other'].attrs['target']",
                "assert f[ref].name == '/grp/floats', f[ref].name",
                "assert isinstance(f['other'].get('link', getlink=True), h5py.SoftLink)",
                "assert f['other/link'].shape == (2, 3)",
                "assert f['other/same'].shape == (3,)",
                "print('h5py ok')");
        final PythonCheck.Result r = PythonCheck.runWith(python, script, file.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("h5py ok"), r.output());
    }

    @Test
    void shouldRejectDuplicateAndInvalidNames() {
        final Hdf5File h5 = new Hdf5File();
        h5.root().group("a");
        assertThrows(IllegalArgumentException.class, () -> h5.root().group("a"));
        assertThrows(IllegalArgumentException.class, () -> h5.root().group("b/c"));
        assertThrows(IllegalArgumentException.class, () -> h5.root().softLink("l", "relative"));
    }
}
