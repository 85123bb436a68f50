package org.beadstream.benchmarks.segmentation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.PlaneFootprints;
import org.beadstream.acquisition.sim.RenderOptions;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.traces.sink.Suite2pLayoutSink;

/**
 * Segmentation on the acquisition module's LBM simulator (somata with nuclei, vessels, axial PSF, photon noise,
 * per-plane lateral offsets): every plane's assembled, registered frames (simulator renders without motion, with
 * noise) are binned, the volume is segmented, scored in memory against the simulator's footprints (half-peak
 * masks; a neuron is counted when it fires and its footprint weight reaches 0.3), and written as a run folder
 * (suite2p layout, ROIs only) next to the simulator's truth so that {@code beadstream evaluate} can score it too.
 *
 * <pre>java -cp benchmarks.jar org.beadstream.benchmarks.segmentation.LbmSimulationRun [preset=small]
 *      [neurons=300] [volumes=300] [outDir=/tmp/lbm-seg] [eventThreshold minScore [diameterPixels]]</pre>
 * Not thread-safe; a command-line program.
 */
public final class LbmSimulationRun {

    private LbmSimulationRun() {
    }

    /** Entry point; arguments as in the class comment. */
    public static void main(final String[] args) throws Exception {
        final String preset = args.length > 0 ? args[0] : "small";
        final int neurons = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        final int volumes = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        final Path out = Path.of(args.length > 3 ? args[3] : "/tmp/lbm-seg");
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder(preset).neurons(neurons)
                .volumes(volumes).seed(7).build());
        final int planes = sim.parameters().planes();
        final int w = sim.layout().planeWidth();
        final int h = sim.layout().planeHeight();
        final double rate = sim.parameters().volumeRateHz();
        final DetectionParameters base = args.length > 6
                ? DetectionParameters.DEFAULT.withDiameter(Double.parseDouble(args[6])) : DetectionParameters.DEFAULT;
        final DetectionParameters dp = args.length > 5 ? base.withThresholds(Double.parseDouble(args[4]),
                Double.parseDouble(args[5])) : base;
        final int bin = dp.binFrames(volumes, rate);
        final List<BinnedMovie> binned = new ArrayList<>();
        final float[] frame = new float[w * h];
        for (int c = 0; c < planes; c++) {
            binned.add(new BinnedMovie(w, h, bin, volumes / bin, rate));
        }
        final long t0 = System.nanoTime();
        for (int v = 0; v < volumes / bin * bin; v++) {
            for (int c = 0; c < planes; c++) {
                sim.renderAssembledPlane(v, c, frame, new RenderOptions(false, true));
                binned.get(c).addFrame(frame, 0);
            }
        }
        final long t1 = System.nanoTime();
        final double[] ox = new double[planes];
        final double[] oy = new double[planes];
        for (int c = 0; c < planes; c++) {
            ox[c] = sim.planeOffsetPx(c)[0];
            oy[c] = sim.planeOffsetPx(c)[1];
        }
        final VolumeSegmenter.Result r = new VolumeSegmenter(dp, MergeParameters.DEFAULT, NeuropilParameters.DEFAULT,
                CellClassifier.standard(), 2).segment(binned, ox, oy);
        final long t2 = System.nanoTime();
        // truth: half-peak masks per (neuron, plane); counted when the neuron fires and reaches weight 0.3
        final double[] peak = new double[sim.neurons().count()];
        final List<TruthMask> truth = new ArrayList<>();
        final List<PlaneFootprints> fps = new ArrayList<>();
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = sim.footprints(c);
            fps.add(f);
            for (int k = 0; k < f.count(); k++) {
                for (int e = f.start(k); e < f.end(k); e++) {
                    peak[f.neuron(k)] = Math.max(peak[f.neuron(k)], f.weight(e));
                }
            }
        }
        final boolean[] fired = new boolean[peak.length];
        final int[] spikeCount = new int[peak.length];
        final var act = sim.activity(0, peak.length, volumes);
        for (int i = 0; i < peak.length; i++) {
            for (int v = 0; v < volumes; v++) {
                spikeCount[i] += act.spikes(i, v);
            }
            fired[i] = spikeCount[i] > 0;
        }
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = fps.get(c);
            for (int k = 0; k < f.count(); k++) {
                float max = 0;
                for (int e = f.start(k); e < f.end(k); e++) {
                    max = Math.max(max, f.weight(e));
                }
                final List<Integer> px = new ArrayList<>();
                for (int e = f.start(k); e < f.end(k); e++) {
                    if (f.weight(e) >= 0.5f * max) {
                        px.add(f.pixel(e));
                    }
                }
                final int n = f.neuron(k);
                truth.add(new TruthMask(n, c, px.stream().mapToInt(Integer::intValue).toArray(),
                        fired[n] && peak[n] >= 0.3));
            }
        }
        final Footprints fp = r.footprints();
        final DetectionScore all = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(fp));
        final DetectionScore cells = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(
                fp.select(fp.cells(0.5))));
        final int before = r.planes().stream().mapToInt(d -> d.rois().size()).sum();
        final List<org.beadstream.segmentation.detect.DetectedRoi> unmerged = new ArrayList<>();
        r.planes().forEach(d -> unmerged.addAll(d.rois()));
        final DetectionScore pre = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(unmerged));
        System.out.printf(Locale.ROOT, "simulator %s: %d planes of %d x %d, %d volumes at %.3f Hz (bins of %d), %d neurons%n",
                preset, planes, w, h, volumes, rate, bin, peak.length);
        System.out.printf(Locale.ROOT, "render + bin %.1f s; segmentation %.1f s%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        System.out.printf(Locale.ROOT, "before merge (%d ROIs): %s%n", before, pre);
        System.out.printf(Locale.ROOT, "after merge, all ROIs (%d, %d merges): %s%n", fp.roiCount(),
                r.merge().merges().size(), all);
        System.out.printf(Locale.ROOT, "after merge, iscell ROIs (%d): %s%n", fp.cells(0.5).length, cells);
        // recall by activity: neurons found (after merge, all ROIs) among counted neurons with k spikes in the window
        final java.util.Set<Integer> found = new java.util.HashSet<>();
        for (final int n : all.neuronOfDetection()) {
            found.add(n);
        }
        final java.util.Set<Integer> counted = new java.util.HashSet<>();
        truth.stream().filter(TruthMask::counted).forEach(t -> counted.add(t.neuron()));
        final int[][] bands = {{1, 2}, {3, 5}, {6, 10}, {11, 1_000_000}};
        for (final int[] b : bands) {
            int n = 0;
            int f = 0;
            for (final int id : counted) {
                if (spikeCount[id] >= b[0] && spikeCount[id] <= b[1]) {
                    n++;
                    f += found.contains(id) ? 1 : 0;
                }
            }
            System.out.printf(Locale.ROOT, "  recall for neurons with %d-%d spikes in the window: %d / %d%n", b[0],
                    Math.min(b[1], 999), f, n);
        }
        new Suite2pLayoutSink(out, fp, rate, 0.5, Map.of("source", "LbmSimulationRun " + preset), 1).close();
        sim.writeTruth(out.resolve("truth"), volumes);
        // planes here are as imaged (not aligned onto the reference plane as the pipeline's assembly does)
        System.out.println("run folder and truth in " + out + ": beadstream evaluate --truth " + out.resolve("truth")
                + " --run " + out + " --plane-alignment raw");
    }
}
