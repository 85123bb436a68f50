package org.beadstream.segmentation.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.beadstream.segmentation.summary.PlaneFilters;

/**
 * Finds cells in one plane's binned detection window, suite2p-style ("sparsery"), in plain Java:
 * <ol>
 *   <li>temporal high-pass (centred running mean of {@code highPassBins} subtracted per pixel);</li>
 *   <li>per-pixel noise normalisation (robust sigma of first differences), so dim pixels count as much as bright
 *       ones and a cell is found by its events, not its baseline;</li>
 *   <li>spatial high-pass (box mean over {@code spatialHighPass} diameters subtracted per bin): removes neuropil and
 *       slow background;</li>
 *   <li>matched filter: box mean about half a soma wide, normalised by its global robust sigma, giving Z;</li>
 *   <li>score map {@code V = sum over bins of max(0, Z - eventThreshold)^2}: large where events happen;</li>
 *   <li>iteratively: take the best remaining peak of V, grow a ROI there (trace = weighted mean of the movie over the
 *       ROI, active bins = trace above median + activeSigma robust sigma, weights = regression of every nearby pixel
 *       on the trace over the active bins, smoothed 3 x 3, kept above {@code weightFraction} of the peak and
 *       connected to it), then subtract the ROI's activity (weights x trace) from the movie and recompute Z and V
 *       around it. Subtracting is what separates touching cells: the neighbour's own events stay and seed it next.
 *       Stop when the best peak scores below {@code minScore}.</li>
 * </ol>
 * Memory: two copies of the binned movie (movie and Z), plus a few planes. Time: linear in bins x pixels for the
 * maps, plus about (2 R + 1)^2 x bins x iterations per ROI (R = search radius).
 *
 * <p>Immutable and thread-safe: each call works on its own arrays, so planes can be detected in parallel.
 */
public final class SparseDetector {

    private static final int TILE = 16;

    private final DetectionParameters parameters;

    /** A detector with these parameters. */
    public SparseDetector(final DetectionParameters parameters) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
    }

    /** The parameters. */
    public DetectionParameters parameters() {
        return parameters;
    }

    /** Detects cells in a plane movie ({@code frames x height x width}, frame-major). */
    public PlaneDetection detect(final float[] movie, final int frames, final int height, final int width,
            final double frameRateHz, final int plane) {
        return detect(BinnedMovie.of(movie, frames, height, width, frameRateHz, parameters), plane);
    }

    /**
     * Detects cells in a binned window.
     *
     * @param movie the window (at least 3 complete bins)
     * @param plane plane index recorded in the ROIs
     */
    public PlaneDetection detect(final BinnedMovie movie, final int plane) {
        final long start = System.nanoTime();
        final int w = movie.width();
        final int h = movie.height();
        final int hw = w * h;
        final int nb = movie.bins();
        if (nb < 3) {
            throw new IllegalArgumentException("plane " + plane + ": detection needs at least 3 bins of "
                    + movie.binFrames() + " frames, got " + nb + " bins (" + movie.framesAdded() + " frames)");
        }
        final DetectionParameters p = parameters;
        final float[] m = Arrays.copyOf(movie.data(), nb * hw);
        highPassInTime(m, nb, hw, Math.min(p.highPassBins(), nb));
        normaliseNoise(m, nb, hw);
        final float[] scratch = new float[hw];
        final float[] plane1 = new float[hw];
        final int hpRadius = Math.max(1, (int) Math.round(p.spatialHighPass() * p.diameterPixels() / 2));
        for (int b = 0; b < nb; b++) {
            PlaneFilters.boxMean(m, b * hw, plane1, 0, w, h, hpRadius, scratch);
            final int off = b * hw;
            for (int i = 0; i < hw; i++) {
                m[off + i] -= plane1[i];
            }
        }
        final int rs = Math.max(1, (int) Math.round(p.diameterPixels() / 4));
        final float[] z = new float[nb * hw];
        for (int b = 0; b < nb; b++) {
            PlaneFilters.boxMean(m, b * hw, z, b * hw, w, h, rs, scratch);
        }
        final float sigmaZ = robustSigma(z);
        final float inv = sigmaZ > 0 ? 1f / sigmaZ : 1f;
        for (int i = 0; i < z.length; i++) {
            z[i] *= inv;
        }
        final float theta = (float) p.eventThreshold();
        final float[] v = new float[hw];
        score(z, v, nb, w, h, theta, 0, 0, w, h);
        final float[] initialScore = v.clone();
        final boolean[] blocked = new boolean[hw];
        final byte[] owners = new byte[hw];
        final Tiles tiles = new Tiles(w, h, v);
        final List<DetectedRoi> rois = new ArrayList<>();
        final Grower grower = new Grower(m, nb, w, h, p);
        final double minPixels = p.minPixelsFraction() * Math.PI * p.diameterPixels() * p.diameterPixels() / 4;
        final int blockRadius = Math.max(1, (int) Math.round(p.diameterPixels() / 4));
        final long maxIterations = 4L * p.maxRoisPerPlane() + hw;
        for (long it = 0; it < maxIterations && rois.size() < p.maxRoisPerPlane(); it++) {
            final int peak = tiles.argmax();
            if (peak < 0 || v[peak] < p.minScore()) {
                break;
            }
            final int px = peak % w;
            final int py = peak / w;
            final Grower.Roi g = grower.grow(px, py);
            boolean accept = g != Grower.Roi.REJECTED && g.pixels.length >= minPixels;
            if (accept) {
                int shared = 0;
                for (final int q : g.pixels) {
                    if (owners[q] != 0) {
                        shared++;
                    }
                }
                accept = shared <= p.maxOverlap() * g.pixels.length;
            }
            if (!accept) {
                block(px, py, blockRadius, w, h, blocked, v, tiles);
                continue;
            }
            for (final int q : g.pixels) {
                if (owners[q] != Byte.MAX_VALUE) {
                    owners[q]++;
                }
            }
            rois.add(new DetectedRoi(plane, g.pixels, g.weights, g.trace, px, py, v[peak]));
            grower.deflate(g);
            // recompute Z and V where the movie changed (ROI bounding box grown by the filter radius)
            final int x0 = Math.max(0, g.x0 - rs);
            final int y0 = Math.max(0, g.y0 - rs);
            final int x1 = Math.min(w, g.x1 + rs + 1);
            final int y1 = Math.min(h, g.y1 + rs + 1);
            for (int b = 0; b < nb; b++) {
                PlaneFilters.boxMean(m, b * hw, z, b * hw, w, h, rs, scratch, x0, y0, x1, y1);
                for (int y = y0; y < y1; y++) {
                    final int row = b * hw + y * w;
                    for (int x = x0; x < x1; x++) {
                        z[row + x] *= inv;
                    }
                }
            }
            score(z, v, nb, w, h, theta, x0, y0, x1, y1);
            // the seed itself is never used twice
            block(px, py, 0, w, h, blocked, v, tiles);
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    if (blocked[y * w + x]) {
                        v[y * w + x] = -1;
                    }
                }
            }
            tiles.update(x0, y0, x1, y1);
        }
        return new PlaneDetection(plane, w, h, movie.binFrames(), nb, List.copyOf(rois), initialScore,
                System.nanoTime() - start);
    }

    private static void block(final int px, final int py, final int r, final int w, final int h,
            final boolean[] blocked, final float[] v, final Tiles tiles) {
        final int x0 = Math.max(0, px - r);
        final int x1 = Math.min(w, px + r + 1);
        final int y0 = Math.max(0, py - r);
        final int y1 = Math.min(h, py + r + 1);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((x - px) * (x - px) + (y - py) * (y - py) <= r * r) {
                    blocked[y * w + x] = true;
                    v[y * w + x] = -1;
                }
            }
        }
        tiles.update(x0, y0, x1, y1);
    }

    /** V = sum over bins of max(0, z - theta)^2 on a rectangle. */
    private static void score(final float[] z, final float[] v, final int nb, final int w, final int h,
            final float theta, final int x0, final int y0, final int x1, final int y1) {
        final int hw = w * h;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                v[y * w + x] = 0;
            }
        }
        for (int b = 0; b < nb; b++) {
            final int off = b * hw;
            for (int y = y0; y < y1; y++) {
                final int row = y * w;
                for (int x = x0; x < x1; x++) {
                    final float e = z[off + row + x] - theta;
                    if (e > 0) {
                        v[row + x] += e * e;
                    }
                }
            }
        }
    }

    /** Subtracts a centred running mean of {@code win} bins from every pixel. */
    static void highPassInTime(final float[] m, final int nb, final int hw, final int win) {
        final double[] col = new double[nb + 1];
        final int half = win / 2;
        for (int i = 0; i < hw; i++) {
            col[0] = 0;
            for (int b = 0; b < nb; b++) {
                col[b + 1] = col[b] + m[b * hw + i];
            }
            for (int b = 0; b < nb; b++) {
                int lo = b - half;
                int hi = lo + win;
                if (lo < 0) {
                    lo = 0;
                    hi = Math.min(nb, win);
                }
                if (hi > nb) {
                    hi = nb;
                    lo = Math.max(0, nb - win);
                }
                m[b * hw + i] -= (float) ((col[hi] - col[lo]) / (hi - lo));
            }
        }
    }

    /** Divides every pixel by its robust noise sigma (median absolute first difference / (0.6745 sqrt 2)). */
    static void normaliseNoise(final float[] m, final int nb, final int hw) {
        final float[] d = new float[nb - 1];
        final float[] sig = new float[hw];
        for (int i = 0; i < hw; i++) {
            for (int b = 1; b < nb; b++) {
                d[b - 1] = Math.abs(m[b * hw + i] - m[(b - 1) * hw + i]);
            }
            Arrays.sort(d);
            sig[i] = (float) (d[d.length / 2] / (0.6745 * Math.sqrt(2)));
        }
        final float[] sorted = sig.clone();
        Arrays.sort(sorted);
        // dead or saturated pixels must not blow up: floor at a tenth of the median sigma
        final float floor = Math.max(1e-12f, 0.1f * sorted[hw / 2]);
        for (int i = 0; i < hw; i++) {
            final float inv = 1f / Math.max(floor, sig[i]);
            for (int b = 0; b < nb; b++) {
                m[b * hw + i] *= inv;
            }
        }
    }

    /** Robust sigma (1.4826 MAD about the median) of up to 200,000 evenly spaced values. */
    static float robustSigma(final float[] x) {
        final int n = Math.min(x.length, 200_000);
        final double step = (double) x.length / n;
        final float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = x[(int) (i * step)];
        }
        Arrays.sort(s);
        final float med = s[n / 2];
        for (int i = 0; i < n; i++) {
            s[i] = Math.abs(s[i] - med);
        }
        Arrays.sort(s);
        return 1.4826f * s[n / 2];
    }

    /** Maximum of the score per 16 x 16 tile, so the best peak is found without scanning the plane. */
    private static final class Tiles {
        private final int w;
        private final int h;
        private final int tw;
        private final float[] v;
        private final float[] max;
        private final int[] arg;

        Tiles(final int w, final int h, final float[] v) {
            this.w = w;
            this.h = h;
            this.tw = (w + TILE - 1) / TILE;
            final int th = (h + TILE - 1) / TILE;
            this.v = v;
            this.max = new float[tw * th];
            this.arg = new int[tw * th];
            update(0, 0, w, h);
        }

        void update(final int x0, final int y0, final int x1, final int y1) {
            final int tx0 = x0 / TILE;
            final int ty0 = y0 / TILE;
            final int tx1 = (x1 - 1) / TILE;
            final int ty1 = (y1 - 1) / TILE;
            for (int ty = ty0; ty <= ty1; ty++) {
                for (int tx = tx0; tx <= tx1; tx++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int y = ty * TILE; y < Math.min(h, (ty + 1) * TILE); y++) {
                        for (int x = tx * TILE; x < Math.min(w, (tx + 1) * TILE); x++) {
                            if (v[y * w + x] > best) {
                                best = v[y * w + x];
                                at = y * w + x;
                            }
                        }
                    }
                    max[ty * tw + tx] = best;
                    arg[ty * tw + tx] = at;
                }
            }
        }

        int argmax() {
            float best = Float.NEGATIVE_INFINITY;
            int at = -1;
            for (int t = 0; t < max.length; t++) {
                if (max[t] > best) {
                    best = max[t];
                    at = arg[t];
                }
            }
            return at;
        }
    }

    /** Grows one ROI around a peak and subtracts it; owns scratch arrays sized for one search box. */
    private static final class Grower {
        private final float[] m;
        private final int nb;
        private final int w;
        private final int h;
        private final int hw;
        private final DetectionParameters p;
        private final int r;
        private final int side;
        private final float[] weight;
        private final float[] lam;
        private final float[] lamSmooth;
        private final float[] trace;
        private final boolean[] active;
        private final int[] stack;
        private final boolean[] member;
        /** Origin of the current search box (set by grow). */
        private int boxX0;
        private int boxY0;

        Grower(final float[] m, final int nb, final int w, final int h, final DetectionParameters p) {
            this.m = m;
            this.nb = nb;
            this.w = w;
            this.h = h;
            this.hw = w * h;
            this.p = p;
            this.r = Math.max(2, (int) Math.ceil(p.maxPixelsFraction() * p.diameterPixels()));
            this.side = 2 * r + 1;
            this.weight = new float[side * side];
            this.lam = new float[side * side];
            this.lamSmooth = new float[side * side];
            this.trace = new float[nb];
            this.active = new boolean[nb];
            this.stack = new int[side * side];
            this.member = new boolean[side * side];
        }

        static final class Roi {
            /** No ROI could grow at this peak (no active bins, no positive weights). */
            static final Roi REJECTED = new Roi();
            int[] pixels;
            float[] weights;
            float[] lam;
            float[] trace;
            int x0;
            int y0;
            int x1;
            int y1;
        }

        Roi grow(final int px, final int py) {
            final int bx0 = px - r;
            final int by0 = py - r;
            boxX0 = bx0;
            boxY0 = by0;
            final double seedR = 0.3 * p.diameterPixels();
            final double maxR2 = (double) r * r;
            Arrays.fill(weight, 0);
            for (int j = 0; j < side; j++) {
                for (int i = 0; i < side; i++) {
                    final int x = bx0 + i;
                    final int y = by0 + j;
                    if (x >= 0 && y >= 0 && x < w && y < h && (i - r) * (i - r) + (j - r) * (j - r) <= seedR * seedR) {
                        weight[j * side + i] = 1;
                    }
                }
            }
            float peakLam = 0;
            for (int iter = 0; iter < p.growthIterations(); iter++) {
                if (!traceOf()) {
                    return Roi.REJECTED;
                }
                // active bins
                final float[] sorted = trace.clone();
                Arrays.sort(sorted);
                final float med = sorted[nb / 2];
                for (int i = 0; i < nb; i++) {
                    sorted[i] = Math.abs(trace[i] - med);
                }
                Arrays.sort(sorted);
                final float sig = 1.4826f * sorted[nb / 2];
                final float thr = med + (float) p.activeSigma() * Math.max(sig, 1e-12f);
                int nActive = 0;
                for (int b = 0; b < nb; b++) {
                    active[b] = trace[b] > thr;
                    if (active[b]) {
                        nActive++;
                    }
                }
                if (nActive == 0) {
                    int best = 0;
                    for (int b = 1; b < nb; b++) {
                        if (trace[b] > trace[best]) {
                            best = b;
                        }
                    }
                    active[best] = true;
                }
                double ff = 0;
                for (int b = 0; b < nb; b++) {
                    if (active[b]) {
                        ff += (double) trace[b] * trace[b];
                    }
                }
                if (!(ff > 0)) {
                    return Roi.REJECTED;
                }
                Arrays.fill(lam, 0);
                for (int j = 0; j < side; j++) {
                    final int y = by0 + j;
                    if (y < 0 || y >= h) {
                        continue;
                    }
                    for (int i = 0; i < side; i++) {
                        final int x = bx0 + i;
                        if (x < 0 || x >= w || (i - r) * (i - r) + (j - r) * (j - r) > maxR2) {
                            continue;
                        }
                        double s = 0;
                        final int q = y * w + x;
                        for (int b = 0; b < nb; b++) {
                            if (active[b]) {
                                s += m[b * hw + q] * trace[b];
                            }
                        }
                        lam[j * side + i] = (float) (s / ff);
                    }
                }
                // 3 x 3 smoothing inside the search disk
                for (int j = 0; j < side; j++) {
                    for (int i = 0; i < side; i++) {
                        final int cx = bx0 + i;
                        final int cy = by0 + j;
                        if (cx < 0 || cy < 0 || cx >= w || cy >= h) {
                            lamSmooth[j * side + i] = 0;
                            continue;
                        }
                        float s = 0;
                        int n = 0;
                        for (int dj = -1; dj <= 1; dj++) {
                            for (int di = -1; di <= 1; di++) {
                                final int ii = i + di;
                                final int jj = j + dj;
                                final int x = bx0 + ii;
                                final int y = by0 + jj;
                                if (ii >= 0 && jj >= 0 && ii < side && jj < side && x >= 0 && y >= 0 && x < w
                                        && y < h) {
                                    s += lam[jj * side + ii];
                                    n++;
                                }
                            }
                        }
                        lamSmooth[j * side + i] = n == 0 ? 0 : s / n;
                    }
                }
                // peak of the smoothed weights near the seed
                int start = -1;
                peakLam = 0;
                final double nearR2 = Math.max(2, 0.25 * p.diameterPixels() * p.diameterPixels() / 4);
                for (int j = 0; j < side; j++) {
                    for (int i = 0; i < side; i++) {
                        if ((i - r) * (i - r) + (j - r) * (j - r) <= nearR2 && lamSmooth[j * side + i] > peakLam) {
                            peakLam = lamSmooth[j * side + i];
                            start = j * side + i;
                        }
                    }
                }
                if (start < 0) {
                    return Roi.REJECTED;
                }
                final float cut = (float) p.weightFraction() * peakLam;
                Arrays.fill(member, false);
                int top = 0;
                stack[top++] = start;
                member[start] = true;
                while (top > 0) {
                    final int c = stack[--top];
                    final int ci = c % side;
                    final int cj = c / side;
                    for (int k = 0; k < 4; k++) {
                        final int ni = ci + (k == 0 ? 1 : k == 1 ? -1 : 0);
                        final int nj = cj + (k == 2 ? 1 : k == 3 ? -1 : 0);
                        if (ni < 0 || nj < 0 || ni >= side || nj >= side) {
                            continue;
                        }
                        final int nIdx = nj * side + ni;
                        final int x = bx0 + ni;
                        final int y = by0 + nj;
                        if (member[nIdx] || x < 0 || y < 0 || x >= w || y >= h
                                || (ni - r) * (ni - r) + (nj - r) * (nj - r) > maxR2 || lamSmooth[nIdx] < cut) {
                            continue;
                        }
                        member[nIdx] = true;
                        stack[top++] = nIdx;
                    }
                }
                for (int k = 0; k < weight.length; k++) {
                    weight[k] = member[k] ? lamSmooth[k] / peakLam : 0;
                }
            }
            if (!traceOf()) {
                return Roi.REJECTED;
            }
            int n = 0;
            for (final boolean b : member) {
                if (b) {
                    n++;
                }
            }
            final Roi roi = new Roi();
            roi.pixels = new int[n];
            roi.weights = new float[n];
            roi.lam = new float[n];
            roi.trace = trace.clone();
            roi.x0 = Integer.MAX_VALUE;
            roi.y0 = Integer.MAX_VALUE;
            roi.x1 = Integer.MIN_VALUE;
            roi.y1 = Integer.MIN_VALUE;
            int k = 0;
            // ascending pixel index: rows then columns of the box
            for (int j = 0; j < side; j++) {
                for (int i = 0; i < side; i++) {
                    if (member[j * side + i]) {
                        final int x = bx0 + i;
                        final int y = by0 + j;
                        roi.pixels[k] = y * w + x;
                        roi.weights[k] = weight[j * side + i];
                        roi.lam[k] = Math.max(0, lam[j * side + i]);
                        k++;
                        roi.x0 = Math.min(roi.x0, x);
                        roi.x1 = Math.max(roi.x1, x);
                        roi.y0 = Math.min(roi.y0, y);
                        roi.y1 = Math.max(roi.y1, y);
                    }
                }
            }
            return roi;
        }

        /** trace[b] = weighted mean of the movie over the current weights; false if the weights are all zero. */
        private boolean traceOf() {
            final int bx0 = boxX0;
            final int by0 = boxY0;
            double sw = 0;
            Arrays.fill(trace, 0);
            for (int j = 0; j < side; j++) {
                final int y = by0 + j;
                if (y < 0 || y >= h) {
                    continue;
                }
                for (int i = 0; i < side; i++) {
                    final float wt = weight[j * side + i];
                    final int x = bx0 + i;
                    if (wt == 0 || x < 0 || x >= w) {
                        continue;
                    }
                    sw += wt;
                    final int q = y * w + x;
                    for (int b = 0; b < nb; b++) {
                        trace[b] += wt * m[b * hw + q];
                    }
                }
            }
            if (!(sw > 0)) {
                return false;
            }
            final float inv = (float) (1 / sw);
            for (int b = 0; b < nb; b++) {
                trace[b] *= inv;
            }
            return true;
        }

        void deflate(final Roi roi) {
            for (int k = 0; k < roi.pixels.length; k++) {
                final int q = roi.pixels[k];
                final float l = roi.lam[k];
                for (int b = 0; b < nb; b++) {
                    m[b * hw + q] -= l * roi.trace[b];
                }
            }
        }
    }
}
