package org.beadstream.acquisition.sim;

import java.util.SplittableRandom;

/**
 * GCaMP-like activity of every neuron, one step per volume (dt = 1 / volume rate):
 * <ol>
 *   <li>spikes: n_i(v) ~ Poisson(rate_i * dt * exp(coupling_i * drive(v))), drawn from a counter-based hash of
 *       (seed, neuron, volume), so spikes are random-access and independent of how frames are read;</li>
 *   <li>calcium: a double exponential driven by the spikes, a = rho_d (a + n), b = rho_r (b + n),
 *       c = (a - b) / peak, so one spike peaks at c = 1 (rho = exp(-dt / tau));</li>
 *   <li>indicator: dF/F = dffMax * c^h / (c^h + K^h) (Hill saturation);</li>
 *   <li>fluorescence: F = F0 * (1 + dF/F) * bleach(v), bleach(v) = 1 - f + f exp(-t / tau_bleach).</li>
 * </ol>
 * The shared drive is a sum of three slow sinusoids (periods 8-60 s) in [-1, 1]; the neuropil level follows it:
 * 1 + neuropilModulation * drive(v).
 *
 * <p>Immutable and thread-safe; the caller owns the state arrays it passes to {@link #step}.
 */
final class ActivityModel {

    private final NeuronTable neurons;
    private final long seed;
    private final double dt;
    private final float rhoRise;
    private final float[] rhoDecay;
    private final float[] peakInv;
    private final double dffMax;
    private final double hillK;
    private final double hillN;
    private final double hillKn;
    private final boolean hillSquare;
    private final double[] drivePeriod = new double[3];
    private final double[] drivePhase = new double[3];
    private final double[] driveWeight = new double[3];
    private final double neuropilModulation;
    private final double bleachFraction;
    private final double bleachTau;

    ActivityModel(final SimulationParameters p, final NeuronTable neurons) {
        this.neurons = neurons;
        this.seed = p.seed();
        this.dt = 1.0 / p.volumeRateHz();
        this.rhoRise = (float) Math.exp(-dt / p.tauRiseS());
        final int n = neurons.count();
        this.rhoDecay = new float[n];
        this.peakInv = new float[n];
        for (int i = 0; i < n; i++) {
            final double td = neurons.tauDecayRaw(i);
            final double tr = p.tauRiseS();
            rhoDecay[i] = (float) Math.exp(-dt / td);
            final double tPeak = Math.log(td / tr) * td * tr / (td - tr);
            peakInv[i] = (float) (1 / (Math.exp(-tPeak / td) - Math.exp(-tPeak / tr)));
        }
        this.dffMax = p.dffMax();
        this.hillK = p.hillK();
        this.hillN = p.hillN();
        this.hillKn = Math.pow(hillK, hillN);
        this.hillSquare = hillN == 2.0;
        final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.SPIKES, -1, 0, 0));
        double sum = 0;
        for (int k = 0; k < 3; k++) {
            drivePeriod[k] = 8 + rnd.nextDouble() * 52;
            drivePhase[k] = rnd.nextDouble() * 2 * Math.PI;
            driveWeight[k] = 0.5 + rnd.nextDouble();
            sum += driveWeight[k];
        }
        for (int k = 0; k < 3; k++) {
            driveWeight[k] /= sum;
        }
        this.neuropilModulation = p.neuropilModulation();
        this.bleachFraction = p.bleachFraction();
        this.bleachTau = p.bleachTauS();
    }

    /** Time of volume {@code v} in seconds. */
    double time(final long v) {
        return v * dt;
    }

    /** Shared population drive at volume {@code v}, in [-1, 1]. */
    double drive(final long v) {
        final double t = time(v);
        double m = 0;
        for (int k = 0; k < 3; k++) {
            m += driveWeight[k] * Math.sin(2 * Math.PI * t / drivePeriod[k] + drivePhase[k]);
        }
        return m;
    }

    /** Neuropil brightness factor at volume {@code v}. */
    double neuropilLevel(final long v) {
        return 1 + neuropilModulation * drive(v);
    }

    /** Photobleaching factor at volume {@code v}. */
    double bleach(final long v) {
        return 1 - bleachFraction + bleachFraction * Math.exp(-time(v) / bleachTau);
    }

    /** Expected spikes of neuron {@code i} in volume {@code v}. */
    double expectedSpikes(final int i, final long v) {
        final double r = neurons.rateRaw(i);
        return r == 0 ? 0 : r * dt * Math.exp(neurons.couplingRaw(i) * drive(v));
    }

    /** Spike count of neuron {@code i} in volume {@code v} (pure function of the seed). */
    int spikes(final int i, final long v, final double driveValue) {
        final float r = neurons.rateRaw(i);
        if (r == 0) {
            return 0;
        }
        final double lambda = r * dt * Math.exp(neurons.couplingRaw(i) * driveValue);
        final long h = Hash.of(seed, Hash.SPIKES, i, v, 0);
        if (lambda > 30) {
            // bursts beyond the inversion's range: normal approximation of the Poisson count
            return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Hash.gaussian(h)));
        }
        final double u = Hash.uniform(h);
        double pk = Math.exp(-lambda);
        double cdf = pk;
        int k = 0;
        while (u > cdf && k < 200) {
            k++;
            pk *= lambda / k;
            cdf += pk;
        }
        return k;
    }

    /** dF/F for calcium level {@code c} (single-spike peak units). */
    float dff(final float c) {
        if (c <= 0) {
            return 0f;
        }
        final double cn = hillSquare ? (double) c * c : Math.pow(c, hillN);
        return (float) (dffMax * cn / (cn + hillKn));
    }

    /**
     * Advances neurons {@code [from, to)} to volume {@code v} (the state must hold volume v - 1, or zeros for v = 0).
     * State and output arrays are indexed by {@code neuron - from}.
     *
     * @param counts spike counts out, or null
     */
    void step(final int from, final int to, final long v, final float[] a, final float[] b, final float[] dffOut,
            final int[] counts) {
        final double m = drive(v);
        final float rr = rhoRise;
        for (int i = from; i < to; i++) {
            final int k = i - from;
            final int n = spikes(i, v, m);
            final float an = rhoDecay[i] * (a[k] + n);
            final float bn = rr * (b[k] + n);
            a[k] = an;
            b[k] = bn;
            dffOut[k] = dff((an - bn) * peakInv[i]);
            if (counts != null) {
                counts[k] = n;
            }
        }
    }

    double hillK() {
        return hillK;
    }

    double[] drivePeriods() {
        return drivePeriod.clone();
    }

    double[] drivePhases() {
        return drivePhase.clone();
    }

    double[] driveWeights() {
        return driveWeight.clone();
    }
}
