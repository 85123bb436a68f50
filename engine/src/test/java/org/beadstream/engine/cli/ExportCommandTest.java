package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.beadstream.traces.sink.VolumeTraces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jhdf.HdfFile;
import picocli.CommandLine;

class ExportCommandTest {

    /** A run of 2 planes x 2 ROIs and 12 volumes; closed cleanly or left as if killed. */
    private static void run(final Path dir, final boolean close) throws Exception {
        final FootprintsBuilder b = new FootprintsBuilder(32, 32, 2);
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < 2; i++) {
                final int c = (8 + 14 * i) * 32 + 8 + 14 * i;
                b.addRoi(p, new int[] {c, c + 1, c + 32, c + 33}, new float[] {1, 1, 1, 1});
            }
        }
        final Footprints fp = b.neuropil(new NeuropilParameters(1, 30, 10)).build();
        final Suite2pLayoutSink sink = new Suite2pLayoutSink(dir, fp, 5.0, 0.5, Map.of(), 4);
        final VolumeTraces vt = new VolumeTraces(4);
        for (int t = 0; t < 12; t++) {
            java.util.Arrays.fill(vt.f(), t);
            vt.set(t, t / 5.0, t);
            sink.onVolume(vt);
        }
        if (close) {
            sink.close();
        }
    }

    private static int execute(final StringWriter out, final StringWriter err, final String... args) {
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void shouldWriteAnNwbFileNextToTheSuite2pFolders(@TempDir final Path dir) throws Exception {
        run(dir, true);
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int code = execute(out, err, "export", "--to", "nwb", dir.toString(), "--indicator", "GCaMP7f",
                "--session-start", "2026-11-24T09:30:00+01:00");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("2 planes, 4 ROIs, 12 volumes"), out.toString());
        final Path nwb = dir.resolve("suite2p/ophys.nwb");
        try (HdfFile f = new HdfFile(nwb)) {
            assertEquals("NWBFile", f.getAttribute("neurodata_type").getData());
            assertEquals("GCaMP7f", f.getDatasetByPath("/general/optophysiology/ImagingPlane1/indicator").getData());
            assertEquals("2026-11-24T09:30+01:00", f.getDatasetByPath("/session_start_time").getData());
        }
    }

    @Test
    void shouldRepairAKilledRunWhenAskedAndRefuseOtherwise(@TempDir final Path dir) throws Exception {
        run(dir, false);
        final StringWriter err = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err, "export", "--to", "nwb", dir.toString()));
        assertTrue(err.toString().contains("did not finish"), err.toString());
        final StringWriter out = new StringWriter();
        assertEquals(0, execute(out, new StringWriter(), "export", "--to", "nwb", "--repair", dir.toString(),
                "-o", dir.resolve("x.nwb").toString()));
        assertTrue(out.toString().contains("12 volumes kept"), out.toString());
        assertTrue(Files.size(dir.resolve("x.nwb")) > 0);
    }

    @Test
    void shouldNameAMissingRunFolder(@TempDir final Path dir) {
        final StringWriter err = new StringWriter();
        assertEquals(2, execute(new StringWriter(), err, "export", "--to", "nwb", dir.resolve("nope").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
    }
}
