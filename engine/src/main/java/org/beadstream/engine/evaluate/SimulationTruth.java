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
 * <p>A true neuron must be found ("counted") when
 * <ul>
 *   <li>it fired at least {@code minSpikes} spikes during the detection window (the volumes the cells were detected
 *       from: an activity-based detector, like suite2p's, cannot see a cell that stayed silent then), and</li>
 *   <li>in at least one plane, at least {@code minPixels} of its footprint pixels, and at least
 *       {@code minInsideFraction} of all its footprint pixels in that plane (counting those beyond the plane's
 *       edge), lie in the plane's <b>always-imaged field</b>: the pixels that stayed inside the field of view in every
 *       frame of the detection window, given the
 *       simulator's true rigid motion in that window and the plane's calibration offset, less one pixel of margin for
 *       the registration template's own position. A soma that is mostly outside that field was not (or only in some
 *       frames) imaged: registration fills what moved in from outside, and suite2p, like BeadStream, excludes that
 *       band from detection.</li>
 * </ul>
 * Detections of neurons that are not counted are neither true nor false positives. The masks scored by IoU are the
 * neurons' footprints (every pixel of non-zero weight) within the always-imaged field: what the data shows, as an
 * annotator drawing on the registered movie would outline it. The field is the physical one, not the (wider) band the
 * pipeline chooses to mask, so a pipeline that masks more than it must pays for it.
 *
 * <p>{@code minInsideFraction = 0} gives the earlier definition (any {@code minPixels} footprint pixels in the plane,
 * however many lay outside the field or in the band the registration leaves blank, and the whole in-plane footprint
 * as the mask); docs/segmentation.md reports both.
 *
 * <p>Immutable after construction; thread-safe for reading.
 */
public final class SimulationTruth {

    /** Default share of a neuron's in-plane footprint that must lie in the always-imaged field for it to count. */
    public static final double DEFAULT_MIN_INSIDE_FRACTION = 0.5;

    /** What a run scored. */
    public record Score(DetectionScore detection, double medianTraceR, int matchedWithTraces) {
    }

    private final List<TruthMask> masks = new ArrayList<>();
    private final Map<Integer, float[]> dff = new HashMap<>();
    private final int volumes;

    /**
     * The truth with the default always-imaged rule ({@link #DEFAULT_MIN_INSIDE_FRACTION}).
     *
     * @param sim       the simulation that made the data
     * @param firstVolume first volume of the run's traces
     * @param volumes   volumes in the run's traces
     * @param detectionVolumes volumes of the detection window, from {@code firstVolume}
     * @param minSpikes spikes a neuron needs in the detection window to be counted
     * @param minPixels footprint pixels a neuron needs in the always-imaged field of a plane to be counted there
     */
    public SimulationTruth(final LbmSimulation sim, final long firstVolume, final int volumes,
            final int detectionVolumes, final int minSpikes, final int minPixels) {
        this(sim, firstVolume, volumes, detectionVolumes, minSpikes, minPixels, DEFAULT_MIN_INSIDE_FRACTION, null);
    }

    /**
     * The truth with an explicit always-imaged rule.
     *
     * @param sim               the simulation that made the data
     * @param firstVolume       first volume of the run's traces
     * @param volumes           volumes in the run's traces, at least 1
     * @param detectionVolumes  volumes of the detection window, from {@code firstVolume}, at least 1
     * @param minSpikes         spikes a neuron needs in the detection window to be counted, at least 0
     * @param minPixels         footprint pixels a neuron needs in the always-imaged field of a plane, at least 1
     * @param minInsideFraction share of the neuron's footprint pixels in that plane that must lie in the always-imaged
     *                          field, in [0, 1]; 0 counts pixels anywhere in the plane (the earlier rule)
     * @param templateOffsetPx  per depth index {x, y}: where the run's registration template sits in the simulator's
     *                          motion-free frame ({@link #templateOffsets}); the masks are moved by minus its rounded
     *                          value into the run's registered coordinates. {@code null}: no motion (the masks stay)
     */
    public SimulationTruth(final LbmSimulation sim, final long firstVolume, final int volumes,
            final int detectionVolumes, final int minSpikes, final int minPixels, final double minInsideFraction,
            final double[][] templateOffsetPx) {
        if (volumes < 1 || detectionVolumes < 1) {
            throw new IllegalArgumentException("truth needs at least one volume of traces and of detection window, was "
                    + volumes + " and " + detectionVolumes);
        }
        if (firstVolume < 0) {
            throw new IllegalArgumentException("first volume must be at least 0, was " + firstVolume);
        }
        if (minSpikes < 0 || minPixels < 1) {
            throw new IllegalArgumentException("min spikes must be >= 0 and min pixels >= 1, were " + minSpikes
                    + " and " + minPixels);
        }
        if (!(minInsideFraction >= 0 && minInsideFraction <= 1)) {
            throw new IllegalArgumentException("min inside fraction must be in [0, 1], was " + minInsideFraction);
        }
        this.volumes = volumes;
        final int n = sim.neurons().count();
        final int first = Math.toIntExact(firstVolume);
        final ActivityTraces act = sim.activity(0, n, Math.toIntExact(firstVolume + Math.max(volumes,
                detectionVolumes)));
        final int[] spikes = new int[n];
        for (int k = 0; k < n; k++) {
            final float[] d = new float[volumes];
            for (int v = 0; v < volumes; v++) {
                d[v] = act.dff(k, first + v);
            }
            for (int v = 0; v < detectionVolumes; v++) {
                spikes[k] += act.spikes(k, first + v);
            }
            dff.put(k, d);
        }
        final int[] depthOf = sim.planeOrder();
        if (templateOffsetPx != null && templateOffsetPx.length != depthOf.length) {
            throw new IllegalArgumentException("template offsets are given for " + templateOffsetPx.length
                    + " planes, the simulation has " + depthOf.length);
        }
        for (int c = 0; c < depthOf.length; c++) {
            final PlaneFootprints fp = sim.footprints(c);
            final double[] off = sim.planeOffsetPx(c);
            final double[] t = templateOffsetPx == null ? new double[2] : templateOffsetPx[depthOf[c]];
            if (t == null || t.length != 2 || !Double.isFinite(t[0]) || !Double.isFinite(t[1])) {
                throw new IllegalArgumentException("template offset of plane " + depthOf[c] + " must be two finite "
                        + "numbers (x, y), was " + java.util.Arrays.toString(t));
            }
            final int ox = (int) Math.round(off[0]) - (int) Math.round(t[0]);
            final int oy = (int) Math.round(off[1]) - (int) Math.round(t[1]);
            final int w = fp.width();
            final int h = fp.height();
            final int[] field = alwaysImaged(sim, c, first, detectionVolumes,
                    new double[] {off[0] - Math.round(t[0]), off[1] - Math.round(t[1])}, w, h);
            for (int k = 0; k < fp.count(); k++) {
                final List<Integer> px = new ArrayList<>();
                int inside = 0;
                for (int e = fp.start(k); e < fp.end(k); e++) {
                    final int x = fp.pixel(e) % w + ox;
                    final int y = fp.pixel(e) / w + oy;
                    if (x >= 0 && y >= 0 && x < w && y < h && fp.weight(e) > 0) {
                        final boolean in = x >= field[0] && x <= field[1] && y >= field[2] && y <= field[3];
                        inside += in ? 1 : 0;
                        if (in || minInsideFraction == 0) {
                            px.add(y * w + x);
                        }
                    }
                }
                final int neuron = fp.neuron(k);
                // the whole soma, also the part beyond the plane's edge: a soma the edge cuts in half is judged on
                // all of it, not on the half the plane holds
                final int all = fp.unclippedSize(k);
                final boolean seen = minInsideFraction == 0 ? px.size() >= minPixels
                        : inside >= minPixels && inside >= minInsideFraction * all;
                final int[] pixels = px.stream().mapToInt(Integer::intValue).toArray();
                masks.add(new TruthMask(neuron, depthOf[c], pixels, spikes[neuron] >= minSpikes && seen));
            }
        }
    }

    /**
     * The always-imaged field of channel {@code c} in output coordinates: {@code {x0, x1, y0, y1}}, inclusive. Output
     * pixel X shows world point X; the raw frame at time t shows it at {@code X - offset + u(t)} (u the rigid shift),
     * so it was imaged in every frame when {@code offset - min u <= X <= size - 1 + offset - max u}; one pixel of
     * margin on each side covers the registration template's own position.
     */
    private static int[] alwaysImaged(final LbmSimulation sim, final int c, final int first, final int n,
            final double[] offset, final int w, final int h) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < n; v++) {
            final double[] u = sim.rigidShiftPx(first + v, c);
            minX = Math.min(minX, u[0]);
            maxX = Math.max(maxX, u[0]);
            minY = Math.min(minY, u[1]);
            maxY = Math.max(maxY, u[1]);
        }
        return new int[] {(int) Math.ceil(offset[0] - minX) + 1, (int) Math.floor(w - 1 + offset[0] - maxX) - 1,
            (int) Math.ceil(offset[1] - minY) + 1, (int) Math.floor(h - 1 + offset[1] - maxY) - 1};
    }

    /**
     * Where a run's registration templates sit in the simulator's motion-free frame, per depth index: the mean over the
     * detection window of the true rigid shift plus the shift the run applied ({@code u(t) + d(t)}, zero when the
     * registration undid the motion exactly and the template sits at the motion-free position). A registration
     * template is an average of frames wherever they happened to be (suite2p's too), so the run's coordinates differ
     * from the motion-free truth by this offset, up to 2 px on the simulator; scoring without it costs IoU for reasons
     * that have nothing to do with detection.
     *
     * @param sim         the simulation that made the data
     * @param firstVolume the detection window's first volume
     * @param shiftX      per depth index, the x shift the run applied to every frame of the window, px
     * @param shiftY      per depth index, the y shift, px
     * @return per depth index {x, y}, px
     */
    public static double[][] templateOffsets(final LbmSimulation sim, final long firstVolume, final float[][] shiftX,
            final float[][] shiftY) {
        final int[] depthOf = sim.planeOrder();
        if (shiftX.length != depthOf.length || shiftY.length != depthOf.length) {
            throw new IllegalArgumentException("shifts are given for " + shiftX.length + " and " + shiftY.length
                    + " planes, the simulation has " + depthOf.length);
        }
        final double[][] out = new double[depthOf.length][2];
        for (int c = 0; c < depthOf.length; c++) {
            final int d = depthOf[c];
            final int n = Math.min(shiftX[d].length, shiftY[d].length);
            double sx = 0;
            double sy = 0;
            int used = 0;
            for (int v = 0; v < n; v++) {
                if (Float.isFinite(shiftX[d][v]) && Float.isFinite(shiftY[d][v])) {
                    final double[] u = sim.rigidShiftPx(firstVolume + v, c);
                    sx += u[0] + shiftX[d][v];
                    sy += u[1] + shiftY[d][v];
                    used++;
                }
            }
            out[d][0] = used == 0 ? 0 : sx / used;
            out[d][1] = used == 0 ? 0 : sy / used;
        }
        return out;
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
        return score(footprints, runDff, 0);
    }

    /**
     * Scores the ROIs of {@code footprints} whose cell probability is at least {@code iscellThreshold} (suite2p's
     * "cells"; 0 scores every ROI) and the dF/F of the matched ones ({@code [roi][volume]} indexed like
     * {@code footprints}, may be {@code null}). {@link DetectionScore#neuronOfDetection()} is indexed like the
     * selected ROIs, in ROI order.
     *
     * @param iscellThreshold in [0, 1]
     */
    public Score score(final Footprints footprints, final float[][] runDff, final double iscellThreshold) {
        if (!(iscellThreshold >= 0 && iscellThreshold <= 1)) {
            throw new IllegalArgumentException("iscell threshold must be in [0, 1], was " + iscellThreshold);
        }
        final int[] cells = footprints.cells(iscellThreshold);
        final List<DetectedMask> detected = new ArrayList<>(cells.length);
        for (final int roi : cells) {
            detected.add(new DetectedMask(footprints.plane(roi), footprints.roiPixels(roi)));
        }
        final DetectionScore d = DetectionEvaluator.score(masks, detected);
        double r = Double.NaN;
        int matched = 0;
        if (runDff != null) {
            final float[][] selected = new float[cells.length][];
            for (int i = 0; i < cells.length; i++) {
                selected[i] = cells[i] < runDff.length ? runDff[cells[i]] : null;
            }
            final int[] neuronOf = d.neuronOfDetection();
            for (int i = 0; i < neuronOf.length; i++) {
                if (neuronOf[i] >= 0 && selected[i] != null && selected[i].length == volumes) {
                    matched++;
                }
            }
            r = DetectionEvaluator.medianTraceCorrelation(dff, selected, neuronOf);
        }
        return new Score(d, r, matched);
    }
}
