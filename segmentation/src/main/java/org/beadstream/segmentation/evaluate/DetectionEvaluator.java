package org.beadstream.segmentation.evaluate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.beadstream.segmentation.assign.SparseAssignment;
import org.beadstream.segmentation.detect.DetectedRoi;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * Scores detections against ground truth: a detection matches a neuron when its IoU with the neuron's mask in the
 * detection's plane is at least the threshold (0.5 by convention, as in CaImAn's and suite2p's benchmarks); the
 * assignment detection-to-neuron is one-to-one and maximises total IoU ({@link SparseAssignment}). Neurons are the
 * unit: a soma visible in three planes must be found once, and a second detection of it (same or other plane) is a
 * duplicate.
 *
 * <p>Stateless; thread-safe.
 */
public final class DetectionEvaluator {

    private DetectionEvaluator() {
    }

    /** The ROIs of {@code footprints} as masks (every pixel of each ROI). */
    public static List<DetectedMask> masksOf(final Footprints footprints) {
        final List<DetectedMask> out = new ArrayList<>(footprints.roiCount());
        for (int r = 0; r < footprints.roiCount(); r++) {
            out.add(new DetectedMask(footprints.plane(r), footprints.roiPixels(r)));
        }
        return out;
    }

    /** Detected ROIs as masks. */
    public static List<DetectedMask> masksOf(final List<DetectedRoi> rois) {
        final List<DetectedMask> out = new ArrayList<>(rois.size());
        for (final DetectedRoi r : rois) {
            out.add(new DetectedMask(r.plane(), r.pixels()));
        }
        return out;
    }

    /** Scores with IoU threshold 0.5. */
    public static DetectionScore score(final List<TruthMask> truth, final List<DetectedMask> detected) {
        return score(truth, detected, 0.5);
    }

    /**
     * Scores {@code detected} against {@code truth}.
     *
     * @param iouThreshold in (0, 1]
     */
    public static DetectionScore score(final List<TruthMask> truth, final List<DetectedMask> detected,
            final double iouThreshold) {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("IoU threshold must be in (0, 1], was " + iouThreshold);
        }
        // pixel -> truth masks, per plane (key = plane << 32 | pixel)
        final Map<Long, List<Integer>> owner = new HashMap<>();
        for (int t = 0; t < truth.size(); t++) {
            for (final int px : truth.get(t).pixels()) {
                owner.computeIfAbsent(((long) truth.get(t).plane() << 32) | (px & 0xffffffffL),
                        k -> new ArrayList<>(1)).add(t);
            }
        }
        final Map<Integer, Integer> neuronIndex = new HashMap<>();
        final Set<Integer> counted = new HashSet<>();
        for (final TruthMask t : truth) {
            neuronIndex.putIfAbsent(t.neuron(), neuronIndex.size());
            if (t.counted()) {
                counted.add(t.neuron());
            }
        }
        final List<Integer> eRow = new ArrayList<>();
        final List<Integer> eCol = new ArrayList<>();
        final List<Double> eW = new ArrayList<>();
        final boolean[] anyMatch = new boolean[detected.size()];
        final boolean[] matchesCounted = new boolean[detected.size()];
        for (int d = 0; d < detected.size(); d++) {
            final DetectedMask dm = detected.get(d);
            final Map<Integer, Integer> inter = new HashMap<>();
            for (final int px : dm.pixels()) {
                final List<Integer> ts = owner.get(((long) dm.plane() << 32) | (px & 0xffffffffL));
                if (ts != null) {
                    for (final int t : ts) {
                        inter.merge(t, 1, Integer::sum);
                    }
                }
            }
            // best IoU per neuron (a neuron has one mask per plane; the detection is in one plane)
            final Map<Integer, Double> best = new HashMap<>();
            for (final Map.Entry<Integer, Integer> en : inter.entrySet()) {
                final TruthMask t = truth.get(en.getKey());
                final double iou = en.getValue() / (double) (t.pixels().length + dm.pixels().length - en.getValue());
                if (iou >= iouThreshold) {
                    best.merge(t.neuron(), iou, Math::max);
                }
            }
            for (final Map.Entry<Integer, Double> en : best.entrySet()) {
                anyMatch[d] = true;
                if (counted.contains(en.getKey())) {
                    matchesCounted[d] = true;
                    eRow.add(d);
                    eCol.add(neuronIndex.get(en.getKey()));
                    eW.add(en.getValue());
                }
            }
        }
        final SparseAssignment.Result a = SparseAssignment.solve(detected.size(), neuronIndex.size(),
                eRow.stream().mapToInt(Integer::intValue).toArray(), eCol.stream().mapToInt(Integer::intValue).toArray(),
                eW.stream().mapToDouble(Double::doubleValue).toArray());
        final int[] neuronOf = new int[detected.size()];
        Arrays.fill(neuronOf, -1);
        final int[] idOfIndex = new int[neuronIndex.size()];
        neuronIndex.forEach((id, idx) -> idOfIndex[idx] = id);
        int tp = 0;
        int fp = 0;
        int dup = 0;
        int ign = 0;
        double iouSum = 0;
        for (int d = 0; d < detected.size(); d++) {
            if (a.rowToCol()[d] >= 0) {
                tp++;
                neuronOf[d] = idOfIndex[a.rowToCol()[d]];
                for (int k = 0; k < eRow.size(); k++) {
                    if (eRow.get(k) == d && eCol.get(k) == a.rowToCol()[d]) {
                        iouSum += eW.get(k);
                        break;
                    }
                }
            } else if (matchesCounted[d]) {
                dup++;
            } else if (anyMatch[d]) {
                ign++;
            } else {
                fp++;
            }
        }
        final double precision = tp + fp + dup == 0 ? 0 : tp / (double) (tp + fp + dup);
        final double recall = counted.isEmpty() ? 0 : tp / (double) counted.size();
        final double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new DetectionScore(counted.size(), detected.size(), tp, fp, dup, ign, precision, recall, f1,
                tp == 0 ? 0 : iouSum / tp, neuronOf, iouThreshold);
    }

    /**
     * Trace accuracy: the median over matched neurons of the Pearson correlation between a true trace and the
     * extracted one.
     *
     * @param truthTraces    true traces per neuron id
     * @param runTraces      extracted traces per detection (same length as the truth's)
     * @param neuronOfDetection from {@link DetectionScore#neuronOfDetection()}
     * @return median r, or NaN when nothing was matched
     */
    public static double medianTraceCorrelation(final Map<Integer, float[]> truthTraces, final float[][] runTraces,
            final int[] neuronOfDetection) {
        final List<Double> rs = new ArrayList<>();
        for (int d = 0; d < neuronOfDetection.length && d < runTraces.length; d++) {
            final float[] t = truthTraces.get(neuronOfDetection[d]);
            if (neuronOfDetection[d] >= 0 && t != null && runTraces[d] != null) {
                rs.add(pearson(t, runTraces[d]));
            }
        }
        if (rs.isEmpty()) {
            return Double.NaN;
        }
        rs.sort(Double::compare);
        final int n = rs.size();
        return n % 2 == 1 ? rs.get(n / 2) : (rs.get(n / 2 - 1) + rs.get(n / 2)) / 2;
    }

    /** Pearson correlation over the common length; 0 when either is constant. */
    public static double pearson(final float[] a, final float[] b) {
        final int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa <= 0 || sbb <= 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }
}
