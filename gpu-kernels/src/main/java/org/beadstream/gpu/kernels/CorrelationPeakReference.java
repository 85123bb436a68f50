package org.beadstream.gpu.kernels;

/**
 * Plain-Java reference of kernel {@code correlation_peak} (same search order and tie rule, same subpixel fit).
 * Stateless and thread-safe.
 */
public final class CorrelationPeakReference {

    private CorrelationPeakReference() {
    }

    /** Writes 4 floats per map into {@code out}: dy, dx, peak * norm, flags. */
    public static void run(final float[] corr, final int h, final int w, final int maxShift, final float norm,
            final float[] out, final int nMaps) {
        final int side = 2 * maxShift + 1;
        for (int m = 0; m < nMaps; m++) {
            final int base = (m >> 1) * h * w * 2 + (m & 1);
            float bv = Float.NEGATIVE_INFINITY;
            int bi = side * side;
            for (int i = 0; i < side * side; i++) {
                final float v = at(corr, base, h, w, i / side - maxShift, i % side - maxShift);
                if (v > bv) {
                    bv = v;
                    bi = i;
                }
            }
            if (bi >= side * side) {
                out[4 * m] = 0f;
                out[4 * m + 1] = 0f;
                out[4 * m + 2] = 0f;
                out[4 * m + 3] = 2f;
                continue;
            }
            final int py = bi / side - maxShift;
            final int px = bi % side - maxShift;
            final float fy = subpixel(at(corr, base, h, w, py - 1, px), bv, at(corr, base, h, w, py + 1, px));
            final float fx = subpixel(at(corr, base, h, w, py, px - 1), bv, at(corr, base, h, w, py, px + 1));
            out[4 * m] = py + fy;
            out[4 * m + 1] = px + fx;
            out[4 * m + 2] = bv * norm;
            out[4 * m + 3] = Math.abs(py) == maxShift || Math.abs(px) == maxShift ? 1f : 0f;
        }
    }

    /** Three-point Gaussian (log-parabola) fit, parabolic where a value is not positive; within [-0.5, 0.5]. */
    public static float subpixel(final float cm, final float c0, final float cp) {
        double d;
        if (cm > 0 && c0 > 0 && cp > 0) {
            final double lm = Math.log(cm);
            final double l0 = Math.log(c0);
            final double lp = Math.log(cp);
            final double den = lm - 2 * l0 + lp;
            d = den < 0 ? 0.5 * (lm - lp) / den : 0;
        } else {
            final double den = cm - 2.0 * c0 + cp;
            d = den < 0 ? 0.5 * (cm - cp) / den : 0;
        }
        return (float) Math.max(-0.5, Math.min(0.5, d));
    }

    private static float at(final float[] c, final int base, final int h, final int w, final int y, final int x) {
        return c[base + 2 * ((y & (h - 1)) * w + (x & (w - 1)))];
    }
}
