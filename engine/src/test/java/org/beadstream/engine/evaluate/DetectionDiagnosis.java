package org.beadstream.engine.evaluate;

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
     * @param causes    counted neurons by cause (always-imaged rule, templates' frame, all ROIs)
     * @param recallBySpikes found / counted per band of spikes in the detection window
     * @param detail    one line per missed neuron
     * @param seconds   wall time of the pipeline run
     */
    record Diagnosis(DetectionScore earlier, DetectionScore standard, DetectionScore aligned,
            Map<String, Integer> causes, Map<String, int[]> recallBySpikes, List<String> detail, double seconds) {
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
        System.out.println("counted neurons by cause:  " + d.causes());
        d.recallBySpikes().forEach((k, v) -> System.out.println("  spikes " + k + ": found " + v[0] + " / " + v[1]));
        if (verbose) {
            d.detail().forEach(System.out::println);
        }
    }

    /**
     * Runs and diagnoses: the small preset, 25 s, unless {@code overrides} say otherwise.
     *
     * @param overrides configuration keys and values
     */
    static Diagnosis run(final Map<String, String> overrides) throws Exception {
        final Map<String, String> ov = new LinkedHashMap<>();
        ov.put("simulation.preset", "small");
        ov.put("simulation.seconds", "25");
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
            detail.add(String.format(Locale.ROOT, "neuron %4d at (%5.1f, %5.1f, z %5.1f um): %-52s spikes %3d, "
                    + "peak weight %.2f on plane %d, baseline %.1f photons; best ROI IoU %.2f (plane %d, %d px vs "
                    + "mask %d px)", id, sim.neurons().xPx(id), sim.neurons().yPx(id), sim.neurons().zUm(id), cause,
                    spikes[id], peak[id][bp], bp, sim.neurons().baselinePhotons(id), best, bestPlane, bestSize,
                    bestMask));
        }
        final int w = fp.planeWidth();
        for (int r = 0; r < fp.roiCount(); r++) {
            if (all.neuronOfDetection()[r] >= 0) {
                continue;
            }
            final int[] px = fp.roiPixels(r);
            double best = 0;
            int id = -1;
            for (final TruthMask t : truth.masks()) {
                if (t.plane() == fp.plane(r) && t.pixels().length > 0) {
                    final double iou = iou(t.pixels(), px);
                    if (iou > best) {
                        best = iou;
                        id = t.neuron();
                    }
                }
            }
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
        return new Diagnosis(earlier, standard, aligned, causes, bySpikes, detail, seconds);
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
