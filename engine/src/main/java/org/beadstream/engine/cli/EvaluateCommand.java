package org.beadstream.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.beadstream.acquisition.io.Npy;
import org.beadstream.segmentation.evaluate.DetectedMask;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.NpyHeader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream evaluate --truth SIMDIR --run RUNDIR}: scores a run against a simulation's ground truth and
 * prints and writes JSON: detection precision, recall and F1 (IoU at least 0.5, one-to-one), somata counted twice
 * across planes, and trace accuracy (median Pearson r of dF/F over matched neurons) when the run holds traces.
 *
 * <p>Reads SIMDIR as {@code beadstream simulate} writes it (truth.json, footprints_index.npy, footprints_weight.npy,
 * spikes.npy, dff.npy, plane_order.npy) and RUNDIR in the suite2p layout of the traces module
 * (RUNDIR/suite2p/combined/: stat_offsets, stat_ypix, stat_xpix, stat_iplane, iscell, ops.json, and dff.npy if traces
 * were extracted). Not thread-safe; one instance per invocation.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score a run's ROIs and traces against a simulation's ground truth.",
            "Example: beadstream evaluate --truth runs/sim-A/truth --run runs/sim-A"})
public final class EvaluateCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How the run numbers its planes. */
    enum PlaneNumbering { depth, channel }

    /** Whether the run's planes were aligned with the calibration offsets (the pipeline's assembly does that). */
    enum PlaneAlignment { aligned, raw }

    @Spec
    private CommandSpec spec;

    @Option(names = "--truth", required = true, paramLabel = "SIMDIR",
            description = "Ground-truth folder written by the simulator (holds truth.json).")
    private Path truthDir;

    @Option(names = "--run", required = true, paramLabel = "RUNDIR", description = "Run folder holding suite2p/combined.")
    private Path runDir;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "JSON output (default: RUNDIR/evaluation.json).")
    private Path out;

    @Option(names = "--iou", defaultValue = "0.5", paramLabel = "X",
            description = "IoU a detection needs to match a true soma (default: ${DEFAULT-VALUE}).")
    private double iou;

    @Option(names = "--all-rois", description = "Score every ROI, not only those with iscell = 1.")
    private boolean allRois;

    @Option(names = "--visible-weight", defaultValue = "0.3", paramLabel = "W",
            description = "A neuron must be found when it fired and its footprint weight reaches W somewhere"
                    + " (default: ${DEFAULT-VALUE}).")
    private double visibleWeight;

    @Option(names = "--run-planes", defaultValue = "depth", paramLabel = "ORDER",
            description = "How the run's stat_iplane numbers planes: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private PlaneNumbering runPlanes;

    @Option(names = "--plane-alignment", defaultValue = "aligned", paramLabel = "MODE",
            description = "aligned: the run's planes were shifted onto the reference plane by the calibration offsets,"
                    + " as the pipeline's assembly does, so true footprints are moved by the rounded plane_offsets.npy;"
                    + " raw: planes as imaged (default: ${DEFAULT-VALUE}).")
    private PlaneAlignment alignment;

    @Override
    public Integer call() throws IOException {
        if (!(iou > 0 && iou <= 1)) {
            throw new IllegalArgumentException("--iou must be in (0, 1], was " + iou);
        }
        final Truth truth = readTruth(truthDir, visibleWeight, runPlanes == PlaneNumbering.depth,
                alignment == PlaneAlignment.aligned);
        final Run run = readRun(runDir, allRois);
        final DetectionScore score = DetectionEvaluator.score(truth.masks, run.masks, iou);
        double traceR = Double.NaN;
        int traced = 0;
        if (run.dff != null && truth.dff != null) {
            final float[][] runTraces = new float[run.masks.size()][];
            for (int d = 0; d < runTraces.length; d++) {
                runTraces[d] = run.dff[d];
            }
            traceR = DetectionEvaluator.medianTraceCorrelation(truth.dff, runTraces, score.neuronOfDetection());
            for (final int n : score.neuronOfDetection()) {
                traced += n >= 0 ? 1 : 0;
            }
        }
        final Map<String, Object> json = new LinkedHashMap<>();
        json.put("truth", truthDir.toAbsolutePath().toString());
        json.put("run", runDir.toAbsolutePath().toString());
        json.put("iou_threshold", iou);
        json.put("rois_scored", allRois ? "all" : "iscell");
        json.put("truth_neurons", score.truthNeurons());
        json.put("detections", score.detections());
        json.put("true_positives", score.truePositives());
        json.put("false_positives", score.falsePositives());
        json.put("duplicates_across_planes", score.duplicates());
        json.put("ignored_silent_or_dim", score.ignored());
        json.put("precision", score.precision());
        json.put("recall", score.recall());
        json.put("f1", score.f1());
        json.put("mean_iou", score.meanIou());
        json.put("trace_median_pearson_r", Double.isNaN(traceR) ? null : traceR);
        json.put("traces_compared", traced);
        final Path file = out != null ? out : runDir.resolve("evaluation.json");
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        JSON.writeValue(file.toFile(), json);
        final PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "detection (IoU >= %.2f, %s ROIs): precision %.3f  recall %.3f  F1 %.3f%n", iou,
                allRois ? "all" : "iscell", score.precision(), score.recall(), score.f1());
        w.printf(Locale.ROOT, "  %d true neurons, %d detections: %d matched, %d false, %d duplicates across planes,"
                + " %d on silent/dim neurons (not scored); mean IoU %.2f%n", score.truthNeurons(), score.detections(),
                score.truePositives(), score.falsePositives(), score.duplicates(), score.ignored(), score.meanIou());
        if (Double.isNaN(traceR)) {
            w.println("traces: none in the run (no RUNDIR/suite2p/combined/dff.npy) or in the truth");
        } else {
            w.printf(Locale.ROOT, "traces: median Pearson r of dF/F %.3f over %d matched neurons%n", traceR, traced);
        }
        w.println("written: " + file);
        w.flush();
        return 0;
    }

    /** The truth as the evaluator wants it. */
    private record Truth(List<TruthMask> masks, Map<Integer, float[]> dff) {
    }

    /** The run's ROIs and traces. */
    private record Run(List<DetectedMask> masks, float[][] dff) {
    }

    static Truth readTruth(final Path dir, final double visibleWeight, final boolean depthOrder,
            final boolean aligned) throws IOException {
        final Path json = dir.resolve("truth.json");
        if (!Files.isRegularFile(json)) {
            throw new IOException("truth folder " + dir + " has no truth.json (is it a simulator's truth folder?)");
        }
        final JsonNode root = JSON.readTree(json.toFile());
        final JsonNode geometry = root.path("geometry");
        final int width = geometry.path("plane_width").asInt(-1);
        final int height = geometry.path("plane_height").asInt(-1);
        if (width < 1 || height < 1) {
            throw new IOException(json + " lacks geometry.plane_width or plane_height");
        }
        final int[] idx = Npy.read(need(dir, "footprints_index.npy")).ints();
        final float[] wts = Npy.read(need(dir, "footprints_weight.npy")).floats();
        if (idx.length != 4 * wts.length) {
            throw new IOException(dir + ": footprints_index.npy has " + idx.length / 4 + " rows but footprints_weight.npy "
                    + wts.length + " weights");
        }
        final int[] order = Npy.read(need(dir, "plane_order.npy")).ints();
        // the pipeline aligns plane c onto the reference: out(x, y) = in(x - dx, y - dy), so a true pixel moves by
        // the rounded offset (plane_offsets.npy is per channel: [dx, dy])
        final int[] shiftX = new int[order.length];
        final int[] shiftY = new int[order.length];
        if (aligned) {
            final double[] off = Npy.read(need(dir, "plane_offsets.npy")).doubles();
            if (off.length != 2 * order.length) {
                throw new IOException(dir + ": plane_offsets.npy holds " + off.length / 2 + " offsets for "
                        + order.length + " planes");
            }
            for (int c = 0; c < order.length; c++) {
                shiftX[c] = (int) Math.round(off[2 * c]);
                shiftY[c] = (int) Math.round(off[2 * c + 1]);
            }
        }
        final Set<Integer> fired = new HashSet<>();
        final int[] spikes = Npy.read(need(dir, "spikes.npy")).ints();
        for (int k = 0; k + 2 < spikes.length; k += 3) {
            fired.add(spikes[k]);
        }
        // group rows by (neuron, plane)
        final Map<Long, List<Integer>> rows = new LinkedHashMap<>();
        final Map<Integer, Float> peak = new HashMap<>();
        for (int r = 0; r < wts.length; r++) {
            final int neuron = idx[4 * r];
            final int channel = idx[4 * r + 1];
            if (channel < 0 || channel >= order.length) {
                throw new IOException(dir + ": footprint row " + r + " names plane " + channel + " but plane_order.npy"
                        + " has " + order.length + " planes");
            }
            final int plane = depthOrder ? order[channel] : channel;
            final int y = idx[4 * r + 2] + shiftY[channel];
            final int x = idx[4 * r + 3] + shiftX[channel];
            idx[4 * r + 2] = y;
            idx[4 * r + 3] = x;
            if (x < 0 || y < 0 || x >= width || y >= height) {
                continue; // moved out of the aligned plane
            }
            rows.computeIfAbsent(((long) neuron << 32) | plane, k -> new ArrayList<>()).add(r);
            peak.merge(neuron, wts[r], Math::max);
        }
        final List<TruthMask> masks = new ArrayList<>();
        for (final Map.Entry<Long, List<Integer>> e : rows.entrySet()) {
            final int neuron = (int) (e.getKey() >>> 32);
            final int plane = (int) (long) e.getKey();
            float max = 0;
            for (final int r : e.getValue()) {
                max = Math.max(max, wts[r]);
            }
            final List<Integer> px = new ArrayList<>();
            for (final int r : e.getValue()) {
                if (wts[r] >= 0.5f * max) {
                    px.add(idx[4 * r + 2] * width + idx[4 * r + 3]);
                }
            }
            final boolean counted = fired.contains(neuron) && peak.get(neuron) >= visibleWeight;
            masks.add(new TruthMask(neuron, plane, px.stream().mapToInt(Integer::intValue).toArray(), counted));
        }
        Map<Integer, float[]> dff = null;
        final Path dffFile = dir.resolve("dff.npy");
        if (Files.isRegularFile(dffFile)) {
            final Npy.Array a = Npy.read(dffFile);
            final long[] shape = a.shape();
            if (shape.length == 2 && shape[1] > 1) {
                final float[] all = a.floats();
                final int volumes = (int) shape[1];
                dff = new HashMap<>();
                for (int n = 0; n < shape[0]; n++) {
                    dff.put(n, java.util.Arrays.copyOfRange(all, n * volumes, (n + 1) * volumes));
                }
            }
        }
        return new Truth(masks, dff);
    }

    static Run readRun(final Path runDir, final boolean allRois) throws IOException {
        final Path dir = runDir.resolve("suite2p").resolve("combined");
        if (!Files.isDirectory(dir)) {
            throw new IOException("run folder " + runDir + " has no suite2p/combined/ (was it written by beadstream?)");
        }
        final JsonNode ops = JSON.readTree(need(dir, "ops.json").toFile());
        final int width = ops.path("Lx").asInt(-1);
        if (width < 1) {
            throw new IOException(dir.resolve("ops.json") + " lacks Lx");
        }
        final long[] offsets = NpyFiles.readInt64(need(dir, "stat_offsets.npy"));
        final int[] ypix = NpyFiles.readInt32(need(dir, "stat_ypix.npy"));
        final int[] xpix = NpyFiles.readInt32(need(dir, "stat_xpix.npy"));
        final int[] iplane = NpyFiles.readInt32(need(dir, "stat_iplane.npy"));
        final double[] iscell = NpyFiles.readFloat64(need(dir, "iscell.npy"));
        final int n = iplane.length;
        if (offsets.length != n + 1 || iscell.length != 2 * n || offsets[n] != ypix.length
                || ypix.length != xpix.length) {
            throw new IOException(dir + ": stat files disagree (" + n + " ROIs, " + offsets.length + " offsets, "
                    + iscell.length / 2 + " iscell rows, " + ypix.length + " y and " + xpix.length + " x pixels)");
        }
        final List<Integer> keep = new ArrayList<>();
        final List<DetectedMask> masks = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            if (!allRois && iscell[2 * r] < 0.5) {
                continue;
            }
            keep.add(r);
            final int[] px = new int[(int) (offsets[r + 1] - offsets[r])];
            for (int k = 0; k < px.length; k++) {
                final int e = (int) offsets[r] + k;
                px[k] = ypix[e] * width + xpix[e];
            }
            masks.add(new DetectedMask(iplane[r], px));
        }
        float[][] dff = null;
        final Path dffFile = dir.resolve("dff.npy");
        if (Files.isRegularFile(dffFile)) {
            final NpyHeader h = NpyFiles.header(dffFile);
            final long[] shape = h.shape();
            if (shape.length == 2 && shape[0] == n && shape[1] > 1) {
                final float[] all = NpyFiles.readFloat32(dffFile);
                final int frames = (int) shape[1];
                dff = new float[keep.size()][frames];
                for (int i = 0; i < keep.size(); i++) {
                    final int r = keep.get(i);
                    for (int t = 0; t < frames; t++) {
                        // Fortran (rois, frames): frame-major in the file
                        dff[i][t] = h.fortranOrder() ? all[t * n + r] : all[r * frames + t];
                    }
                }
            }
        }
        return new Run(masks, dff);
    }

    private static Path need(final Path dir, final String name) throws IOException {
        final Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IOException(dir + " lacks " + name);
        }
        return p;
    }
}
