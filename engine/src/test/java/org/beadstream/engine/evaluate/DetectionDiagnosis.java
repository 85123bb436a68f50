package org.beadstream.engine.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.beadstream.acquisition.sim.ActivityTraces;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.PlaneFootprints;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.pipeline.VolumePipeline;
import org.beadstream.engine.run.Sources;
import org.beadstream.segmentation.detect.DetectedRoi;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * Runs the whole pipeline on the LBM simulator (offline, no recording, no report) and explains its detection score:
 * the score under three truth definitions (the earlier one, the always-imaged rule, and that rule with the masks moved
 * into the registration templates' frame, scoring cells only), and every counted neuron that was missed, by cause.
 *
 * <pre>java -cp engine-tests.jar:beadstream.jar org.beadstream.engine.evaluate.DetectionDiagnosis \
 *     simulation.brightness=6 [key=value ...] [--verbose]</pre>
 * Test-scope tool; not thread-safe.
 */
public final class DetectionDiagnosis {

    /** Causes, in the order they are tested. */
    static final String FOUND = "found";
    static final String MERGE = "found in its plane, lost in the cross-plane merge";
    static final String TAKEN = "IoU >= 0.5 in its plane, but the ROI went to another neuron";
    static final String LARGE = "best ROI IoU 0.2-0.5, ROI larger than the mask";
    static final String SMALL = "best ROI IoU 0.2-0.5, ROI smaller than the mask";
    static final String OVERLAP = "only ROIs of neighbours overlap (IoU < 0.2)";
    static final String NONE = "no ROI overlaps it";

    /**
     * What a run scored and why.
     *
     * @param earlier   score under the earlier truth rule (any 20 footprint pixels in the plane), all ROIs
     * @param standard  score as {@code bench pipeline} reports it (always-imaged rule), all ROIs
     * @param aligned   always-imaged rule, masks in the templates' frame, ROIs with p(cell) >= the config's threshold
     * @param alignedAll always-imaged rule, masks in the templates' frame, every ROI
     * @param causes    counted neurons by cause (always-imaged rule, templates' frame, all ROIs)
     * @param recallBySpikes found / counted per band of spikes in the detection window
     * @param recallByPeakWeight found / counted per band of the neuron's largest footprint weight over all planes (low:
     *                       the soma sits between two planes, each seeing part of it)
     * @param recallByEdgeDistance found / counted per band of the neuron centre's distance from the plane's edge
     * @param detail    one line per missed neuron
     * @param seconds   wall time of the pipeline run
     */
    record Diagnosis(DetectionScore earlier, DetectionScore standard, DetectionScore aligned, DetectionScore alignedAll,
            Map<String, Integer> causes, Map<String, int[]> recallBySpikes, Map<String, int[]> recallByPeakWeight,
            Map<String, int[]> recallByEdgeDistance, List<String> detail, double seconds) {
    }

    private DetectionDiagnosis() {
    }

    /** Entry point: key=value configuration overrides, {@code --verbose} prints every missed neuron. */
    public static void main(final String[] args) throws Exception {
        final Map<String, String> ov = new LinkedHashMap<>();
        boolean verbose = false;
        for (final String a : args) {
            if (a.equals("--verbose")) {
                verbose = true;
                continue;
            }
            final int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got '" + a + "'");
            }
            ov.put(a.substring(0, eq), a.substring(eq + 1));
        }
        final Diagnosis d = run(ov);
        System.out.printf(Locale.ROOT, "pipeline %.1f s%n", d.seconds());
        System.out.println("earlier truth rule:        " + d.earlier());
        System.out.println("always-imaged rule:        " + d.standard());
        System.out.println("  + templates' frame, cells: " + d.aligned());
        System.out.println("  + templates' frame, all:   " + d.alignedAll());
        System.out.println("counted neurons by cause:  " + d.causes());
        d.recallBySpikes().forEach((k, v) -> System.out.println("  spikes " + k + ": found " + v[0] + " / " + v[1]));
        d.recallByPeakWeight().forEach((k, v) -> System.out.println("  peak weight " + k + ": found " + v[0] + " / "
                + v[1]));
        d.recallByEdgeDistance().forEach((k, v) -> System.out.println("  centre " + k + " px from the edge: found "
                + v[0] + " / " + v[1]));
        if (verbose) {
            d.detail().forEach(System.out::println);
        }
    }

    /**
     * Runs and diagnoses: the small preset, 65 s, unless {@code overrides} say otherwise.
     *
     * @param overrides configuration keys and values
     */
    static Diagnosis run(final Map<String, String> overrides) throws Exception {
        final Map<String, String> ov = new LinkedHashMap<>();
        ov.put("simulation.preset", "small");
        ov.put("simulation.seconds", "65");
        ov.put("recording.enabled", "false");
        ov.put("output.report", "false");
        ov.putAll(overrides);
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, ov, "diagnosis");
        final Path dir = Files.createTempDirectory("beadstream-diagnosis-");
        try (SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            final LbmSimulation sim = src.simulation();
            final long t0 = System.nanoTime();
            final PipelineRun run = new PipelineRun("diagnosis", src, Pipelines.layoutOf(sim),
                    Pipelines.calibrationOf(sim), cfg, dir).status(null);
            run.run();
            final double seconds = (System.nanoTime() - t0) / 1e9;
            return diagnose(sim, run.pipeline(), cfg.getDouble("detection.iscell_threshold"), seconds);
        }
    }

    static Diagnosis diagnose(final LbmSimulation sim, final VolumePipeline p, final double iscell,
            final double seconds) {
        final Footprints fp = p.footprints();
        final int bv = p.bootstrapVolumes();
        final long first = p.firstVolume();
        final int planes = p.planes();
        final float[][] sx = new float[planes][];
        final float[][] sy = new float[planes][];
        for (int c = 0; c < planes; c++) {
            sx[c] = p.shiftX(c);
            sy[c] = p.shiftY(c);
        }
        final double[][] tmpl = SimulationTruth.templateOffsets(sim, first, sx, sy);
        final DetectionScore earlier = new SimulationTruth(sim, first, bv, bv, 3, 20, 0, null).score(fp, null)
                .detection();
        final DetectionScore standard = new SimulationTruth(sim, first, bv, bv, 3, 20).score(fp, null).detection();
        final SimulationTruth truth = new SimulationTruth(sim, first, bv, bv, 3, 20,
                SimulationTruth.DEFAULT_MIN_INSIDE_FRACTION, tmpl);
        final DetectionScore aligned = truth.score(fp, null, iscell).detection();
        final DetectionScore all = truth.score(fp, null, 0).detection();
        final List<DetectedRoi> pre = new ArrayList<>();
        p.segmentation().planes().forEach(d -> pre.addAll(d.rois()));
        final DetectionScore scPre = DetectionEvaluator.score(truth.masks(), DetectionEvaluator.masksOf(pre));
        final Set<Integer> found = ids(all.neuronOfDetection());
        final Set<Integer> foundPre = ids(scPre.neuronOfDetection());
        final Map<Long, int[]> maskOf = new HashMap<>();
        final Set<Integer> counted = new HashSet<>();
        for (final TruthMask t : truth.masks()) {
            maskOf.put(((long) t.neuron() << 8) | t.plane(), t.pixels());
            if (t.counted()) {
                counted.add(t.neuron());
            }
        }
        final int n = sim.neurons().count();
        final ActivityTraces act = sim.activity(0, n, Math.toIntExact(first + bv));
        final int[] spikes = new int[n];
        for (int k = 0; k < n; k++) {
            for (int v = 0; v < bv; v++) {
                spikes[k] += act.spikes(k, (int) first + v);
            }
        }
        final double[][] peak = new double[n][planes];
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = sim.footprints(c);
            for (int k = 0; k < f.count(); k++) {
                for (int e = f.start(k); e < f.end(k); e++) {
                    peak[f.neuron(k)][sim.planeOrder()[c]] = Math.max(peak[f.neuron(k)][sim.planeOrder()[c]],
                            f.weight(e));
                }
            }
        }
        final Map<String, Integer> causes = new TreeMap<>();
        final List<String> detail = new ArrayList<>();
        for (final int id : counted) {
            if (found.contains(id)) {
                causes.merge(FOUND, 1, Integer::sum);
                continue;
            }
            double best = 0;
            int bestPlane = -1;
            int bestSize = 0;
            int bestMask = 0;
            for (final DetectedRoi r : pre) {
                final int[] m = maskOf.get(((long) id << 8) | r.plane());
                if (m != null) {
                    final double iou = iou(m, r.pixels());
                    if (iou > best) {
                        best = iou;
                        bestPlane = r.plane();
                        bestSize = r.pixels().length;
                        bestMask = m.length;
                    }
                }
            }
            final String cause = foundPre.contains(id) ? MERGE : best >= 0.5 ? TAKEN
                    : best >= 0.2 ? (bestSize > bestMask ? LARGE : SMALL) : best > 0 ? OVERLAP : NONE;
            causes.merge(cause, 1, Integer::sum);
            int bp = 0;
            for (int c = 1; c < planes; c++) {
                bp = peak[id][c] > peak[id][bp] ? c : bp;
            }
            // the initial score map's largest value within 4 px of the neuron's centre, per plane
            final StringBuilder v = new StringBuilder();
            for (final org.beadstream.segmentation.detect.PlaneDetection pd : p.segmentation().planes()) {
                final int ch = channelOf(sim, pd.plane());
                final double[] off = sim.planeOffsetPx(ch);
                final int cx = (int) Math.round(sim.neurons().xPx(id) + Math.round(off[0]) - tmpl[pd.plane()][0]);
                final int cy = (int) Math.round(sim.neurons().yPx(id) + Math.round(off[1]) - tmpl[pd.plane()][1]);
                float vmax = 0;
                for (int yy = Math.max(0, cy - 4); yy <= Math.min(pd.height() - 1, cy + 4); yy++) {
                    for (int xx = Math.max(0, cx - 4); xx <= Math.min(pd.width() - 1, cx + 4); xx++) {
                        vmax = Math.max(vmax, pd.scoreMap()[yy * pd.width() + xx]);
                    }
                }
                v.append(String.format(Locale.ROOT, " %.0f", vmax));
            }
            if (cause.equals(MERGE)) {
                // which detection matched it, and what the merge kept instead
                final int[] nod = scPre.neuronOfDetection();
                for (int i = 0; i < nod.length; i++) {
                    if (nod[i] != id) {
                        continue;
                    }
                    final DetectedRoi mine = pre.get(i);
                    for (final org.beadstream.segmentation.planes.MergeRecord mr : p.segmentation().merge().merges()) {
                        final DetectedRoi dropped = p.segmentation().planes().get(mr.mergedPlane()).rois()
                                .get(mr.mergedIndex());
                        if (dropped != mine) {
                            continue;
                        }
                        final DetectedRoi kept = p.segmentation().planes().get(mr.keptPlane()).rois()
                                .get(mr.keptIndex());
                        final Best b = best(truth, kept.plane(), kept.pixels());
                        detail.add(String.format(Locale.ROOT, "  merge of neuron %d: %s; the kept ROI (plane %d, "
                                + "%d px) best matches neuron %d (IoU %.2f, %s)", id, mr.reason(), kept.plane(),
                                kept.pixels().length, b.neuron(), b.iou(), counted.contains(b.neuron()) ? "counted"
                                        : "not counted"));
                    }
                }
            }
            detail.add(String.format(Locale.ROOT, "neuron %4d at (%5.1f, %5.1f, z %5.1f um): %-52s spikes %3d, "
                    + "peak weight %.2f on plane %d, baseline %.1f photons; best ROI IoU %.2f (plane %d, %d px vs "
                    + "mask %d px); V near it by plane:%s", id, sim.neurons().xPx(id), sim.neurons().yPx(id),
                    sim.neurons().zUm(id), cause, spikes[id], peak[id][bp], bp, sim.neurons().baselinePhotons(id), best,
                    bestPlane, bestSize, bestMask, v));
        }
        final int w = fp.planeWidth();
        for (int r = 0; r < fp.roiCount(); r++) {
            if (all.neuronOfDetection()[r] >= 0) {
                continue;
            }
            final int[] px = fp.roiPixels(r);
            final Best b = best(truth, fp.plane(r), px);
            final double best = b.iou();
            final int id = b.neuron();
            String twin = "";
            if (best >= 0.5 && found.contains(id)) {
                for (int q = 0; q < fp.roiCount(); q++) {
                    if (all.neuronOfDetection()[q] == id) {
                        final List<DetectedRoi> kept = p.segmentation().merge().kept();
                        twin = String.format(Locale.ROOT, "; DUPLICATE of ROI %d on plane %d, %.1f px away, trace r "
                                + "%.2f", q, fp.plane(q), Math.hypot(fp.stats(q).centroidX() - fp.stats(r).centroidX(),
                                fp.stats(q).centroidY() - fp.stats(r).centroidY()),
                                DetectionEvaluator.pearson(kept.get(q).trace(), kept.get(r).trace()));
                    }
                }
            }
            detail.add(String.format(Locale.ROOT, "unmatched ROI %3d on plane %d at (%5.1f, %5.1f), %3d px, p(cell) "
                    + "%.2f: best neuron %d (IoU %.2f, %s, %d spikes)", r, fp.plane(r), fp.stats(r).centroidX(),
                    fp.stats(r).centroidY(), px.length, fp.cellProbability(r), id, best,
                    id >= 0 && counted.contains(id) ? "counted" : "not counted", id >= 0 ? spikes[id] : 0) + twin);
        }
        // every merge: were the two detections the same neuron? (best truth match of each, IoU >= 0.3)
        for (final org.beadstream.segmentation.planes.MergeRecord mr : p.segmentation().merge().merges()) {
            final DetectedRoi kept = p.segmentation().planes().get(mr.keptPlane()).rois().get(mr.keptIndex());
            final DetectedRoi dropped = p.segmentation().planes().get(mr.mergedPlane()).rois().get(mr.mergedIndex());
            final Best bk = best(truth, kept.plane(), kept.pixels());
            final Best bd = best(truth, dropped.plane(), dropped.pixels());
            final int nk = bk.iou() >= 0.3 ? bk.neuron() : -1;
            final int nd = bd.iou() >= 0.3 ? bd.neuron() : -1;
            final String kind = nk < 0 || nd < 0 ? "unknown" : nk == nd ? "same" : "DIFFERENT";
            detail.add(String.format(Locale.ROOT, "merge %-9s planes %d<-%d d %.1f r %.2f%s", kind, mr.keptPlane(),
                    mr.mergedPlane(), mr.distancePixels(), mr.correlation(), nk >= 0 && nd >= 0 && nk != nd
                            ? " (neurons " + nk + (counted.contains(nk) ? " counted" : "") + ", " + nd
                                    + (counted.contains(nd) ? " counted" : "") + ")" : ""));
        }
        final String show = System.getProperty("diagnosis.show");
        if (show != null) {
            for (final String tok : show.split(",")) {
                final int id = Integer.parseInt(tok.trim());
                for (int depth = 0; depth < planes; depth++) {
                    final int[] m = maskOf.get(((long) id << 8) | depth);
                    if (m == null || m.length == 0) {
                        continue;
                    }
                    detail.add(picture(id, depth, m, truth, p, pre, sim, peak));
                }
            }
        }
        final int[][] bands = {{3, 4}, {5, 7}, {8, 12}, {13, 20}, {21, Integer.MAX_VALUE}};
        final Map<String, int[]> bySpikes = new LinkedHashMap<>();
        for (final int[] b : bands) {
            final int[] fc = new int[2];
            for (final int id : counted) {
                if (spikes[id] >= b[0] && spikes[id] <= b[1]) {
                    fc[1]++;
                    fc[0] += found.contains(id) ? 1 : 0;
                }
            }
            bySpikes.put(b[1] == Integer.MAX_VALUE ? b[0] + "+" : b[0] + "-" + b[1], fc);
        }
        final double[] weightBands = {0, 0.45, 0.55, 0.65, 1.01};
        final Map<String, int[]> byWeight = new LinkedHashMap<>();
        for (int b = 0; b + 1 < weightBands.length; b++) {
            final int[] fc = new int[2];
            for (final int id : counted) {
                final double pw = Arrays.stream(peak[id]).max().orElse(0);
                if (pw >= weightBands[b] && pw < weightBands[b + 1]) {
                    fc[1]++;
                    fc[0] += found.contains(id) ? 1 : 0;
                }
            }
            byWeight.put(String.format(Locale.ROOT, "%.2f-%.2f", weightBands[b], Math.min(1, weightBands[b + 1])), fc);
        }
        final int[] edgeBands = {0, 4, 8, 12, Integer.MAX_VALUE};
        final Map<String, int[]> byEdge = new LinkedHashMap<>();
        final int fw = fp.planeWidth();
        final int fh = fp.planeHeight();
        for (int b = 0; b + 1 < edgeBands.length; b++) {
            final int[] fc = new int[2];
            for (final int id : counted) {
                final double x = sim.neurons().xPx(id);
                final double y = sim.neurons().yPx(id);
                final double e = Math.min(Math.min(x, fw - 1 - x), Math.min(y, fh - 1 - y));
                if (e >= edgeBands[b] && e < edgeBands[b + 1]) {
                    fc[1]++;
                    fc[0] += found.contains(id) ? 1 : 0;
                }
            }
            byEdge.put(edgeBands[b + 1] == Integer.MAX_VALUE ? ">= " + edgeBands[b] : edgeBands[b] + "-"
                    + edgeBands[b + 1], fc);
        }
        return new Diagnosis(earlier, standard, aligned, all, causes, bySpikes, byWeight, byEdge, detail, seconds);
    }

    /**
     * ASCII picture around neuron {@code id} on plane {@code depth}: '@' kept-ROI pixel in its mask, 'R' kept-ROI pixel
     * outside it, 'o' mask pixel in no kept ROI, a letter per other kept ROI, '+' other neurons' mask pixels of weight
     * >= 0.3 of their peak, '.' elsewhere; below, the ROIs' sizes and the neurons under them.
     */
    private static String picture(final int id, final int depth, final int[] mask, final SimulationTruth truth,
            final VolumePipeline p, final List<DetectedRoi> pre, final LbmSimulation sim, final double[][] peak) {
        final Footprints fp = p.footprints();
        final int w = fp.planeWidth();
        final int h = fp.planeHeight();
        long sx = 0;
        long sy = 0;
        for (final int q : mask) {
            sx += q % w;
            sy += q / w;
        }
        final int cx = (int) (sx / mask.length);
        final int cy = (int) (sy / mask.length);
        final char[][] g = new char[h][w];
        for (final char[] row : g) {
            Arrays.fill(row, '.');
        }
        for (final TruthMask t : truth.masks()) {
            if (t.plane() != depth || t.neuron() == id) {
                continue;
            }
            for (final int q : t.pixels()) {
                g[q / w][q % w] = '+';
            }
        }
        final Set<Integer> in = new HashSet<>();
        for (final int q : mask) {
            in.add(q);
            g[q / w][q % w] = 'o';
        }
        final StringBuilder legend = new StringBuilder();
        char letter = 'a';
        for (int r = 0; r < fp.roiCount(); r++) {
            if (fp.plane(r) != depth) {
                continue;
            }
            final int[] px = fp.roiPixels(r);
            boolean near = false;
            for (final int q : px) {
                near |= Math.abs(q % w - cx) <= 14 && Math.abs(q / w - cy) <= 14;
            }
            if (!near) {
                continue;
            }
            int hit = 0;
            for (final int q : px) {
                hit += in.contains(q) ? 1 : 0;
            }
            final boolean mine = hit * 2 > px.length;
            for (final int q : px) {
                g[q / w][q % w] = mine ? (in.contains(q) ? '@' : 'R') : letter;
            }
            final Best b = best(truth, depth, px);
            final int bn = b.neuron();
            final double bi = b.iou();
            legend.append(String.format(Locale.ROOT, " %s=ROI %d (%d px, %d in mask, p %.2f; best neuron %d IoU %.2f "
                    + "at (%.1f, %.1f, z %.1f))", mine ? "@/R" : letter, r, px.length, hit, fp.cellProbability(r), bn,
                    bi, bn < 0 ? 0 : sim.neurons().xPx(bn), bn < 0 ? 0 : sim.neurons().yPx(bn),
                    bn < 0 ? 0 : sim.neurons().zUm(bn)));
            if (!mine) {
                letter++;
            }
        }
        final StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "neuron %d on plane %d (mask %d px, weight peak here %.2f):%s%n", id, depth, mask.length,
                peak[id][depth], legend));
        for (int y = Math.max(0, cy - 14); y <= Math.min(h - 1, cy + 14); y++) {
            b.append("    ");
            for (int x = Math.max(0, cx - 14); x <= Math.min(w - 1, cx + 14); x++) {
                b.append(g[y][x]);
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The neuron whose mask on {@code plane} has the largest IoU with {@code pixels} (-1 and 0 when none). */
    private record Best(int neuron, double iou) {
    }

    private static Best best(final SimulationTruth truth, final int plane, final int[] pixels) {
        double best = 0;
        int id = -1;
        for (final TruthMask t : truth.masks()) {
            if (t.plane() == plane && t.pixels().length > 0) {
                final double v = iou(t.pixels(), pixels);
                if (v > best) {
                    best = v;
                    id = t.neuron();
                }
            }
        }
        return new Best(id, best);
    }

    private static int channelOf(final LbmSimulation sim, final int depth) {
        for (int c = 0; c < sim.planeOrder().length; c++) {
            if (sim.planeOrder()[c] == depth) {
                return c;
            }
        }
        throw new IllegalArgumentException("no channel images depth " + depth);
    }

    private static Set<Integer> ids(final int[] neuronOf) {
        final Set<Integer> s = new HashSet<>();
        for (final int x : neuronOf) {
            if (x >= 0) {
                s.add(x);
            }
        }
        return s;
    }

    private static double iou(final int[] a, final int[] b) {
        final Set<Integer> s = new HashSet<>();
        for (final int x : a) {
            s.add(x);
        }
        int in = 0;
        for (final int x : b) {
            in += s.contains(x) ? 1 : 0;
        }
        return in / (double) (a.length + b.length - in);
    }
}
