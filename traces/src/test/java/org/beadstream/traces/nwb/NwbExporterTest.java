package org.beadstream.traces.nwb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.TestFootprints;
import org.beadstream.traces.TraceProcessor;
import org.beadstream.traces.deconvolution.OasisParameters;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.PythonCheck;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NWB export: a structural check with jhdf (groups, datasets, shapes, neurodata_type) and, where present, h5py. */
class NwbExporterTest {

    static final int FRAMES = 40;
    static final int PLANES = 2;

    /** A finished run of random traces through the real trace stage. */
    static Footprints run(final Path dir, final boolean close) throws IOException {
        final Footprints fp = TestFootprints.disks(48, 40, PLANES, 5, 31);
        final int n = fp.roiCount();
        final Suite2pLayoutSink sink = new Suite2pLayoutSink(dir, fp, 10.0, 0.5, Map.of("tau", 1.25), 4);
        final TraceProcessor tp = new TraceProcessor(
                new DeltaFOverF(0.7f, 1f, new SlidingPercentileBaseline(n, 20, 10, 1)),
                new OnlineOasis(n, OasisParameters.fromTau(1.25, 10).withLag(5)), 10.0, List.of(sink));
        final java.util.Random rnd = new java.util.Random(3);
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        for (int t = 0; t < FRAMES; t++) {
            for (int r = 0; r < n; r++) {
                f[r] = 100 + 10 * (float) rnd.nextGaussian() + (t % 10 == r % 10 ? 50 : 0);
                fneu[r] = 40 + (float) rnd.nextGaussian();
            }
            tp.onVolume(f, fneu);
        }
        final float[] off = new float[FRAMES];
        for (int t = 0; t < FRAMES; t++) {
            off[t] = 0.1f * t;
        }
        NpyFiles.writeFloat32(dir.resolve("suite2p/plane0/yoff.npy"), off, FRAMES);
        NpyFiles.writeFloat32(dir.resolve("suite2p/plane0/xoff.npy"), off, FRAMES);
        if (close) {
            tp.close();
        }
        return fp;
    }

    private static String attr(final Node node, final String name) {
        final Attribute a = node.getAttribute(name);
        assertTrue(a != null, node.getPath() + " lacks attribute " + name);
        return String.valueOf(a.getData());
    }

    private static void assertType(final Node node, final String namespace, final String type) {
        assertEquals(namespace, attr(node, "namespace"), node.getPath());
        assertEquals(type, attr(node, "neurodata_type"), node.getPath());
        assertEquals(36, attr(node, "object_id").length(), node.getPath());
    }

    @Test
    void shouldPassTheStructuralCheckReadBackWithJhdf(@TempDir final Path dir) throws IOException {
        final Footprints fp = run(dir, true);
        final float[] mean = new float[40 * 48];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = i % 48 + 0.5f * (i / 48);
        }
        NpyFiles.writeFloat32(dir.resolve("suite2p/plane1/meanImg.npy"), mean, 40, 48);
        final Path nwb = dir.resolve("run.nwb");
        final NwbExporter.Report report = NwbExporter.export(dir, nwb,
                NwbMetadata.defaults("test-run", OffsetDateTime.parse("2026-11-24T07:00:00Z")));
        assertEquals(PLANES, report.planes());
        assertEquals(fp.roiCount(), report.rois());
        assertEquals(FRAMES, report.frames());
        try (HdfFile f = new HdfFile(nwb)) {
            assertType(f, "core", "NWBFile");
            assertEquals(NwbExporter.NWB_VERSION, attr(f, "nwb_version"));
            assertEquals("test-run", f.getDatasetByPath("/identifier").getData());
            assertEquals("2026-11-24T07:00Z", f.getDatasetByPath("/session_start_time").getData());
            assertEquals(1, f.getDatasetByPath("/file_create_date").getDimensions()[0]);
            for (final String g : new String[] {"/acquisition", "/analysis", "/stimulus/presentation",
                "/stimulus/templates", "/general/devices/Microscope", "/processing/ophys"}) {
                assertTrue(f.getByPath(g) instanceof Group, g);
            }
            assertType(f.getByPath("/general/devices/Microscope"), "core", "Device");
            assertType(f.getByPath("/processing/ophys"), "core", "ProcessingModule");
            assertType(f.getByPath("/processing/ophys/ImageSegmentation"), "core", "ImageSegmentation");
            assertType(f.getByPath("/processing/ophys/Backgrounds_1"), "core", "Images");
            assertType(f.getByPath("/processing/ophys/Backgrounds_1/meanImg"), "core", "GrayscaleImage");
            final float[][] img = (float[][]) f.getDatasetByPath("/processing/ophys/Backgrounds_1/meanImg").getData();
            assertEquals(40, img.length, "image rows (y)");
            assertEquals(48, img[0].length, "image columns (x)");
            assertEquals(mean[7 * 48 + 13], img[7][13], 0f, "pixel (x 13, y 7)");
            assertTrue(((Group) f.getByPath("/processing/ophys")).getChildren().get("Backgrounds_0") == null,
                    "no images, no container");
            for (int p = 0; p < PLANES; p++) {
                final int n = fp.roisOnPlane(p).length;
                final Group plane = (Group) f.getByPath("/general/optophysiology/ImagingPlane" + p);
                assertType(plane, "core", "ImagingPlane");
                assertEquals(10f, (float) ((Dataset) plane.getChild("imaging_rate")).getData());
                assertType(plane.getChild("OpticalChannel"), "core", "OpticalChannel");
                assertTrue(plane.getChild("device").isLink());
                final Group table = (Group) f.getByPath("/processing/ophys/ImageSegmentation/PlaneSegmentation" + p);
                assertType(table, "core", "PlaneSegmentation");
                assertType(table.getChild("id"), "hdmf-common", "ElementIdentifiers");
                assertType(table.getChild("pixel_mask"), "hdmf-common", "VectorData");
                assertType(table.getChild("pixel_mask_index"), "hdmf-common", "VectorIndex");
                assertTrue(table.getChild("imaging_plane").isLink());
                assertArrayEquals(new int[] {n}, ((Dataset) table.getChild("id")).getDimensions());
                int pixels = 0;
                for (final int r : fp.roisOnPlane(p)) {
                    pixels += fp.pixelCount(r);
                }
                assertArrayEquals(new int[] {pixels}, ((Dataset) table.getChild("pixel_mask")).getDimensions());
                for (final String c : new String[] {"Fluorescence", "Neuropil", "DfOverF", "Deconvolved"}) {
                    final Group container = (Group) f.getByPath("/processing/ophys/" + c);
                    assertType(container, "core", c.equals("DfOverF") ? "DfOverF" : "Fluorescence");
                    final Group series = (Group) container.getChild("plane" + p);
                    assertType(series, "core", "RoiResponseSeries");
                    final Dataset data = (Dataset) series.getChild("data");
                    assertArrayEquals(new int[] {FRAMES, n}, data.getDimensions(), series.getPath());
                    assertType(series.getChild("rois"), "hdmf-common", "DynamicTableRegion");
                    assertEquals(10f, (float) series.getChild("starting_time").getAttribute("rate").getData());
                }
                final float[] fnpy = NpyFiles.readFloat32(dir.resolve("suite2p/plane" + p + "/F.npy"));
                final float[][] fh5 = (float[][]) f.getDatasetByPath("/processing/ophys/Fluorescence/plane" + p
                        + "/data").getData();
                for (int t = 0; t < FRAMES; t++) {
                    for (int i = 0; i < n; i++) {
                        assertEquals(fnpy[t * n + i], fh5[t][i], 0f);
                    }
                }
            }
            assertType(f.getByPath("/processing/ophys/MotionOffsets0"), "core", "TimeSeries");
            assertArrayEquals(new int[] {FRAMES, 2},
                    f.getDatasetByPath("/processing/ophys/MotionOffsets0/data").getDimensions());
        }
    }

    @Test
    void shouldBeReadableByH5pyWithResolvedReferencesAndLinks(@TempDir final Path dir) throws Exception {
        final String python = PythonCheck.interpreterWith("h5py");
        assumeTrue(python != null, "h5py is not installed (Debian: python3-h5py)");
        run(dir, true);
        final Path nwb = dir.resolve("run.nwb");
        NwbExporter.export(dir, nwb, NwbExporter.defaultMetadata(dir));
        final String script = String.join("\n",
                "import h5py, numpy as np, sys, os",
                "f = h5py.File(sys.argv[1], 'r')",
                "s = lambda v: v.decode() if isinstance(v, bytes) else str(v)",
                "assert s(f.attrs['neurodata_type']) == 'NWBFile' and s(f.attrs['nwb_version']) == '2.7.0'",
                "for p in range(2):",
                "    ps = f['processing/ophys/ImageSegmentation/PlaneSegmentation%d' % p]",
                "    link = ps.get('imaging_plane', getlink=True)",
                "    assert isinstance(link, h5py.SoftLink) and link.path == '/general/optophysiology/ImagingPlane%d' % p",
                "    assert ps['imaging_plane'] == f['/general/optophysiology/ImagingPlane%d' % p]",
                "    idx = ps['pixel_mask_index']",
                "    assert f[idx.attrs['target']].name == ps['pixel_mask'].name",
                "    pm = ps['pixel_mask'][()]",
                "    assert pm.dtype.names == ('x', 'y', 'weight')",
                "    assert pm['x'].dtype == np.uint32 and pm['weight'].dtype == np.float32",
                "    ends = idx[()]",
                "    assert ends[-1] == len(pm)",
                "    starts = np.concatenate([[0], ends[:-1]])",
                "    for a, b in zip(starts, ends): assert abs(pm['weight'][int(a):int(b)].sum() - 1) < 1e-4",
                "    d = os.path.join(sys.argv[2], 'suite2p', 'plane%d' % p)",
                "    for c, name in [('Fluorescence', 'F'), ('Neuropil', 'Fneu'), ('DfOverF', 'dff'), ('Deconvolved', 'spks')]:",
                "        rrs = f['processing/ophys/%s/plane%d' % (c, p)]",
                "        assert f[rrs['rois'].attrs['table']].name == ps.name",
                "        a = np.load(os.path.join(d, name + '.npy'))",
                "        assert np.array_equal(rrs['data'][()], a.T, equal_nan=True), (c, p)",
                "        assert list(rrs['rois'][()]) == list(range(a.shape[0]))",
                "    dev = f['general/optophysiology/ImagingPlane%d/device' % p]",
                "    assert dev == f['/general/devices/Microscope']",
                "mo = f['processing/ophys/MotionOffsets0/data'][()]",
                "assert mo.shape == (40, 2) and abs(mo[10, 1] - 1.0) < 1e-6",
                "print('nwb h5py ok')");
        final PythonCheck.Result r = PythonCheck.runWith(python, script, nwb.toString(), dir.toString());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("nwb h5py ok"), r.output());
    }

    @Test
    void shouldRefuseAnUnfinishedRunUntilItIsRepaired(@TempDir final Path dir) throws IOException {
        run(dir, false);
        final Path nwb = dir.resolve("run.nwb");
        final NwbMetadata meta = NwbMetadata.defaults("x", OffsetDateTime.now());
        final IOException e = assertThrows(IOException.class, () -> NwbExporter.export(dir, nwb, meta));
        assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
        Suite2pLayoutSink.repair(dir);
        final NwbExporter.Report r = NwbExporter.export(dir, nwb, meta);
        assertTrue(r.frames() >= 36 && r.frames() <= FRAMES, "frames " + r.frames());
    }

    @Test
    void shouldNameTheFolderWhenItIsNotARun(@TempDir final Path dir) {
        final IOException e = assertThrows(IOException.class,
                () -> NwbExporter.export(dir, dir.resolve("x.nwb"), NwbMetadata.defaults("x", OffsetDateTime.now())));
        assertTrue(e.getMessage().contains("has no suite2p/ folder"), e.getMessage());
    }
}
