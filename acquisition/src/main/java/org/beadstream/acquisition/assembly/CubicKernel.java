package org.beadstream.acquisition.assembly;

/**
 * Keys' cubic convolution kernel (a = -0.5, the "Catmull-Rom" cubic of most image libraries): the interpolation used
 * to estimate and correct subpixel scan phase. Exact for integer shifts and for quadratic signals.
 *
 * <p>Stateless and thread-safe.
 */
final class CubicKernel {

    private static final double A = -0.5;

    private CubicKernel() {
    }

    /** Kernel value at distance {@code t}. */
    static double value(final double t) {
        final double x = Math.abs(t);
        if (x <= 1) {
            return ((A + 2) * x - (A + 3)) * x * x + 1;
        }
        if (x < 2) {
            return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
        }
        return 0;
    }

    /** Kernel derivative at distance {@code t}. */
    static double derivative(final double t) {
        final double x = Math.abs(t);
        final double s = Math.signum(t);
        if (x <= 1) {
            return s * (3 * (A + 2) * x - 2 * (A + 3)) * x;
        }
        if (x < 2) {
            return s * ((3 * A * x - 10 * A) * x + 8 * A);
        }
        return 0;
    }

    /** Fills {@code w[0..3]} with the weights of samples i-1, i, i+1, i+2 for position i + f (0 <= f < 1). */
    static void weights(final double f, final double[] w) {
        w[0] = value(f + 1);
        w[1] = value(f);
        w[2] = value(f - 1);
        w[3] = value(f - 2);
    }
}
