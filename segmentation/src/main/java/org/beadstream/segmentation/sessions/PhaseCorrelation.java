package org.beadstream.segmentation.sessions;

/**
 * Translation between two images by phase correlation with a tapered window and a sub-pixel peak: a parabola through the peak and its neighbours,
 * refined by moving the peak to the origin with an exact Fourier phase ramp (where the parabola is unbiased).
 * Plain Java (see {@link Fft2d}); used to register sessions' mean images. Stateless; thread-safe.
 */
public final class PhaseCorrelation {

    private PhaseCorrelation() {
    }

    /**
     * A shift estimate.
     *
     * @param dx   shift in columns: feature at x in the reference is at x + dx in the moving image
     * @param dy   shift in rows
     * @param peak height of the normalised correlation peak (0 to 1; above about 0.05 is a clear peak)
     * <p>Immutable and thread-safe.
     */
    public record Shift(double dx, double dy, double peak) {
    }

    /**
     * Estimates the shift of {@code moving} relative to {@code reference} in the rectangle {@code [x0, x0 + w) x
     * [y0, y0 + h)} of both images (plane width {@code stride}); shifts beyond {@code maxShift} pixels are not
     * searched.
     */
    public static Shift estimate(final float[] reference, final float[] moving, final int stride, final int x0,
            final int y0, final int w, final int h, final int maxShift) {
        final int cols = Fft2d.nextPowerOfTwo(w);
        final int rows = Fft2d.nextPowerOfTwo(h);
        final double[] ar = new double[rows * cols];
        final double[] ai = new double[rows * cols];
        final double[] br = new double[rows * cols];
        final double[] bi = new double[rows * cols];
        double ma = 0;
        double mb = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                ma += reference[(y0 + y) * stride + x0 + x];
                mb += moving[(y0 + y) * stride + x0 + x];
            }
        }
        ma /= (double) w * h;
        mb /= (double) w * h;
        for (int y = 0; y < h; y++) {
            final double ty = taper(y, h);
            for (int x = 0; x < w; x++) {
                final double t = ty * taper(x, w);
                ar[y * cols + x] = t * (reference[(y0 + y) * stride + x0 + x] - ma);
                br[y * cols + x] = t * (moving[(y0 + y) * stride + x0 + x] - mb);
            }
        }
        Fft2d.transform(ar, ai, rows, cols, false);
        Fft2d.transform(br, bi, rows, cols, false);
        // cross-power spectrum conj(A) B / |A B|: peak at the shift of B relative to A
        for (int k = 0; k < ar.length; k++) {
            final double re = ar[k] * br[k] + ai[k] * bi[k];
            final double im = ar[k] * bi[k] - ai[k] * br[k];
            final double mag = Math.hypot(re, im) + 1e-12;
            ar[k] = re / mag;
            ai[k] = im / mag;
        }
        final double[] sr = ar.clone();
        final double[] si = ai.clone();
        Fft2d.transform(ar, ai, rows, cols, true);
        double best = Double.NEGATIVE_INFINITY;
        int bx = 0;
        int by = 0;
        for (int dy = -maxShift; dy <= maxShift; dy++) {
            for (int dx = -maxShift; dx <= maxShift; dx++) {
                final double v = ar[Math.floorMod(dy, rows) * cols + Math.floorMod(dx, cols)];
                if (v > best) {
                    best = v;
                    bx = dx;
                    by = dy;
                }
            }
        }
        double ex = bx + subpixel(at(ar, rows, cols, bx - 1, by), best, at(ar, rows, cols, bx + 1, by));
        double ey = by + subpixel(at(ar, rows, cols, bx, by - 1), best, at(ar, rows, cols, bx, by + 1));
        // refinement: move the correlation peak to the origin with a Fourier phase ramp (an exact sub-pixel shift)
        // and measure what is left; the parabola is unbiased at 0, so a few rounds converge
        final double[] rr = new double[sr.length];
        final double[] ri = new double[sr.length];
        for (int round = 0; round < 4; round++) {
            for (int ky = 0; ky < rows; ky++) {
                final double fy = (ky < rows / 2 ? ky : ky - rows) / (double) rows;
                for (int kx = 0; kx < cols; kx++) {
                    final double fx = (kx < cols / 2 ? kx : kx - cols) / (double) cols;
                    final double ph = 2 * Math.PI * (fx * ex + fy * ey);
                    final double c = Math.cos(ph);
                    final double sn = Math.sin(ph);
                    final int k = ky * cols + kx;
                    rr[k] = sr[k] * c - si[k] * sn;
                    ri[k] = sr[k] * sn + si[k] * c;
                }
            }
            Fft2d.transform(rr, ri, rows, cols, true);
            final double c0 = rr[0];
            final double rx = subpixel(at(rr, rows, cols, -1, 0), c0, at(rr, rows, cols, 1, 0));
            final double ry = subpixel(at(rr, rows, cols, 0, -1), c0, at(rr, rows, cols, 0, 1));
            ex += rx;
            ey += ry;
            best = Math.max(best, c0);
            if (Math.abs(rx) < 1e-3 && Math.abs(ry) < 1e-3) {
                break;
            }
        }
        return new Shift(ex, ey, best);
    }

    private static double at(final double[] a, final int rows, final int cols, final int x, final int y) {
        return a[Math.floorMod(y, rows) * cols + Math.floorMod(x, cols)];
    }

    /** Sub-pixel offset of a peak from its two neighbours: vertex of the parabola through the three values. */
    private static double subpixel(final double l, final double c, final double r) {
        final double d = l - 2 * c + r;
        if (d >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (l - r) / d));
    }

    /** Hann window (a full cosine taper: a flat-topped window biases sub-pixel shifts towards 0 far more). */
    private static double taper(final int i, final int n) {
        final double edge = Math.max(1, n / 2.0);
        final double d = Math.min(i, n - 1 - i);
        return d >= edge ? 1 : 0.5 * (1 - Math.cos(Math.PI * d / edge));
    }
}
