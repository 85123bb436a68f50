package org.beadstream.traces.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.TestFootprints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Suite2pLayoutSinkTest {

    static final int PLANES = 3;

    /** The value every test writes: F[roi, volume] = roi * 1000 + volume (exact in float32 here). */
    static float value(final int roi, final long volume) {
        return roi * 1000f + volume;
    }

    static void fill(final VolumeTraces vt, final long volume, final long spikeVolume) {
        for (int r = 0; r < vt.rois(); r++) {
            vt.f()[r] = value(r, volume);
            vt.fneu()[r] = -value(r, volume);
            vt.dff()[r] = value(r, volume) / 2;
            vt.spikes()[r] = spikeVolume >= 0 ? value(r, spikeVolume) / 4 : 0;
        }
        vt.set(volume, volume * 0.1, spikeVolume);
    }

    /** Writes volumes [0, n) with spikes lagging by lag, without closing unless asked. */
    static Suite2pLayoutSink write(final Path dir, final Footprints fp, final int n, final int lag,
                                   final int headerEvery, final boolean close) throws IOException {
        final Suite2pLayoutSink sink = new Suite2pLayoutSink(dir, fp, 10.0, 0.5, Map.of("tau", 1.0), headerEvery);
        final VolumeTraces vt = new VolumeTraces(fp.roiCount());
        for (int t = 0; t < n; t++) {
            fill(vt, t, t - lag);
            sink.onVolume(vt);
        }
        if (close) {
            for (int k = Math.max(0, n - lag); k < n; k++) {
                fill(vt, -1, k);
                sink.onVolume(vt);
            }
            sink.close();
        }
        return sink;
    }

    @Test
    void shouldWriteEveryPlaneAndCombinedWithTheRightShapesAndValues(@TempDir final Path dir) throws IOException {
        final Footprints fp = TestFootprints.disks(40, 30, PLANES, 4, 1);
        write(dir, fp, 25, 3, 8, true);
        for (int p = 0; p <= PLANES; p++) {
            final Path folder = dir.resolve("suite2p").resolve(p == PLANES ? "combined" : "plane" + p);
            final int[] ids = NpyFiles.readInt32(folder.resolve("stat_roi_id.npy"));
            assertEquals(p == PLANES ? fp.roiCount() : fp.roisOnPlane(p).length, ids.length);
            for (final String name : Suite2pLayoutSink.TRACE_FILES) {
                final NpyHeader h = NpyFiles.header(folder.resolve(name));
                assertEquals("<f4", h.descr());
                assertTrue(h.fortranOrder());
                assertArrayEquals(new long[] {ids.length, 25}, h.shape(), folder + "/" + name);
            }
            final float[] f = NpyFiles.readFloat32(folder.resolve("F.npy"));
            final float[] spks = NpyFiles.readFloat32(folder.resolve("spks.npy"));
            for (int t = 0; t < 25; t++) {
                for (int i = 0; i < ids.length; i++) {
                    assertEquals(value(ids[i], t), f[t * ids.length + i], 0f);
                    assertEquals(value(ids[i], t) / 4, spks[t * ids.length + i], 0f);
                }
            }
            final NpyHeader iscell = NpyFiles.header(folder.resolve("iscell.npy"));
            assertArrayEquals(new long[] {ids.length, 2}, iscell.shape());
            assertEquals("<f8", iscell.descr());
            assertTrue(Files.readString(folder.resolve("ops.json")).contains("\"nframes\" : 25"));
        }
    }

    @Test
    void shouldBeReadByNumpyWithShapeDtypeAndOrder(@TempDir final Path dir) throws Exception {
        assumeTrue(PythonCheck.numpyAvailable(), "python3 with numpy is not installed");
        final Footprints fp = TestFootprints.disks(40, 30, PLANES, 4, 2);
        write(dir, fp, 17, 2, 4, true);
        final String script = String.join("\n",
                "import numpy as np, json, sys, os",
                "root = sys.argv[1]",
                "planes = sorted(d for d in os.listdir(root))",
                "assert planes == ['combined', 'plane0', 'plane1', 'plane2'], planes",
                "total = 0",
                "for d in planes:",
                "    p = os.path.join(root, d)",
                "    ids = np.load(os.path.join(p, 'stat_roi_id.npy'))",
                "    assert ids.dtype == np.int32, ids.dtype",
                "    for name in ['F', 'Fneu', 'dff', 'spks']:",
                "        a = np.load(os.path.join(p, name + '.npy'))",
                "        assert a.dtype == np.float32, (d, name, a.dtype)",
                "        assert a.shape == (len(ids), 17), (d, name, a.shape)",
                "        assert a.flags['F_CONTIGUOUS'], (d, name)",
                "    F = np.load(os.path.join(p, 'F.npy'))",
                "    expect = ids[:, None] * 1000.0 + np.arange(17)[None, :]",
                "    assert np.array_equal(F, expect.astype(np.float32)), d",
                "    assert np.array_equal(np.load(os.path.join(p, 'Fneu.npy')), -F)",
                "    assert np.array_equal(np.load(os.path.join(p, 'spks.npy')), F / 4)",
                "    iscell = np.load(os.path.join(p, 'iscell.npy'))",
                "    assert iscell.shape == (len(ids), 2) and iscell.dtype == np.float64",
                "    off = np.load(os.path.join(p, 'stat_offsets.npy'))",
                "    assert off.dtype == np.int64 and off.shape == (len(ids) + 1,)",
                "    ypix = np.load(os.path.join(p, 'stat_ypix.npy'))",
                "    lam = np.load(os.path.join(p, 'stat_lam.npy'))",
                "    assert ypix.shape == lam.shape == (off[-1],)",
                "    for i in range(len(ids)):",
                "        assert abs(lam[off[i]:off[i+1]].sum() - 1) < 1e-4",
                "    med = np.load(os.path.join(p, 'stat_med.npy'))",
                "    assert med.shape == (len(ids), 2) and med.dtype == np.float32",
                "    ops = json.load(open(os.path.join(p, 'ops.json')))",
                "    assert ops['nframes'] == 17 and ops['Ly'] == 30 and ops['Lx'] == 40, ops",
                "    if d != 'combined': total += len(ids)",
                "assert total == len(np.load(os.path.join(root, 'combined', 'stat_roi_id.npy')))",
                "print('numpy ok')");
        final PythonCheck.Result r = PythonCheck.run(script, dir.resolve("suite2p").toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("numpy ok"), r.output());
    }

    @Test
    void shouldRepairATornFileUpToTheLastCompleteVolume(@TempDir final Path dir) throws IOException {
        final Footprints fp = TestFootprints.disks(40, 30, PLANES, 4, 3);
        final Suite2pLayoutSink sink = write(dir, fp, 12, 3, 1000, false);
        // crash: never closed, headers still say 0 frames; tear F.npy of plane1 with half a column
        final Path f1 = dir.resolve("suite2p/plane1/F.npy");
        try (FileChannel ch = FileChannel.open(f1, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6}));
        }
        assertArrayEquals(new long[] {fp.roisOnPlane(1).length, 0}, NpyFiles.header(f1).shape());
        final List<Suite2pLayoutSink.RepairReport> reports = Suite2pLayoutSink.repair(dir);
        assertEquals(PLANES + 1, reports.size());
        for (final Suite2pLayoutSink.RepairReport r : reports) {
            assertEquals(12, r.framesKept(), r.toString());
            assertEquals(9, r.spikeFramesKept(), r.toString());
        }
        assertEquals(6, reports.stream().mapToLong(Suite2pLayoutSink.RepairReport::bytesCut).sum());
        final int[] ids = fp.roisOnPlane(1);
        final float[] f = NpyFiles.readFloat32(f1);
        assertEquals(ids.length * 12, f.length);
        assertEquals(value(ids[ids.length - 1], 11), f[f.length - 1], 0f);
        final float[] spks = NpyFiles.readFloat32(dir.resolve("suite2p/plane1/spks.npy"));
        assertEquals(ids.length * 12, spks.length);
        assertEquals(value(ids[0], 8) / 4, spks[8 * ids.length], 0f);
        assertTrue(Float.isNaN(spks[9 * ids.length]), "unfinalised spikes are NaN");
        sink.close();
    }

    @Test
    void shouldLeaveReadableFilesWhenTheWritingProcessIsKilled(@TempDir final Path dir) throws Exception {
        final Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("writer.log").toFile()).start();
        final Path marker = dir.resolve("volumes-written");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long written = 0;
        while (System.nanoTime() < deadline) {
            if (Files.exists(marker)) {
                final String s = Files.readString(marker, StandardCharsets.US_ASCII).trim();
                if (!s.isEmpty() && Long.parseLong(s) >= 200) {
                    written = Long.parseLong(s);
                    break;
                }
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "writer did not die");
        assertTrue(written >= 200, "writer wrote only " + written + " volumes: "
                + Files.readString(dir.resolve("writer.log")));
        final List<Suite2pLayoutSink.RepairReport> reports = Suite2pLayoutSink.repair(dir);
        final Footprints fp = CrashingWriter.footprints();
        for (final Suite2pLayoutSink.RepairReport r : reports) {
            assertTrue(r.framesKept() >= written, r + " but the writer had reported " + written);
            final Path folder = r.folder();
            final int[] ids = NpyFiles.readInt32(folder.resolve("stat_roi_id.npy"));
            final float[] f = NpyFiles.readFloat32(folder.resolve("F.npy"));
            assertEquals(ids.length * r.framesKept(), f.length);
            for (long t = 0; t < r.framesKept(); t++) {
                for (int i = 0; i < ids.length; i++) {
                    assertEquals(value(ids[i], t), f[(int) (t * ids.length + i)], 0f);
                }
            }
            assertEquals(fp.roiCount(), NpyFiles.readInt32(dir.resolve("suite2p/combined/stat_roi_id.npy")).length);
        }
    }

    @Test
    void shouldRejectOutOfOrderVolumesAndMismatchedRoiCounts(@TempDir final Path dir) throws IOException {
        final Footprints fp = TestFootprints.disks(40, 30, 1, 3, 4);
        try (Suite2pLayoutSink sink = new Suite2pLayoutSink(dir, fp, 10, 0.5, Map.of(), 1)) {
            final VolumeTraces vt = new VolumeTraces(fp.roiCount());
            fill(vt, 1, -1);
            final IllegalStateException e = assertThrows(IllegalStateException.class, () -> sink.onVolume(vt));
            assertTrue(e.getMessage().contains("volume 1 arrived, expected 0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> sink.onVolume(new VolumeTraces(2)));
        }
        assertThrows(IllegalArgumentException.class, () -> new Suite2pLayoutSink(dir, fp, 0, 0.5, Map.of(), 1));
        final IOException bad = assertThrows(IOException.class, () -> Suite2pLayoutSink.repair(dir.resolve("nope")));
        assertTrue(bad.getMessage().contains("has no suite2p/ folder"), bad.getMessage());
    }

    @Test
    void shouldNameTheFileWhenAskedToReadSomethingThatIsNotNpy(@TempDir final Path dir) throws IOException {
        final Path junk = dir.resolve("junk.npy");
        Files.writeString(junk, "hello, this is not numpy");
        final IOException e = assertThrows(IOException.class, () -> NpyFiles.header(junk));
        assertTrue(e.getMessage().contains("junk.npy is not an .npy file"), e.getMessage());
    }

    /** Keeps a list of the files opened so the import of ArrayList is used by helper code. */
    static List<Path> list(final Path... p) {
        return new ArrayList<>(List.of(p));
    }
}
