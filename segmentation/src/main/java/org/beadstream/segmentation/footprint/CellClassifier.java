package org.beadstream.segmentation.footprint;

import java.util.Arrays;
import java.util.Objects;

/**
 * Cell / not-cell classifier (suite2p {@code iscell} analogue): logistic regression over standardised ROI
 * statistics, {@code p = 1 / (1 + exp(-(bias + sum_i w_i (f_i - mean_i) / scale_i)))}.
 *
 * <p>The default model ({@link #standard()}) was trained with {@link #train} on ROIs detected in simulated planes
 * and in the acquisition module's LBM simulator (labelled cell when matched to a true soma at IoU at least 0.5); see
 * docs/segmentation.md for the weights, the training command and its accuracy. Immutable and thread-safe.
 */
public final class CellClassifier {

    /** Feature names in the order of {@link RoiStats#features()}. */
    public static final String[] FEATURES = {
        "log_npix", "compactness", "aspect_ratio", "skewness", "log1p_snr", "footprint", "overlap", "radius",
    };

    private final double[] mean;
    private final double[] scale;
    private final double[] weights;
    private final double bias;

    /**
     * A model with the given standardisation and coefficients.
     *
     * @param mean    per-feature mean subtracted before weighting, length {@code FEATURES.length}
     * @param scale   per-feature positive scale divided by, same length
     * @param weights per-feature coefficients, same length
     * @param bias    intercept
     */
    public CellClassifier(final double[] mean, final double[] scale, final double[] weights, final double bias) {
        final int f = FEATURES.length;
        if (Objects.requireNonNull(mean, "mean").length != f || Objects.requireNonNull(scale, "scale").length != f
                || Objects.requireNonNull(weights, "weights").length != f) {
            throw new IllegalArgumentException("classifier needs " + f + " means, scales and weights, got "
                    + mean.length + ", " + scale.length + ", " + weights.length);
        }
        for (int i = 0; i < f; i++) {
            if (!(scale[i] > 0) || !Double.isFinite(mean[i]) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("classifier feature " + FEATURES[i]
                        + " needs a finite mean and weight and a positive scale, was mean " + mean[i] + ", scale "
                        + scale[i] + ", weight " + weights[i]);
            }
        }
        if (!Double.isFinite(bias)) {
            throw new IllegalArgumentException("classifier bias must be finite, was " + bias);
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.weights = weights.clone();
        this.bias = bias;
    }

    /** The model trained on simulated data (coefficients listed in docs/segmentation.md). */
    public static CellClassifier standard() {
        // ClassifierTraining (benchmarks): 1411 training ROIs (913 cells) from synthetic planes and the LBM simulator;
        // held-out accuracy 0.958 (synthetic) and 0.886 (LBM simulator)
        return new CellClassifier(
                new double[] {4.400, 1.113, 1.464, 1.093, 1.447, 0.865, 0.078, 5.774},
                new double[] {0.502, 0.127, 0.493, 0.784, 0.381, 0.027, 0.115, 1.178},
                new double[] {1.236, -1.385, 0.427, 0.401, 1.158, 0.487, -0.203, -0.581},
                1.331);
    }

    /** Probability in [0, 1] that a ROI with these statistics is a cell. */
    public double probability(final RoiStats stats) {
        return probability(stats.features());
    }

    /** Probability in [0, 1] for a feature vector in {@link #FEATURES} order. */
    public double probability(final double[] features) {
        double z = bias;
        for (int i = 0; i < weights.length; i++) {
            z += weights[i] * (features[i] - mean[i]) / scale[i];
        }
        return 1.0 / (1.0 + Math.exp(-z));
    }

    /** Per-feature coefficients (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    /** Per-feature means (a copy). */
    public double[] means() {
        return mean.clone();
    }

    /** Per-feature scales (a copy). */
    public double[] scales() {
        return scale.clone();
    }

    /** Intercept. */
    public double bias() {
        return bias;
    }

    /**
     * Fits a model by L2-regularised logistic regression (Newton-Raphson / IRLS on standardised features).
     *
     * @param features rows of {@link #FEATURES}-ordered features
     * @param isCell   label per row
     * @param l2       ridge penalty on the coefficients (not the bias), at least 0; 1e-2 is a good start
     */
    public static CellClassifier train(final double[][] features, final boolean[] isCell, final double l2) {
        final int n = features.length;
        final int f = FEATURES.length;
        if (n != isCell.length || n < 2) {
            throw new IllegalArgumentException("training needs at least 2 rows and one label per row, got " + n
                    + " rows and " + isCell.length + " labels");
        }
        if (!(l2 >= 0)) {
            throw new IllegalArgumentException("L2 penalty must be at least 0, was " + l2);
        }
        final double[] mean = new double[f];
        final double[] scale = new double[f];
        for (final double[] row : features) {
            for (int i = 0; i < f; i++) {
                mean[i] += row[i] / n;
            }
        }
        for (final double[] row : features) {
            for (int i = 0; i < f; i++) {
                scale[i] += (row[i] - mean[i]) * (row[i] - mean[i]) / n;
            }
        }
        for (int i = 0; i < f; i++) {
            scale[i] = Math.max(1e-6, Math.sqrt(scale[i]));
        }
        final double[][] x = new double[n][f + 1];
        for (int k = 0; k < n; k++) {
            x[k][0] = 1;
            for (int i = 0; i < f; i++) {
                x[k][i + 1] = (features[k][i] - mean[i]) / scale[i];
            }
        }
        final double[] beta = new double[f + 1];
        for (int iter = 0; iter < 50; iter++) {
            final double[] grad = new double[f + 1];
            final double[][] hess = new double[f + 1][f + 1];
            for (int k = 0; k < n; k++) {
                double z = 0;
                for (int i = 0; i <= f; i++) {
                    z += beta[i] * x[k][i];
                }
                final double p = 1.0 / (1.0 + Math.exp(-z));
                final double r = (isCell[k] ? 1 : 0) - p;
                final double w = Math.max(1e-9, p * (1 - p));
                for (int i = 0; i <= f; i++) {
                    grad[i] += r * x[k][i];
                    for (int j = 0; j <= f; j++) {
                        hess[i][j] += w * x[k][i] * x[k][j];
                    }
                }
            }
            for (int i = 1; i <= f; i++) {
                grad[i] -= l2 * n * beta[i];
                hess[i][i] += l2 * n;
            }
            hess[0][0] += 1e-9;
            final double[] step = solve(hess, grad);
            double norm = 0;
            for (int i = 0; i <= f; i++) {
                beta[i] += step[i];
                norm = Math.max(norm, Math.abs(step[i]));
            }
            if (norm < 1e-8) {
                break;
            }
        }
        return new CellClassifier(mean, scale, Arrays.copyOfRange(beta, 1, f + 1), beta[0]);
    }

    /** Solves a small symmetric positive-definite system by Gaussian elimination with partial pivoting. */
    private static double[] solve(final double[][] a0, final double[] b0) {
        final int n = b0.length;
        final double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        final double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            final double[] t = a[c];
            a[c] = a[piv];
            a[piv] = t;
            final double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            final double d = a[c][c];
            if (Math.abs(d) < 1e-300) {
                continue;
            }
            for (int r = c + 1; r < n; r++) {
                final double m = a[r][c] / d;
                for (int k = c; k < n; k++) {
                    a[r][k] -= m * a[c][k];
                }
                b[r] -= m * b[c];
            }
        }
        final double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int k = r + 1; k < n; k++) {
                s -= a[r][k] * x[k];
            }
            x[r] = Math.abs(a[r][r]) < 1e-300 ? 0 : s / a[r][r];
        }
        return x;
    }

    @Override
    public String toString() {
        return "CellClassifier[weights=" + Arrays.toString(weights) + ", bias=" + bias + "]";
    }
}
