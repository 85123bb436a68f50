package org.beadstream.segmentation.planes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.beadstream.segmentation.detect.DetectedRoi;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;

/**
 * Joins the detections of one neuron across nearby planes. Two detections link when their planes are at most
 * {@code maxPlaneGap} apart, their centroids (moved to a common frame by the per-plane lateral offsets) are within
 * {@code maxDistancePixels}, and their detection traces correlate at least {@code minCorrelation} (0.2 less when
 * the centroids are within half the distance: a ROI that also catches a neighbour correlates less with the clean
 * view of the same soma). Linked
 * detections form groups (union-find, so a soma across 3 planes is one group); each group keeps its detection of
 * highest score (the plane through the soma's middle, where it is brightest) and records the others as merges.
 *
 * <p>Neighbour search uses a grid of cells {@code maxDistancePixels} wide per plane, so the cost is linear in the
 * number of detections. Immutable and thread-safe.
 */
public final class CrossPlaneMerger {

    private final MergeParameters parameters;

    /** A merger with these parameters. */
    public CrossPlaneMerger(final MergeParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * Merges.
     *
     * @param planes  per-plane detections (plane k at index k; all with the same bins)
     * @param offsetX per-plane lateral offset, pixels (assembled plane = world - offset), one per plane
     * @param offsetY per-plane lateral offset, pixels
     */
    public MergeResult merge(final List<PlaneDetection> planes, final double[] offsetX, final double[] offsetY) {
        final int np = planes.size();
        if (offsetX.length != np || offsetY.length != np) {
            throw new IllegalArgumentException("need one lateral offset per plane: " + np + " planes, "
                    + offsetX.length + " x offsets, " + offsetY.length + " y offsets");
        }
        final int[] first = new int[np + 1];
        for (int k = 0; k < np; k++) {
            if (planes.get(k).plane() != k) {
                throw new IllegalArgumentException("detections must be given in plane order: index " + k
                        + " holds plane " + planes.get(k).plane());
            }
            first[k + 1] = first[k] + planes.get(k).rois().size();
        }
        final int n = first[np];
        final double[] wx = new double[n];
        final double[] wy = new double[n];
        final DetectedRoi[] all = new DetectedRoi[n];
        final int[] planeOf = new int[n];
        for (int k = 0; k < np; k++) {
            final PlaneDetection pd = planes.get(k);
            for (int i = 0; i < pd.rois().size(); i++) {
                final DetectedRoi r = pd.rois().get(i);
                final int g = first[k] + i;
                all[g] = r;
                planeOf[g] = k;
                wx[g] = r.centroidX(pd.width()) + offsetX[k];
                wy[g] = r.centroidY(pd.width()) + offsetY[k];
            }
        }
        final int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        final double dmax = parameters.maxDistancePixels();
        final double cell = Math.max(1, dmax);
        final int[] linkA = new int[n];
        final double[] linkD = new double[n];
        final double[] linkR = new double[n];
        Arrays.fill(linkA, -1);
        for (int k = 0; k < np; k++) {
            for (int gap = 1; gap <= parameters.maxPlaneGap() && k + gap < np; gap++) {
                final int k2 = k + gap;
                // grid over plane k2's world centroids
                final Grid grid = new Grid(wx, wy, first[k2], first[k2 + 1], cell);
                for (int a = first[k]; a < first[k + 1]; a++) {
                    for (final int b : grid.near(wx[a], wy[a])) {
                        final double d = Math.hypot(wx[a] - wx[b], wy[a] - wy[b]);
                        if (d > dmax) {
                            continue;
                        }
                        final double r = DetectionEvaluator.pearson(all[a].trace(), all[b].trace());
                        // closer than half the distance bar, the correlation bar drops by 0.2: a ROI that also
                        // catches a neighbour correlates less with the clean view of the same soma
                        final double bar = d <= dmax / 2 ? parameters.minCorrelation() - 0.2
                                : parameters.minCorrelation();
                        if (r < bar) {
                            continue;
                        }
                        union(parent, a, b);
                        if (linkA[b] < 0) {
                            linkA[b] = a;
                            linkD[b] = d;
                            linkR[b] = r;
                        }
                        if (linkA[a] < 0) {
                            linkA[a] = b;
                            linkD[a] = d;
                            linkR[a] = r;
                        }
                    }
                }
            }
        }
        // best member per group
        final int[] best = new int[n];
        Arrays.fill(best, -1);
        for (int i = 0; i < n; i++) {
            final int root = find(parent, i);
            if (best[root] < 0 || all[i].score() > all[best[root]].score()) {
                best[root] = i;
            }
        }
        final List<DetectedRoi> kept = new ArrayList<>();
        final List<MergeRecord> merges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            final int keep = best[find(parent, i)];
            if (keep == i) {
                kept.add(all[i]);
            } else {
                final double d = Math.hypot(wx[i] - wx[keep], wy[i] - wy[keep]);
                final double r = DetectionEvaluator.pearson(all[i].trace(), all[keep].trace());
                merges.add(new MergeRecord(planeOf[keep], keep - first[planeOf[keep]], planeOf[i],
                        i - first[planeOf[i]], d, r, String.format(Locale.ROOT,
                                "same soma: linked to plane %d at %.1f px, r = %.2f; kept plane %d (score %.0f > %.0f),"
                                        + " %.1f px from it, r = %.2f",
                                linkA[i] >= 0 ? planeOf[linkA[i]] : -1, linkD[i], linkR[i], planeOf[keep],
                                all[keep].score(), all[i].score(), d, r)));
            }
        }
        kept.sort(Comparator.comparingInt(DetectedRoi::plane));
        return new MergeResult(List.copyOf(kept), List.copyOf(merges));
    }

    private static int find(final int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(final int[] parent, final int a, final int b) {
        final int ra = find(parent, a);
        final int rb = find(parent, b);
        if (ra != rb) {
            parent[ra] = rb;
        }
    }

    /** Uniform grid over a range of points for neighbour queries. */
    private static final class Grid {
        private final java.util.Map<Long, List<Integer>> cells = new java.util.HashMap<>();
        private final double cell;

        Grid(final double[] x, final double[] y, final int from, final int to, final double cell) {
            this.cell = cell;
            for (int i = from; i < to; i++) {
                cells.computeIfAbsent(key((long) Math.floor(x[i] / cell), (long) Math.floor(y[i] / cell)),
                        k -> new ArrayList<>()).add(i);
            }
        }

        private static long key(final long cx, final long cy) {
            return (cx << 32) ^ (cy & 0xffffffffL);
        }

        List<Integer> near(final double px, final double py) {
            final long cx = (long) Math.floor(px / cell);
            final long cy = (long) Math.floor(py / cell);
            final List<Integer> out = new ArrayList<>();
            for (long dy = -1; dy <= 1; dy++) {
                for (long dx = -1; dx <= 1; dx++) {
                    final List<Integer> l = cells.get(key(cx + dx, cy + dy));
                    if (l != null) {
                        out.addAll(l);
                    }
                }
            }
            return out;
        }
    }
}
