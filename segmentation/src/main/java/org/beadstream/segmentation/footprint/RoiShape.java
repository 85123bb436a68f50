package org.beadstream.segmentation.footprint;

import java.util.Arrays;

/** Statistics of one ROI from its pixels, weights and trace. Stateless; thread-safe. */
final class RoiShape {

    private RoiShape() {
    }

    static RoiStats stats(final int[] px, final float[] w, final float[] trace, final byte[] cover, final int width) {
        final int n = px.length;
        double sw = 0;
        double sx = 0;
        double sy = 0;
        double ux = 0;
        double uy = 0;
        double sw2 = 0;
        for (int i = 0; i < n; i++) {
            final int x = px[i] % width;
            final int y = px[i] / width;
            sw += w[i];
            sw2 += (double) w[i] * w[i];
            sx += w[i] * x;
            sy += w[i] * y;
            ux += x;
            uy += y;
        }
        final double cx = sx / sw;
        final double cy = sy / sw;
        ux /= n;
        uy /= n;
        double cxx = 0;
        double cyy = 0;
        double cxy = 0;
        double meanDist = 0;
        int shared = 0;
        for (int i = 0; i < n; i++) {
            final double dx = px[i] % width - ux;
            final double dy = px[i] / width - uy;
            cxx += dx * dx;
            cyy += dy * dy;
            cxy += dx * dy;
            meanDist += Math.hypot(px[i] % width - cx, px[i] / width - cy);
            if (cover != null && cover[px[i]] > 1) {
                shared++;
            }
        }
        // second moments of pixels as unit squares (+1/12) so a single pixel has a finite radius
        cxx = cxx / n + 1.0 / 12;
        cyy = cyy / n + 1.0 / 12;
        cxy /= n;
        final double tr = cxx + cyy;
        final double det = cxx * cyy - cxy * cxy;
        final double disc = Math.sqrt(Math.max(0, tr * tr / 4 - det));
        final double l1 = tr / 2 + disc;
        final double l2 = Math.max(1e-12, tr / 2 - disc);
        final double a = 2 * Math.sqrt(l1);
        final double b = 2 * Math.sqrt(l2);
        final double radius = (a + b) / 2;
        meanDist /= n;
        // mean distance to the centre of a disk of area n: (2/3) R with R = sqrt(n / pi)
        final double diskMean = Math.max(1e-9, (2.0 / 3.0) * Math.sqrt(n / Math.PI));
        final double compactness = Math.max(meanDist / diskMean, 0);
        final double footprint = (sw * sw / sw2) / n;
        double skew = Double.NaN;
        double snr = Double.NaN;
        if (trace != null && trace.length >= 3) {
            skew = skewness(trace);
            snr = snr(trace);
        }
        return new RoiStats(cx, cy, radius, a / b, compactness, skew, snr, (double) shared / n, n, footprint);
    }

    static double skewness(final float[] t) {
        double m = 0;
        for (final float v : t) {
            m += v;
        }
        m /= t.length;
        double m2 = 0;
        double m3 = 0;
        for (final float v : t) {
            final double d = v - m;
            m2 += d * d;
            m3 += d * d * d;
        }
        m2 /= t.length;
        m3 /= t.length;
        return m2 <= 0 ? 0 : m3 / Math.pow(m2, 1.5);
    }

    static double snr(final float[] t) {
        final float[] sorted = t.clone();
        Arrays.sort(sorted);
        final double median = sorted[sorted.length / 2];
        final double p95 = sorted[Math.min(sorted.length - 1, (int) Math.round(0.95 * (sorted.length - 1)))];
        final float[] diff = new float[t.length - 1];
        for (int i = 1; i < t.length; i++) {
            diff[i - 1] = Math.abs(t[i] - t[i - 1]);
        }
        Arrays.sort(diff);
        final double mad = diff[diff.length / 2];
        // median |N(0, 2 s^2)| = 0.6745 * sqrt(2) * s
        final double sigma = mad / (0.6745 * Math.sqrt(2));
        return sigma <= 0 ? 0 : (p95 - median) / sigma;
    }
}
