package org.beadstream.acquisition.sim;

import java.util.SplittableRandom;

/**
 * The library of soma shapes: a few hundred random ellipsoids (radii, orientation, nucleus) and, for each, the image
 * a plane sees of it at every depth relative to the soma's centre (1-um bins). A neuron draws one shape; its footprint
 * on a plane is the library image for its depth offset, placed at its centre pixel. This keeps a million neurons
 * memory-lean (a shape index per neuron, not a footprint) while every footprint stays exact by construction.
 *
 * <p>Weight of a pixel: the fraction of the plane's axial point-spread function (a Gaussian of the configured FWHM)
 * that the soma's chord through the pixel covers, averaged over 2 x 2 sub-pixel rays, minus {@code 1 - nucleusBrightness}
 * times the same for the nucleus (a concentric ellipsoid scaled by {@code nucleusRadiusFraction}). Pixels below
 * {@link #MIN_WEIGHT} are dropped.
 *
 * <p>Immutable after construction and thread-safe.
 */
final class SomaShapes {

    /** Smallest kept footprint weight. */
    static final float MIN_WEIGHT = 0.01f;
    /** Depth bin of the library in micrometres. */
    static final double Z_STEP_UM = 1.0;

    private static final double[] PHI = new double[8193];
    private static final double PHI_RANGE = 8.0;

    static {
        for (int i = 0; i < PHI.length; i++) {
            final double x = -PHI_RANGE + 2 * PHI_RANGE * i / (PHI.length - 1);
            PHI[i] = 0.5 * erfc(-x / Math.sqrt(2));
        }
    }

    private final int shapes;
    private final int bins;
    private final int halfBins;
    private final int halfExtentPx;
    private final float[] radiiUm;      // shapes x 3
    private final float[] quaternion;   // shapes x 4 (w, x, y, z)
    private final int[] start;          // shapes*bins + 1
    private final byte[] dx;
    private final byte[] dy;
    private final float[] weight;

    SomaShapes(final SimulationParameters p) {
        final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.SHAPES, 0, 0, 0));
        this.shapes = p.footprintShapes();
        final double sigmaZ = p.axialPsfFwhmUm() / (2 * Math.sqrt(2 * Math.log(2)));
        final double rMax = p.somaDiameterMaxUm() / 2 * (1 + p.somaAspectSpread());
        final double zReach = rMax + 3 * sigmaZ;
        this.halfBins = (int) Math.ceil(zReach / Z_STEP_UM);
        this.bins = 2 * halfBins + 1;
        this.halfExtentPx = (int) Math.ceil(rMax / p.pixelSizeUm()) + 1;
        this.radiiUm = new float[shapes * 3];
        this.quaternion = new float[shapes * 4];
        final int side = 2 * halfExtentPx + 1;
        final int rays = side * side * 4;
        final double[] z0 = new double[rays];
        final double[] z1 = new double[rays];
        final double[] n0 = new double[rays];
        final double[] n1 = new double[rays];
        final float[] img = new float[side * side];
        int capacity = 1 << 16;
        byte[] ddx = new byte[capacity];
        byte[] ddy = new byte[capacity];
        float[] ww = new float[capacity];
        final int[] st = new int[shapes * bins + 1];
        int count = 0;
        final double nf = p.nucleusRadiusFraction();
        final double nucleusLoss = 1 - p.nucleusBrightness();
        for (int k = 0; k < shapes; k++) {
            final double d = p.somaDiameterMinUm() + rnd.nextDouble() * (p.somaDiameterMaxUm() - p.somaDiameterMinUm());
            final double[] r = new double[3];
            for (int a = 0; a < 3; a++) {
                r[a] = d / 2 * (1 + p.somaAspectSpread() * (2 * rnd.nextDouble() - 1));
                radiiUm[k * 3 + a] = (float) r[a];
            }
            // Uniform random rotation (Shoemake 1992).
            final double u1 = rnd.nextDouble();
            final double u2 = rnd.nextDouble();
            final double u3 = rnd.nextDouble();
            final double qw = Math.sqrt(1 - u1) * Math.sin(2 * Math.PI * u2);
            final double qx = Math.sqrt(1 - u1) * Math.cos(2 * Math.PI * u2);
            final double qy = Math.sqrt(u1) * Math.sin(2 * Math.PI * u3);
            final double qz = Math.sqrt(u1) * Math.cos(2 * Math.PI * u3);
            quaternion[k * 4] = (float) qw;
            quaternion[k * 4 + 1] = (float) qx;
            quaternion[k * 4 + 2] = (float) qy;
            quaternion[k * 4 + 3] = (float) qz;
            final double[] m = ellipsoidMatrix(qw, qx, qy, qz, r[0], r[1], r[2]);
            final double[] mn = ellipsoidMatrix(qw, qx, qy, qz, r[0] * nf, r[1] * nf, r[2] * nf);
            int ray = 0;
            for (int py = -halfExtentPx; py <= halfExtentPx; py++) {
                for (int px = -halfExtentPx; px <= halfExtentPx; px++) {
                    for (int sub = 0; sub < 4; sub++) {
                        final double x = (px + ((sub & 1) == 0 ? -0.25 : 0.25)) * p.pixelSizeUm();
                        final double y = (py + ((sub & 2) == 0 ? -0.25 : 0.25)) * p.pixelSizeUm();
                        chord(m, x, y, z0, z1, ray);
                        if (nf > 0 && nucleusLoss > 0) {
                            chord(mn, x, y, n0, n1, ray);
                        } else {
                            n0[ray] = 0;
                            n1[ray] = 0;
                        }
                        ray++;
                    }
                }
            }
            for (int b = 0; b < bins; b++) {
                st[k * bins + b] = count;
                final double zPlane = (b - halfBins) * Z_STEP_UM;
                for (int pix = 0; pix < side * side; pix++) {
                    double w = 0;
                    for (int sub = 0; sub < 4; sub++) {
                        final int i = pix * 4 + sub;
                        if (z1[i] > z0[i]) {
                            w += phi((z1[i] - zPlane) / sigmaZ) - phi((z0[i] - zPlane) / sigmaZ);
                            if (n1[i] > n0[i]) {
                                w -= nucleusLoss * (phi((n1[i] - zPlane) / sigmaZ) - phi((n0[i] - zPlane) / sigmaZ));
                            }
                        }
                    }
                    img[pix] = (float) (w / 4);
                }
                for (int pix = 0; pix < side * side; pix++) {
                    if (img[pix] >= MIN_WEIGHT) {
                        if (count == capacity) {
                            capacity *= 2;
                            ddx = java.util.Arrays.copyOf(ddx, capacity);
                            ddy = java.util.Arrays.copyOf(ddy, capacity);
                            ww = java.util.Arrays.copyOf(ww, capacity);
                        }
                        ddx[count] = (byte) (pix % side - halfExtentPx);
                        ddy[count] = (byte) (pix / side - halfExtentPx);
                        ww[count] = img[pix];
                        count++;
                    }
                }
            }
        }
        st[shapes * bins] = count;
        this.start = st;
        this.dx = java.util.Arrays.copyOf(ddx, count);
        this.dy = java.util.Arrays.copyOf(ddy, count);
        this.weight = java.util.Arrays.copyOf(ww, count);
    }

    /** M = R diag(1/a^2, 1/b^2, 1/c^2) R^T as (m11, m12, m13, m22, m23, m33). */
    private static double[] ellipsoidMatrix(final double w, final double x, final double y, final double z,
            final double a, final double b, final double c) {
        final double[][] rot = {
            {1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)},
            {2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)},
            {2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)}};
        final double[] inv = {1 / (a * a), 1 / (b * b), 1 / (c * c)};
        final double[][] m = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += rot[i][k] * inv[k] * rot[j][k];
                }
                m[i][j] = s;
            }
        }
        return new double[] {m[0][0], m[0][1], m[0][2], m[1][1], m[1][2], m[2][2]};
    }

    /** The z interval where the vertical ray at (x, y) is inside the ellipsoid; empty (z1 <= z0) when it misses. */
    private static void chord(final double[] m, final double x, final double y, final double[] z0, final double[] z1,
            final int i) {
        final double a = m[5];
        final double b = m[2] * x + m[4] * y;
        final double c = m[0] * x * x + 2 * m[1] * x * y + m[3] * y * y - 1;
        final double disc = b * b - a * c;
        if (disc <= 0) {
            z0[i] = 0;
            z1[i] = 0;
            return;
        }
        final double s = Math.sqrt(disc);
        z0[i] = (-b - s) / a;
        z1[i] = (-b + s) / a;
    }

    /** Standard normal CDF by table (step 1/512, linear interpolation; error below 1e-6). */
    static double phi(final double x) {
        if (x <= -PHI_RANGE) {
            return 0;
        }
        if (x >= PHI_RANGE) {
            return 1;
        }
        final double t = (x + PHI_RANGE) * (PHI.length - 1) / (2 * PHI_RANGE);
        final int i = (int) t;
        final double f = t - i;
        return i + 1 < PHI.length ? PHI[i] + f * (PHI[i + 1] - PHI[i]) : PHI[i];
    }

    /** Complementary error function (Numerical Recipes erfcc, fractional error below 1.2e-7). */
    static double erfc(final double x) {
        final double z = Math.abs(x);
        final double t = 1 / (1 + 0.5 * z);
        final double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    int shapes() {
        return shapes;
    }

    int bins() {
        return bins;
    }

    int halfBins() {
        return halfBins;
    }

    /** Depth reach in micrometres: a soma further than this from a plane has no footprint there. */
    double reachUm() {
        return halfBins * Z_STEP_UM;
    }

    int halfExtentPx() {
        return halfExtentPx;
    }

    /** Bin of the plane at depth offset {@code planeMinusCentreUm} from the soma centre, or -1 if out of reach. */
    int bin(final double planeMinusCentreUm) {
        final long b = Math.round(planeMinusCentreUm / Z_STEP_UM) + halfBins;
        return b < 0 || b >= bins ? -1 : (int) b;
    }

    int start(final int shape, final int bin) {
        return start[shape * bins + bin];
    }

    int end(final int shape, final int bin) {
        return start[shape * bins + bin + 1];
    }

    /** First entry of flattened shape-bin index {@code sb} (= shape * bins + bin). */
    int startOf(final int sb) {
        return start[sb];
    }

    /** End (exclusive) of flattened shape-bin {@code sb}. */
    int endOf(final int sb) {
        return start[sb + 1];
    }

    int dx(final int e) {
        return dx[e];
    }

    int dy(final int e) {
        return dy[e];
    }

    float weight(final int e) {
        return weight[e];
    }

    int entries() {
        return weight.length;
    }

    float radiusUm(final int shape, final int axis) {
        return radiiUm[shape * 3 + axis];
    }

    float quaternion(final int shape, final int component) {
        return quaternion[shape * 4 + component];
    }
}
