package org.beadstream.segmentation.sessions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.beadstream.segmentation.summary.PlaneFilters;

/**
 * Registers a moving session's mean image to a reference session's: both are high-passed (a Gaussian of
 * {@code 2 x cellRadius} subtracted, so cells, not the illumination, drive the fit), the rigid shift comes from
 * phase correlation of the whole images, then overlapping blocks are phase-correlated around the rigid shift
 * (piecewise-rigid, as in suite2p's non-rigid registration) and an affine transform is fitted to the block shifts by
 * weighted least squares with one round of outlier rejection; a slight rotation, scale change or shear is captured
 * exactly. With fewer than 6 good blocks the transform stays rigid.
 *
 * <p>Immutable and thread-safe.
 */
public final class SessionRegistration {

    private final int blockSize;
    private final int maxShiftPixels;
    private final double cellRadiusPixels;

    /**
     * A registration.
     *
     * @param blockSize        block side, pixels, [16, 1024] (default 64)
     * @param maxShiftPixels   largest shift searched, pixels, [1, 1000] (default 50)
     * @param cellRadiusPixels soma radius, pixels, [1, 50] (default 5): sets the high-pass
     */
    public SessionRegistration(final int blockSize, final int maxShiftPixels, final double cellRadiusPixels) {
        if (blockSize < 16 || blockSize > 1024) {
            throw new IllegalArgumentException("registration block size must be in [16, 1024] pixels, was "
                    + blockSize);
        }
        if (maxShiftPixels < 1 || maxShiftPixels > 1000) {
            throw new IllegalArgumentException("registration max shift must be in [1, 1000] pixels, was "
                    + maxShiftPixels);
        }
        if (!(cellRadiusPixels >= 1 && cellRadiusPixels <= 50)) {
            throw new IllegalArgumentException("cell radius must be in [1, 50] pixels, was " + cellRadiusPixels);
        }
        this.blockSize = blockSize;
        this.maxShiftPixels = maxShiftPixels;
        this.cellRadiusPixels = cellRadiusPixels;
    }

    /** Defaults: blocks of 64, shifts up to 50 px, cells of radius 5. */
    public static SessionRegistration standard() {
        return new SessionRegistration(64, 50, 5);
    }

    /** Registers {@code moving} to {@code reference} (both width x height, row-major). */
    public SessionTransform register(final float[] reference, final float[] moving, final int width,
            final int height) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(moving, "moving");
        if (reference.length < width * height || moving.length < width * height) {
            throw new IllegalArgumentException("mean images must hold " + width + " x " + height + " pixels, had "
                    + reference.length + " and " + moving.length);
        }
        final float[] a = highPass(reference, width, height);
        final float[] b = highPass(moving, width, height);
        final PhaseCorrelation.Shift rigid = PhaseCorrelation.estimate(a, b, width, 0, 0, width, height,
                Math.min(maxShiftPixels, Math.min(width, height) / 2 - 1));
        final int bs = Math.min(blockSize, Math.min(width, height) / 2);
        if (bs < 16) {
            return SessionTransform.rigid(rigid.dx(), rigid.dy());
        }
        final int rdx = (int) Math.round(rigid.dx());
        final int rdy = (int) Math.round(rigid.dy());
        final List<double[]> pts = new ArrayList<>();
        final int step = bs / 2;
        for (int y0 = 0; y0 + bs <= height; y0 += step) {
            for (int x0 = 0; x0 + bs <= width; x0 += step) {
                final int mx = x0 + rdx;
                final int my = y0 + rdy;
                if (mx < 0 || my < 0 || mx + bs > width || my + bs > height) {
                    continue;
                }
                // block of the reference at (x0, y0) against the moving block at the rigidly shifted place
                final float[] blockA = crop(a, width, x0, y0, bs);
                final float[] blockB = crop(b, width, mx, my, bs);
                final PhaseCorrelation.Shift s = PhaseCorrelation.estimate(blockA, blockB, bs, 0, 0, bs, bs,
                        Math.max(2, bs / 4));
                if (s.peak() < 0.05) {
                    continue;
                }
                final double cx = x0 + (bs - 1) / 2.0;
                final double cy = y0 + (bs - 1) / 2.0;
                pts.add(new double[] {cx, cy, cx + rdx + s.dx(), cy + rdy + s.dy(), s.peak()});
            }
        }
        if (pts.size() < 6) {
            return SessionTransform.rigid(rigid.dx(), rigid.dy());
        }
        double[] fit = fitAffine(pts);
        final double[] res = residuals(pts, fit);
        final double[] sorted = res.clone();
        java.util.Arrays.sort(sorted);
        final double cut = Math.max(1.0, 3 * sorted[sorted.length / 2]);
        final List<double[]> inliers = new ArrayList<>();
        for (int i = 0; i < pts.size(); i++) {
            if (res[i] <= cut) {
                inliers.add(pts.get(i));
            }
        }
        if (inliers.size() >= 6) {
            fit = fitAffine(inliers);
        }
        final double[] r2 = residuals(inliers, fit);
        double rms = 0;
        for (final double r : r2) {
            rms += r * r;
        }
        rms = Math.sqrt(rms / Math.max(1, r2.length));
        return new SessionTransform(fit[0], fit[1], fit[2], fit[3], fit[4], fit[5], rigid.dx(), rigid.dy(),
                inliers.size(), rms);
    }

    private float[] highPass(final float[] img, final int w, final int h) {
        final float[] low = PlaneFilters.gaussian(img, w, h, 2 * cellRadiusPixels);
        final float[] out = new float[w * h];
        for (int i = 0; i < w * h; i++) {
            out[i] = img[i] - low[i];
        }
        return out;
    }

    private static float[] crop(final float[] img, final int w, final int x0, final int y0, final int bs) {
        final float[] out = new float[bs * bs];
        for (int y = 0; y < bs; y++) {
            System.arraycopy(img, (y0 + y) * w + x0, out, y * bs, bs);
        }
        return out;
    }

    /** Weighted least squares for x' and y' as affine functions of (x, y); weights = correlation peaks. */
    private static double[] fitAffine(final List<double[]> pts) {
        final double[][] ata = new double[3][3];
        final double[] atx = new double[3];
        final double[] aty = new double[3];
        for (final double[] p : pts) {
            final double[] row = {p[0], p[1], 1};
            final double wt = p[4];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    ata[i][j] += wt * row[i] * row[j];
                }
                atx[i] += wt * row[i] * p[2];
                aty[i] += wt * row[i] * p[3];
            }
        }
        final double[] cx = solve3(ata, atx);
        final double[] cy = solve3(ata, aty);
        return new double[] {cx[0], cx[1], cx[2], cy[0], cy[1], cy[2]};
    }

    private static double[] residuals(final List<double[]> pts, final double[] f) {
        final double[] r = new double[pts.size()];
        for (int i = 0; i < r.length; i++) {
            final double[] p = pts.get(i);
            r[i] = Math.hypot(f[0] * p[0] + f[1] * p[1] + f[2] - p[2], f[3] * p[0] + f[4] * p[1] + f[5] - p[3]);
        }
        return r;
    }

    private static double[] solve3(final double[][] m, final double[] v) {
        final double det = det3(m);
        if (Math.abs(det) < 1e-12) {
            throw new IllegalStateException("affine fit is singular: blocks are collinear");
        }
        final double[] out = new double[3];
        for (int c = 0; c < 3; c++) {
            final double[][] mc = new double[3][3];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    mc[i][j] = j == c ? v[i] : m[i][j];
                }
            }
            out[c] = det3(mc) / det;
        }
        return out;
    }

    private static double det3(final double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}
