package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.beadstream.acquisition.io.Npy;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class EvaluateCommandTest {

    static final int W = 16;

    static int[] disk(final int cx, final int cy, final int r) {
        final List<Integer> out = new ArrayList<>();
        for (int y = 0; y < W; y++) {
            for (int x = 0; x < W; x++) {
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
                    out.add(y * W + x);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Truth: neuron 0 at (4, 4) and neuron 1 at (11, 11) in one plane, both firing; 20 volumes of dF/F. */
    static void writeTruth(final Path dir) throws Exception {
        writeTruth(dir, 0, 0);
    }

    static void writeTruth(final Path dir, final double dx, final double dy) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("truth.json"), "{\"format\": \"beadstream-sim-truth\", \"geometry\": "
                + "{\"plane_width\": 16, \"plane_height\": 16, \"planes\": 1}}");
        final int[] a = disk(4, 4, 2);
        final int[] b = disk(11, 11, 2);
        final int[] idx = new int[4 * (a.length + b.length)];
        final float[] w = new float[a.length + b.length];
        int k = 0;
        for (final int[] cell : new int[][] {a, b}) {
            for (final int p : cell) {
                idx[4 * k] = cell == a ? 0 : 1;
                idx[4 * k + 1] = 0;
                idx[4 * k + 2] = p / W;
                idx[4 * k + 3] = p % W;
                w[k++] = 1f;
            }
        }
        Npy.write(dir.resolve("footprints_index.npy"), idx, w.length, 4);
        Npy.write(dir.resolve("footprints_weight.npy"), w, w.length);
        Npy.write(dir.resolve("plane_order.npy"), new int[] {0}, 1);
        Npy.write(dir.resolve("plane_offsets.npy"), new double[] {dx, dy}, 1, 2);
        Npy.write(dir.resolve("spikes.npy"), new int[] {0, 3, 1, 1, 5, 2}, 2, 3);
        final float[] dff = new float[2 * 20];
        for (int t = 0; t < 20; t++) {
            dff[t] = (float) Math.sin(t * 0.7);
            dff[20 + t] = (float) Math.cos(t * 0.3);
        }
        Npy.write(dir.resolve("dff.npy"), dff, 2, 20);
    }

    @Test
    void shouldScoreARunAgainstTheTruthAndWriteJson(@TempDir final Path tmp) throws Exception {
        final Path truth = tmp.resolve("truth");
        writeTruth(truth);
        final FootprintsBuilder b = new FootprintsBuilder(W, W, 1);
        final int[] cell = disk(4, 4, 2);
        final float[] ones = new float[cell.length];
        java.util.Arrays.fill(ones, 1);
        b.addRoi(0, cell, ones);
        final int[] fp = disk(12, 3, 2);
        final float[] ones2 = new float[fp.length];
        java.util.Arrays.fill(ones2, 1);
        b.addRoi(0, fp, ones2);
        final Footprints footprints = b.classifier(new org.beadstream.segmentation.footprint.CellClassifier(
                new double[8], new double[] {1, 1, 1, 1, 1, 1, 1, 1}, new double[8], 5)).build();
        final Path run = tmp.resolve("run");
        new Suite2pLayoutSink(run, footprints, 10, 0.5, Map.of(), 1).close();
        // traces: ROI 0 follows neuron 0 exactly (scaled), ROI 1 is noise
        final float[] dff = new float[2 * 20];
        for (int t = 0; t < 20; t++) {
            dff[t] = 3 * (float) Math.sin(t * 0.7);
            dff[20 + t] = (t * 7919 % 13) / 13f;
        }
        NpyFiles.writeFloat32(run.resolve("suite2p/combined/dff.npy"), dff, 2, 20);

        final StringWriter outText = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(outText));
        final int code = cl.execute("evaluate", "--truth", truth.toString(), "--run", run.toString());
        assertEquals(0, code, outText.toString());
        final JsonNode j = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        assertEquals(2, j.get("truth_neurons").asInt());
        assertEquals(2, j.get("detections").asInt());
        assertEquals(1, j.get("true_positives").asInt());
        assertEquals(1, j.get("false_positives").asInt());
        assertEquals(0.5, j.get("precision").asDouble(), 1e-12);
        assertEquals(0.5, j.get("recall").asDouble(), 1e-12);
        assertEquals(1.0, j.get("trace_median_pearson_r").asDouble(), 1e-5);
        assertTrue(outText.toString().contains("F1 0.500"), outText.toString());
    }

    /** The pipeline aligns planes onto the reference by the calibration offsets; the truth must move with them. */
    @Test
    void shouldMoveTheTruthByThePlaneOffsetsUnlessTheRunIsRaw(@TempDir final Path tmp) throws Exception {
        final Path truth = tmp.resolve("truth");
        writeTruth(truth, 2.2, -0.9); // rounds to (2, -1)
        final FootprintsBuilder b = new FootprintsBuilder(W, W, 1);
        final int[] cell = disk(6, 3, 2); // neuron 0 at (4, 4) moved by (2, -1)
        final float[] ones = new float[cell.length];
        java.util.Arrays.fill(ones, 1);
        b.addRoi(0, cell, ones);
        final Footprints footprints = b.classifier(new org.beadstream.segmentation.footprint.CellClassifier(
                new double[8], new double[] {1, 1, 1, 1, 1, 1, 1, 1}, new double[8], 5)).build();
        final Path run = tmp.resolve("run");
        new Suite2pLayoutSink(run, footprints, 10, 0.5, Map.of(), 1).close();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cl.execute("evaluate", "--truth", truth.toString(), "--run", run.toString()));
        JsonNode j = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        assertEquals(1, j.get("true_positives").asInt(), "aligned run matches the moved truth");
        assertEquals(0, cl.execute("evaluate", "--truth", truth.toString(), "--run", run.toString(),
                "--plane-alignment", "raw"));
        j = new ObjectMapper().readTree(run.resolve("evaluation.json").toFile());
        assertEquals(0, j.get("true_positives").asInt(), "a raw run is compared with the truth as imaged");
    }

    @Test
    void shouldExitWithBadInputNamingTheMissingFile(@TempDir final Path tmp) {
        final StringWriter err = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        final int code = cl.execute("evaluate", "--truth", tmp.toString(), "--run", tmp.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("truth.json"), err.toString());
    }
}
