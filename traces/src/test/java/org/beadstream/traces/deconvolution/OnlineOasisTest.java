package org.beadstream.traces.deconvolution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.beadstream.traces.SharedData;
import org.junit.jupiter.api.Test;

class OnlineOasisTest {

    /** An AR(1) trace with Poisson spikes and Gaussian noise; returns {trace, spikes}. */
    static float[][] simulate(final int n, final double g, final double rate, final double noise, final long seed) {
        final Random rnd = new Random(seed);
        final float[] y = new float[n];
        final float[] s = new float[n];
        double c = 0;
        for (int t = 0; t < n; t++) {
            s[t] = rnd.nextDouble() < rate ? 1f : 0f;
            c = g * c + s[t];
            y[t] = (float) (c + noise * rnd.nextGaussian());
        }
        return new float[][] {y, s};
    }

    @Test
    void shouldRecoverIsolatedSpikesExactlyWithoutNoise() {
        final float[][] sim = simulate(500, 0.9, 0.03, 0.0, 1);
        final float[] est = OnlineOasis.deconvolve(sim[0], new OasisParameters(0.9, 0, 0, 0, 0));
        for (int t = 1; t < est.length; t++) {
            assertEquals(sim[1][t], est[t], 1e-4, "spike at frame " + t);
        }
    }

    @Test
    void shouldCorrelateAboveZeroPointNineWithTrueSpikesAtModerateNoise() {
        final float[][] sim = simulate(5000, 0.95, 0.02, 0.2, 2);
        final float[] est = OnlineOasis.deconvolve(sim[0],
                new OasisParameters(0.95, 0, 0.5, 0, 0));
        final double r = SharedData.pearson(bin(est, 4), bin(sim[1], 4));
        assertTrue(r > 0.9, "r = " + r);
    }

    @Test
    void shouldMatchOfflineResultWhenLagCoversTheMergeReach() {
        final int rois = 5;
        final int n = 3000;
        final OasisParameters p = new OasisParameters(0.95, 0.0, 0.3, 0, 200);
        final float[][] traces = new float[rois][];
        for (int r = 0; r < rois; r++) {
            traces[r] = simulate(n, 0.95, 0.02, 0.2, 10 + r)[0];
        }
        final OnlineOasis online = new OnlineOasis(rois, p);
        final float[][] out = new float[rois][n];
        final float[] in = new float[rois];
        final float[] spk = new float[rois];
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < rois; r++) {
                in[r] = traces[r][t];
            }
            final int k = online.push(in, spk);
            if (t < p.lag()) {
                assertEquals(-1, k);
            } else {
                assertEquals(t - p.lag(), k);
                for (int r = 0; r < rois; r++) {
                    out[r][k] = spk[r];
                }
            }
        }
        int k;
        int flushed = 0;
        while ((k = online.flush(spk)) >= 0) {
            flushed++;
            for (int r = 0; r < rois; r++) {
                out[r][k] = spk[r];
            }
        }
        assertEquals(p.lag(), flushed);
        for (int r = 0; r < rois; r++) {
            final float[] offline = OnlineOasis.deconvolve(traces[r], p);
            final double corr = SharedData.pearson(offline, out[r]);
            assertTrue(corr > 0.999, "ROI " + r + ": online vs offline r = " + corr);
        }
    }

    @Test
    void shouldRejectBadParametersWithPreciseMessages() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OasisParameters(1.2, 0, 0, 0, 10));
        assertEquals("decay g must be in (0, 1), was 1.2", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new OasisParameters(0.9, -1, 0, 0, 10));
        assertThrows(IllegalArgumentException.class, () -> new OasisParameters(0.9, 0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> OasisParameters.fromTau(0, 10));
        final OnlineOasis o = new OnlineOasis(3, OasisParameters.fromTau(1, 10));
        assertThrows(IllegalArgumentException.class, () -> o.push(new float[2], new float[3]));
    }

    @Test
    void shouldEstimateTheDecayOfAnAr1ProcessWithinTwoPercent() {
        final float[][] sim = simulate(20000, 0.95, 0.05, 0.3, 3);
        final double g = OasisParameters.estimateDecay(sim[0]);
        assertEquals(0.95, g, 0.02);
    }

    static float[] bin(final float[] x, final int k) {
        final float[] out = new float[x.length / k];
        for (int i = 0; i < out.length * k; i++) {
            out[i / k] += x[i];
        }
        return out;
    }
}
