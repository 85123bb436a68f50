package org.beadstream.traces.deconvolution;

/**
 * Parameters of online OASIS deconvolution with an AR(1) calcium model {@code c[t] = g c[t-1] + s[t]}, observed as
 * {@code y[t] = b + c[t] + noise}.
 *
 * <table>
 *   <caption>Parameters</caption>
 *   <tr><th>name</th><th>unit</th><th>range</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>decay g</td><td>per frame</td><td>(0, 1)</td><td>from tau</td><td>exp(-1 / (tau * rate))</td></tr>
 *   <tr><td>lambda</td><td>input units</td><td>&ge; 0</td><td>0</td><td>L1 sparsity penalty on spikes</td></tr>
 *   <tr><td>sMin</td><td>input units</td><td>&ge; 0</td><td>0</td><td>smallest spike kept (hard threshold in the
 *       pooling rule: pools merge while the jump is below sMin)</td></tr>
 *   <tr><td>baseline b</td><td>input units</td><td>any</td><td>0</td><td>constant subtracted before pooling (use 0
 *       for baseline-subtracted input such as dF/F)</td></tr>
 *   <tr><td>lag</td><td>frames</td><td>&ge; 0</td><td>50</td><td>how far back a new sample may still change an
 *       estimate; spikes of frame t are final and emitted when frame t + lag arrives; memory per ROI is
 *       (lag + 2) pools of 12 bytes</td></tr>
 * </table>
 *
 * <p>Immutable and thread-safe.
 */
public final class OasisParameters {

    /** The default output lag in frames (about 5 s at 10 volumes/s). */
    public static final int DEFAULT_LAG = 50;

    private final double decay;
    private final double lambda;
    private final double sMin;
    private final double baseline;
    private final int lag;

    /**
     * @param decay AR(1) coefficient g per frame, in (0, 1)
     * @param lambda L1 penalty, &ge; 0
     * @param sMin minimum spike size, &ge; 0
     * @param baseline constant baseline subtracted from the input
     * @param lag output lag in frames, &ge; 0
     */
    public OasisParameters(final double decay, final double lambda, final double sMin, final double baseline,
                           final int lag) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("decay g must be in (0, 1), was " + decay);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, was " + lambda);
        }
        if (!(sMin >= 0) || Double.isInfinite(sMin)) {
            throw new IllegalArgumentException("sMin must be finite and >= 0, was " + sMin);
        }
        if (!Double.isFinite(baseline)) {
            throw new IllegalArgumentException("baseline must be finite, was " + baseline);
        }
        if (lag < 0) {
            throw new IllegalArgumentException("lag must be >= 0 frames, was " + lag);
        }
        this.decay = decay;
        this.lambda = lambda;
        this.sMin = sMin;
        this.baseline = baseline;
        this.lag = lag;
    }

    /**
     * Parameters from an indicator decay time: g = exp(-1 / (tau * rate)), no penalty, no threshold, default lag.
     *
     * @param tauSeconds indicator decay time constant in seconds (suite2p's {@code tau}: 0.7 GCaMP6f, 1.0 GCaMP6m,
     *                   1.25-1.5 GCaMP6s)
     * @param frameRateHz sampling rate of the trace (volume rate for LBM data)
     */
    public static OasisParameters fromTau(final double tauSeconds, final double frameRateHz) {
        if (!(tauSeconds > 0) || Double.isInfinite(tauSeconds)) {
            throw new IllegalArgumentException("tau must be finite and > 0 seconds, was " + tauSeconds);
        }
        if (!(frameRateHz > 0) || Double.isInfinite(frameRateHz)) {
            throw new IllegalArgumentException("frame rate must be finite and > 0 Hz, was " + frameRateHz);
        }
        return new OasisParameters(Math.exp(-1.0 / (tauSeconds * frameRateHz)), 0, 0, 0, DEFAULT_LAG);
    }

    /**
     * Estimates g from a trace by the ratio of autocovariances at lags 2 and 1 (white measurement noise only adds to
     * lag 0, so this ratio is unbiased by it for an AR(1) process). The result is clamped to [0.5, 0.9999].
     *
     * @param trace at least 16 finite samples
     */
    public static double estimateDecay(final float[] trace) {
        if (trace.length < 16) {
            throw new IllegalArgumentException("need at least 16 samples to estimate the decay, was " + trace.length);
        }
        double mean = 0;
        for (final float v : trace) {
            mean += v;
        }
        mean /= trace.length;
        double c1 = 0;
        double c2 = 0;
        for (int t = 2; t < trace.length; t++) {
            final double a = trace[t] - mean;
            c1 += a * (trace[t - 1] - mean);
            c2 += a * (trace[t - 2] - mean);
        }
        final double g = c1 > 0 ? c2 / c1 : 0.5;
        return Math.min(0.9999, Math.max(0.5, g));
    }

    /** Copy with another decay. */
    public OasisParameters withDecay(final double g) {
        return new OasisParameters(g, lambda, sMin, baseline, lag);
    }

    /** Copy with another L1 penalty. */
    public OasisParameters withLambda(final double l) {
        return new OasisParameters(decay, l, sMin, baseline, lag);
    }

    /** Copy with another minimum spike size. */
    public OasisParameters withSMin(final double s) {
        return new OasisParameters(decay, lambda, s, baseline, lag);
    }

    /** Copy with another constant baseline. */
    public OasisParameters withBaseline(final double b) {
        return new OasisParameters(decay, lambda, sMin, b, lag);
    }

    /** Copy with another output lag (frames). */
    public OasisParameters withLag(final int frames) {
        return new OasisParameters(decay, lambda, sMin, baseline, frames);
    }

    /** AR(1) coefficient g per frame. */
    public double decay() {
        return decay;
    }

    /** L1 penalty on spikes. */
    public double lambda() {
        return lambda;
    }

    /** Minimum spike size. */
    public double sMin() {
        return sMin;
    }

    /** Constant baseline subtracted from the input. */
    public double baseline() {
        return baseline;
    }

    /** Output lag in frames. */
    public int lag() {
        return lag;
    }

    @Override
    public String toString() {
        return "OasisParameters[g=" + decay + ", lambda=" + lambda + ", sMin=" + sMin + ", baseline=" + baseline
                + ", lag=" + lag + "]";
    }
}
