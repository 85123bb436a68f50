package org.beadstream.acquisition.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds the static parts of each plane's scene, in photons per pixel per frame on the padded scene grid:
 * <ul>
 *   <li>background: {@code backgroundPhotons * vignette * vessels}, vignette = 1 - 0.2 (r / r_max)^2 from the plane
 *       centre;</li>
 *   <li>neuropil texture: {@code neuropilPhotons * exp(0.5 g) / mean * vessels}, g a unit-variance Gaussian random
 *       field (white noise smoothed by three box blurs of radius neuropilScale / 2), correlated between adjacent
 *       depths (g_d = 0.6 g_{d-1} + 0.8 white_d);</li>
 *   <li>vessels: tubes of radius 2-5 um along smooth random curves, reaching a random range of depths; a vessel
 *       multiplies background and neuropil by 1 - darkening * exp(-d^2 / (2 (radius / 1.5)^2)).</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class SceneBuilder {

    private SceneBuilder() {
    }

    /** Gaussian random fields, one per depth (in depth order), unit variance, on a w x h grid. */
    static float[][] neuropilFields(final SimulationParameters p, final int w, final int h) {
        final int depths = p.planes();
        final float[][] out = new float[depths][];
        final int radius = Math.max(1, (int) Math.round(p.neuropilScaleUm() / p.pixelSizeUm() / 2));
        float[] previous = null;
        final float[] tmp = new float[w * h];
        for (int d = 0; d < depths; d++) {
            final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.SCENE, 1, d, 0));
            final float[] g = new float[w * h];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) rnd.nextGaussian();
            }
            for (int pass = 0; pass < 3; pass++) {
                boxBlur(g, tmp, w, h, radius);
            }
            normalise(g);
            if (previous != null) {
                for (int i = 0; i < g.length; i++) {
                    g[i] = 0.6f * previous[i] + 0.8f * g[i];
                }
                normalise(g);
            }
            out[d] = g;
            previous = g;
        }
        return out;
    }

    private static void normalise(final float[] g) {
        double s = 0;
        double s2 = 0;
        for (final float v : g) {
            s += v;
            s2 += (double) v * v;
        }
        final double mean = s / g.length;
        final double sd = Math.sqrt(Math.max(1e-20, s2 / g.length - mean * mean));
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) ((g[i] - mean) / sd);
        }
    }

    /** Separable box blur in place (running sums, edges clamped). */
    static void boxBlur(final float[] a, final float[] tmp, final int w, final int h, final int r) {
        final float inv = 1f / (2 * r + 1);
        for (int y = 0; y < h; y++) {
            final int row = y * w;
            double s = 0;
            for (int k = -r; k <= r; k++) {
                s += a[row + clamp(k, w)];
            }
            for (int x = 0; x < w; x++) {
                tmp[row + x] = (float) (s * inv);
                s += a[row + clamp(x + r + 1, w)] - a[row + clamp(x - r, w)];
            }
        }
        for (int x = 0; x < w; x++) {
            double s = 0;
            for (int k = -r; k <= r; k++) {
                s += tmp[clamp(k, h) * w + x];
            }
            for (int y = 0; y < h; y++) {
                a[y * w + x] = (float) (s * inv);
                s += tmp[clamp(y + r + 1, h) * w + x] - tmp[clamp(y - r, h) * w + x];
            }
        }
    }

    private static int clamp(final int i, final int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    /** One vessel: a polyline in world pixels, a radius in pixels and the depth range it reaches. */
    record Vessel(float[] x, float[] y, float radiusPx, int firstDepth, int lastDepth) {
    }

    /** Random vessels crossing the world box [x0, x1) x [y0, y1). */
    static Vessel[] vessels(final SimulationParameters p, final double x0, final double x1, final double y0,
            final double y1) {
        final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.SCENE, 2, 0, 0));
        final Vessel[] out = new Vessel[p.vessels()];
        final double span = Math.max(x1 - x0, y1 - y0);
        for (int v = 0; v < out.length; v++) {
            final int n = (int) Math.ceil(1.5 * span);
            final float[] xs = new float[n];
            final float[] ys = new float[n];
            double x = x0 + rnd.nextDouble() * (x1 - x0);
            double y = y0 + rnd.nextDouble() * (y1 - y0);
            double a = rnd.nextDouble() * 2 * Math.PI;
            double curvature = 0;
            for (int i = 0; i < n; i++) {
                xs[i] = (float) x;
                ys[i] = (float) y;
                curvature = 0.95 * curvature + 0.004 * rnd.nextGaussian();
                a += curvature;
                x += Math.cos(a);
                y += Math.sin(a);
            }
            final float radius = (float) ((2 + 3 * rnd.nextDouble()) / p.pixelSizeUm());
            final int first = rnd.nextInt(p.planes());
            final int last = Math.min(p.planes() - 1, first + rnd.nextInt(p.planes()));
            out[v] = new Vessel(xs, ys, radius, first, last);
        }
        return out;
    }

    /**
     * The transmission (1 = clear) of one vessel on a w x h grid whose index (0, 0) is world pixel (originX, originY).
     */
    static float[] vesselMask(final Vessel v, final double darkening, final int w, final int h, final double originX,
            final double originY) {
        final float[] mask = new float[w * h];
        Arrays.fill(mask, 1f);
        final double s = v.radiusPx() / 1.5;
        final double inv2s2 = 1 / (2 * s * s);
        final int reach = (int) Math.ceil(3 * s) + 1;
        final float[] vx = v.x();
        final float[] vy = v.y();
        final float[] table = new float[1025];
        for (int i = 0; i < table.length; i++) {
            table[i] = (float) (1 - darkening * Math.exp(-i / 64.0));
        }
        for (int i = 0; i < vx.length; i++) {
            final double cx = vx[i] - originX;
            final double cy = vy[i] - originY;
            final int ix = (int) Math.floor(cx);
            final int iy = (int) Math.floor(cy);
            if (ix < -reach || iy < -reach || ix >= w + reach || iy >= h + reach) {
                continue;
            }
            for (int yy = Math.max(0, iy - reach); yy <= Math.min(h - 1, iy + reach); yy++) {
                final double dy = yy + 0.5 - cy;
                for (int xx = Math.max(0, ix - reach); xx <= Math.min(w - 1, ix + reach); xx++) {
                    final double dx = xx + 0.5 - cx;
                    final int u = (int) ((dx * dx + dy * dy) * inv2s2 * 64);
                    if (u < table.length) {
                        final int k = yy * w + xx;
                        if (table[u] < mask[k]) {
                            mask[k] = table[u];
                        }
                    }
                }
            }
        }
        return mask;
    }
}
