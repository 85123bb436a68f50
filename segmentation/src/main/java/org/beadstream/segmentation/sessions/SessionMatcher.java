package org.beadstream.segmentation.sessions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

import org.beadstream.segmentation.assign.SparseAssignment;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * Matches two sessions' ROIs plane by plane: registers each plane's mean images ({@link SessionRegistration}),
 * maps session B's centroids and pixels into session A, scores every pair within {@code maxDistancePixels}
 * (confidence = 0.5 IoU + 0.5 exp(-d^2 / 2 sigma^2)), and assigns one-to-one maximising total confidence
 * ({@link SparseAssignment}, exact Hungarian per connected group of candidates).
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionMatcher {

    private final SessionRegistration registration;
    private final MatchParameters parameters;

    /** A matcher. */
    public SessionMatcher(final SessionRegistration registration, final MatchParameters parameters) {
        this.registration = Objects.requireNonNull(registration, "registration");
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /**
     * Matches.
     *
     * @param a     reference session's footprints
     * @param meanA reference session's mean image per plane (planeCount of {@code a})
     * @param b     moving session's footprints (same plane size and count)
     * @param meanB moving session's mean image per plane
     */
    public SessionMatch match(final Footprints a, final List<float[]> meanA, final Footprints b,
            final List<float[]> meanB) {
        if (a.planeWidth() != b.planeWidth() || a.planeHeight() != b.planeHeight()
                || a.planeCount() != b.planeCount()) {
            throw new IllegalArgumentException("sessions must have the same plane size and count: " + a.planeWidth()
                    + " x " + a.planeHeight() + " x " + a.planeCount() + " vs " + b.planeWidth() + " x "
                    + b.planeHeight() + " x " + b.planeCount());
        }
        if (meanA.size() != a.planeCount() || meanB.size() != b.planeCount()) {
            throw new IllegalArgumentException("need one mean image per plane: " + a.planeCount() + " planes, "
                    + meanA.size() + " and " + meanB.size() + " mean images");
        }
        final int w = a.planeWidth();
        final int h = a.planeHeight();
        final List<SessionTransform> transforms = new ArrayList<>();
        for (int k = 0; k < a.planeCount(); k++) {
            transforms.add(a.roisOnPlane(k).length == 0 || b.roisOnPlane(k).length == 0
                    ? SessionTransform.rigid(0, 0) : registration.register(meanA.get(k), meanB.get(k), w, h));
        }
        // pixel -> ROI in A, per plane
        final Map<Long, List<Integer>> ownerA = new HashMap<>();
        for (int r = 0; r < a.roiCount(); r++) {
            for (int e = a.pixelStart(r); e < a.pixelEnd(r); e++) {
                ownerA.computeIfAbsent(((long) a.plane(r) << 32) | a.pixelIndex(e), x -> new ArrayList<>(1)).add(r);
            }
        }
        final double dmax = parameters.maxDistancePixels();
        final double sig = parameters.distanceSigmaPixels();
        final List<Integer> er = new ArrayList<>();
        final List<Integer> ec = new ArrayList<>();
        final List<Double> ew = new ArrayList<>();
        final List<double[]> info = new ArrayList<>();
        // grid over A's centroids per plane
        final Map<Long, List<Integer>> grid = new HashMap<>();
        for (int r = 0; r < a.roiCount(); r++) {
            grid.computeIfAbsent(cellKey(a.plane(r), a.stats(r).centroidX(), a.stats(r).centroidY(), dmax),
                    x -> new ArrayList<>()).add(r);
        }
        for (int rb = 0; rb < b.roiCount(); rb++) {
            final int plane = b.plane(rb);
            final SessionTransform t = transforms.get(plane);
            final double bx = t.inverseX(b.stats(rb).centroidX(), b.stats(rb).centroidY());
            final double by = t.inverseY(b.stats(rb).centroidX(), b.stats(rb).centroidY());
            // B's pixels mapped into A
            final Set<Integer> mapped = new HashSet<>();
            for (int e = b.pixelStart(rb); e < b.pixelEnd(rb); e++) {
                final int p = b.pixelIndex(e);
                final long mx = Math.round(t.inverseX(p % w, p / w));
                final long my = Math.round(t.inverseY(p % w, p / w));
                if (mx >= 0 && my >= 0 && mx < w && my < h) {
                    mapped.add((int) (my * w + mx));
                }
            }
            final long cx = (long) Math.floor(bx / dmax);
            final long cy = (long) Math.floor(by / dmax);
            for (long dy = -1; dy <= 1; dy++) {
                for (long dx = -1; dx <= 1; dx++) {
                    final List<Integer> cands = grid.get(key(plane, cx + dx, cy + dy));
                    if (cands == null) {
                        continue;
                    }
                    for (final int ra : cands) {
                        final double d = Math.hypot(a.stats(ra).centroidX() - bx, a.stats(ra).centroidY() - by);
                        if (d > dmax) {
                            continue;
                        }
                        int inter = 0;
                        for (final int p : mapped) {
                            final List<Integer> o = ownerA.get(((long) plane << 32) | p);
                            if (o != null && o.contains(ra)) {
                                inter++;
                            }
                        }
                        final double iou = inter / (double) (a.pixelCount(ra) + mapped.size() - inter);
                        final double conf = 0.5 * iou + 0.5 * Math.exp(-d * d / (2 * sig * sig));
                        if (conf < parameters.minConfidence() || conf <= 0) {
                            continue;
                        }
                        er.add(ra);
                        ec.add(rb);
                        ew.add(conf);
                        info.add(new double[] {d, iou});
                    }
                }
            }
        }
        final SparseAssignment.Result res = SparseAssignment.solve(a.roiCount(), b.roiCount(),
                er.stream().mapToInt(Integer::intValue).toArray(), ec.stream().mapToInt(Integer::intValue).toArray(),
                ew.stream().mapToDouble(Double::doubleValue).toArray());
        final List<RoiMatch> matches = new ArrayList<>();
        for (int k = 0; k < er.size(); k++) {
            if (res.rowToCol()[er.get(k)] == ec.get(k)) {
                matches.add(new RoiMatch(er.get(k), ec.get(k), info.get(k)[0], info.get(k)[1], ew.get(k)));
            }
        }
        matches.sort((x, y) -> Integer.compare(x.roiA(), y.roiA()));
        final int[] ua = IntStream.range(0, a.roiCount()).filter(r -> res.rowToCol()[r] < 0).toArray();
        final int[] ub = IntStream.range(0, b.roiCount()).filter(r -> res.colToRow()[r] < 0).toArray();
        return new SessionMatch(List.copyOf(transforms), List.copyOf(matches), ua, ub);
    }

    private static long cellKey(final int plane, final double x, final double y, final double cell) {
        return key(plane, (long) Math.floor(x / cell), (long) Math.floor(y / cell));
    }

    private static long key(final int plane, final long cx, final long cy) {
        return ((long) plane << 48) ^ ((cx & 0xffffffL) << 24) ^ (cy & 0xffffffL);
    }
}
