package org.beadstream.acquisition.sim;

import java.util.SplittableRandom;

/**
 * Brain motion: a displacement of the tissue in the image, per frame (volume {@code v}, plane {@code c}, acquired at
 * t = (v + c / planes) / volumeRate). A frame shows the scene moved by the displacement:
 * {@code frame(x, y) = scene(x - ux(x, y), y - uy(x, y))}; to register it, move it back by {@code -u}.
 * <ul>
 *   <li>rigid: per axis, amplitude * sum of three slow sinusoids (periods 3-30 s, weights summing to 1) plus a
 *       per-frame Gaussian jitter clipped at 4 sigma;</li>
 *   <li>non-rigid: per axis, sum over the basis (kx, ky) in {(1,0), (0,1), (1,1), (2,1)} of
 *       a_k(t) cos(pi kx (xc + 0.5) / W) cos(pi ky (y + 0.5) / H), with a_k(t) = (amplitude / 4) sin(2 pi t / T_k +
 *       phase_k), T_k in 10-60 s; evaluated at the centre xc = 16 floor(x / 16) + 7.5 of 16-pixel tiles along x
 *       (the renderer's discretisation, exact for truth comparisons).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
final class MotionModel {

    /** Width in pixels of the tiles along x on which the non-rigid field is evaluated. */
    static final int TILE = 16;
    /** The non-rigid basis: (kx, ky) per term. */
    static final int[][] BASIS = {{1, 0}, {0, 1}, {1, 1}, {2, 1}};
    static final int TERMS = BASIS.length;

    private final long seed;
    private final int planes;
    private final double rate;
    private final double rigidAmp;
    private final double jitter;
    private final double nonrigidAmp;
    private final int width;
    private final int height;
    private final double[] rigidPeriod = new double[6];
    private final double[] rigidPhase = new double[6];
    private final double[] rigidWeight = new double[6];
    private final double[] nrPeriod = new double[2 * TERMS];
    private final double[] nrPhase = new double[2 * TERMS];

    MotionModel(final SimulationParameters p, final int planeWidth, final int planeHeight) {
        this.seed = p.seed();
        this.planes = p.planes();
        this.rate = p.volumeRateHz();
        this.rigidAmp = p.rigidAmplitudePx();
        this.jitter = p.rigidJitterPx();
        this.nonrigidAmp = p.nonrigidAmplitudePx();
        this.width = planeWidth;
        this.height = planeHeight;
        final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.MOTION, -1, 0, 0));
        for (int axis = 0; axis < 2; axis++) {
            double sum = 0;
            for (int k = 0; k < 3; k++) {
                rigidPeriod[axis * 3 + k] = 3 + rnd.nextDouble() * 27;
                rigidPhase[axis * 3 + k] = rnd.nextDouble() * 2 * Math.PI;
                rigidWeight[axis * 3 + k] = 0.5 + rnd.nextDouble();
                sum += rigidWeight[axis * 3 + k];
            }
            for (int k = 0; k < 3; k++) {
                rigidWeight[axis * 3 + k] /= sum;
            }
        }
        for (int k = 0; k < 2 * TERMS; k++) {
            nrPeriod[k] = 10 + rnd.nextDouble() * 50;
            nrPhase[k] = rnd.nextDouble() * 2 * Math.PI;
        }
    }

    /** Acquisition time of plane {@code c} of volume {@code v}, seconds. */
    double time(final long v, final int c) {
        return (v + (double) c / planes) / rate;
    }

    /** Rigid displacement of axis 0 (x) or 1 (y) for the frame (v, c). */
    double rigid(final long v, final int c, final int axis) {
        if (rigidAmp == 0 && jitter == 0) {
            return 0;
        }
        final double t = time(v, c);
        double s = 0;
        for (int k = 0; k < 3; k++) {
            final int i = axis * 3 + k;
            s += rigidWeight[i] * Math.sin(2 * Math.PI * t / rigidPeriod[i] + rigidPhase[i]);
        }
        double j = 0;
        if (jitter > 0) {
            j = Math.max(-4, Math.min(4, Hash.gaussian(Hash.of(seed, Hash.MOTION, v, c, axis)))) * jitter;
        }
        return rigidAmp * s + j;
    }

    /** Non-rigid coefficients a_k of axis {@code axis} for frame (v, c), written to {@code out[0..TERMS)}. */
    void nonrigid(final long v, final int c, final int axis, final float[] out) {
        final double t = time(v, c);
        for (int k = 0; k < TERMS; k++) {
            final int i = axis * TERMS + k;
            out[k] = nonrigidAmp == 0 ? 0f
                    : (float) (nonrigidAmp / TERMS * Math.sin(2 * Math.PI * t / nrPeriod[i] + nrPhase[i]));
        }
    }

    /** Basis term {@code k}'s x factor at tile centre xc. */
    double basisX(final int k, final double xc) {
        return Math.cos(Math.PI * BASIS[k][0] * (xc + 0.5) / width);
    }

    /** Basis term {@code k}'s y factor at row y. */
    double basisY(final int k, final int y) {
        return Math.cos(Math.PI * BASIS[k][1] * (y + 0.5) / height);
    }

    /** Centre of the tile holding column x. */
    static double tileCentre(final int x) {
        return TILE * (double) Math.floorDiv(x, TILE) + (TILE - 1) / 2.0;
    }

    boolean hasNonrigid() {
        return nonrigidAmp > 0;
    }

    double[] rigidPeriods() {
        return rigidPeriod.clone();
    }

    double[] rigidPhases() {
        return rigidPhase.clone();
    }

    double[] rigidWeights() {
        return rigidWeight.clone();
    }

    double[] nonrigidPeriods() {
        return nrPeriod.clone();
    }

    double[] nonrigidPhases() {
        return nrPhase.clone();
    }
}
