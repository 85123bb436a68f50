package org.beadstream.engine.evaluate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.beadstream.acquisition.sim.ActivityTraces;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.PlaneFootprints;
import org.beadstream.segmentation.evaluate.DetectedMask;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * The simulator's ground truth in the coordinates of BeadStream's outputs (assembled planes in depth order, aligned by
 * the per-plane calibration offsets), and the scores of a run against it.
 *
 * <p>A true neuron must be found ("counted") when it fired at least {@code minSpikes} spikes during the detection
 * window (the volumes the cells were detected from: an activity-based detector, like suite2p's, cannot see a cell that
 * stayed silent then) and has at least {@code minPixels} footprint pixels in the plane; detections of neurons that are
 * not counted are neither true nor false positives.
 *
 * <p>Immutable after construction; thread-safe for reading.
 */
public final class SimulationTruth {

    /** What a run scored. */
    public record Score(DetectionScore detection, double medianTraceR, int matchedWithTraces) {
    }

    private final List<TruthMask> masks = new ArrayList<>();
    private final Map<Integer, float[]> dff = new HashMap<>();
    private final int volumes;

    /**
     * @param sim       the simulation that made the data
     * @param firstVolume first volume of the run's traces
     * @param volumes   volumes in the run's traces
     * @param detectionVolumes volumes of the detection window, from {@code firstVolume}
     * @param minSpikes spikes a neuron needs in the detection window to be counted
     * @param minPixels footprint pixels a neuron needs in a plane to be counted there
     */
    public SimulationTruth(final LbmSimulation sim, final long firstVolume, final int volumes,
            final int detectionVolumes, final int minSpikes, final int minPixels) {
        this.volumes = volumes;
        final int n = sim.neurons().count();
        final ActivityTraces act = sim.activity(0, n, Math.toIntExact(firstVolume + volumes));
        final int[] spikes = new int[n];
        for (int k = 0; k < n; k++) {
            final float[] d = new float[volumes];
            for (int v = 0; v < volumes; v++) {
                d[v] = act.dff(k, (int) firstVolume + v);
                if (v < detectionVolumes) {
                    spikes[k] += act.spikes(k, (int) firstVolume + v);
                }
            }
            dff.put(k, d);
        }
        final int[] depthOf = sim.planeOrder();
        for (int c = 0; c < depthOf.length; c++) {
            final PlaneFootprints fp = sim.footprints(c);
            final double[] off = sim.planeOffsetPx(c);
            final int ox = (int) Math.round(off[0]);
            final int oy = (int) Math.round(off[1]);
            final int w = fp.width();
            final int h = fp.height();
            for (int k = 0; k < fp.count(); k++) {
                final List<Integer> px = new ArrayList<>();
                for (int e = fp.start(k); e < fp.end(k); e++) {
                    final int x = fp.pixel(e) % w + ox;
                    final int y = fp.pixel(e) / w + oy;
                    if (x >= 0 && y >= 0 && x < w && y < h && fp.weight(e) > 0) {
                        px.add(y * w + x);
                    }
                }
                final int neuron = fp.neuron(k);
                final int[] pixels = px.stream().mapToInt(Integer::intValue).toArray();
                masks.add(new TruthMask(neuron, depthOf[c], pixels,
                        spikes[neuron] >= minSpikes && pixels.length >= minPixels));
            }
        }
    }

    /** The true masks, one per neuron and plane it is visible in. */
    public List<TruthMask> masks() {
        return masks;
    }

    /** True dF/F of neuron {@code id} over the run's volumes. */
    public float[] dff(final int id) {
        return dff.get(id);
    }

    /**
     * Scores the run's footprints and dF/F ({@code [roi][volume]} for the first ROIs, may be {@code null}).
     */
    public Score score(final Footprints footprints, final float[][] runDff) {
        final List<DetectedMask> detected = DetectionEvaluator.masksOf(footprints);
        final DetectionScore d = DetectionEvaluator.score(masks, detected);
        double r = Double.NaN;
        int matched = 0;
        if (runDff != null) {
            final int[] neuronOf = d.neuronOfDetection();
            for (int i = 0; i < neuronOf.length && i < runDff.length; i++) {
                if (neuronOf[i] >= 0 && runDff[i] != null && runDff[i].length == volumes) {
                    matched++;
                }
            }
            r = DetectionEvaluator.medianTraceCorrelation(dff, runDff, neuronOf);
        }
        return new Score(d, r, matched);
    }
}
