package org.beadstream.traces.dff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselineTest {

    static double percentile(final float[] window, final double p) {
        final float[] s = window.clone();
        Arrays.sort(s);
        final double pos = p / 100 * (s.length - 1);
        final int lo = (int) Math.floor(pos);
        final int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] * (1 - (pos - lo)) + s[hi] * (pos - lo);
    }

    @Test
    void shouldEqualABruteForceSlidingPercentileForEveryRoiAndFrame() {
        final int rois = 7;
        final int window = 25;
        final SlidingPercentileBaseline b = new SlidingPercentileBaseline(rois, window, 10, 1);
        final Random rnd = new Random(1);
        final float[][] x = new float[rois][300];
        final float[] in = new float[rois];
        final float[] out = new float[rois];
        for (int t = 0; t < 300; t++) {
            for (int r = 0; r < rois; r++) {
                // ties on purpose: values on a coarse grid
                x[r][t] = Math.round(rnd.nextGaussian() * 4) + r;
                in[r] = x[r][t];
            }
            b.update(in, out);
            for (int r = 0; r < rois; r++) {
                final float[] w = Arrays.copyOfRange(x[r], Math.max(0, t - window + 1), t + 1);
                assertEquals(percentile(w, 10), out[r], 1e-5, "ROI " + r + " frame " + t);
            }
        }
    }

    @Test
    void shouldUseBlockMeansWhenDownsampling() {
        final SlidingPercentileBaseline b = new SlidingPercentileBaseline(1, 6, 0, 2);
        final float[] out = new float[1];
        final float[] values = {4, 6, 1, 3, 10, 10, 8, 8, 9, 9, 9, 9};
        final float[] expected = {4, 5, 5, 2, 2, 2, 2, 2};
        // blocks: (4,6)=5, (1,3)=2, (10,10)=10, (8,8)=8; window 3 blocks, percentile 0 = min; before the first
        // block completes the baseline is the running block mean
        for (int t = 0; t < expected.length; t++) {
            b.update(new float[] {values[t]}, out);
            assertEquals(expected[t], out[0], 1e-6, "frame " + t);
        }
        // two more blocks of 9: window (8, 9, 9), the 2 has left it
        for (int t = expected.length; t < values.length; t++) {
            b.update(new float[] {values[t]}, out);
        }
        assertEquals(8f, out[0], 1e-6);
    }

    @Test
    void shouldEqualABruteForceCausalMaximinWithoutSmoothing() {
        final int window = 10;
        final MaximinBaseline b = new MaximinBaseline(2, 0, window, 1);
        final Random rnd = new Random(2);
        final float[][] x = new float[2][200];
        final float[] in = new float[2];
        final float[] out = new float[2];
        final float[][] mins = new float[2][200];
        for (int t = 0; t < 200; t++) {
            for (int r = 0; r < 2; r++) {
                x[r][t] = (float) rnd.nextGaussian();
                in[r] = x[r][t];
                float m = Float.MAX_VALUE;
                for (int k = Math.max(0, t - window + 1); k <= t; k++) {
                    m = Math.min(m, x[r][k]);
                }
                mins[r][t] = m;
            }
            b.update(in, out);
            for (int r = 0; r < 2; r++) {
                float mx = -Float.MAX_VALUE;
                for (int k = Math.max(0, t - window + 1); k <= t; k++) {
                    mx = Math.max(mx, mins[r][k]);
                }
                assertEquals(mx, out[r], 0f, "ROI " + r + " frame " + t);
            }
        }
    }

    @Test
    void shouldComputeDffFromNeuropilCorrectedTraces() {
        final DeltaFOverF d = new DeltaFOverF(0.5f, 1f, new SlidingPercentileBaseline(1, 3, 0, 1));
        final float[] fc = new float[1];
        final float[] f0 = new float[1];
        final float[] dff = new float[1];
        d.process(new float[] {110}, new float[] {20}, fc, f0, dff);
        assertEquals(100f, fc[0]);
        assertEquals(0f, dff[0]);
        d.process(new float[] {160}, new float[] {20}, fc, f0, dff);
        assertEquals(100f, f0[0]);
        assertEquals(0.5f, dff[0], 1e-6);
    }

    @Test
    void shouldRejectBadParametersWithPreciseMessages() {
        assertEquals("percentile must be in [0, 100], was 120.0", assertThrows(IllegalArgumentException.class,
                () -> new SlidingPercentileBaseline(1, 10, 120, 1)).getMessage());
        assertEquals("downsample must be in [1, window = 10], was 11", assertThrows(IllegalArgumentException.class,
                () -> new MaximinBaseline(1, 1, 10, 11)).getMessage());
        assertEquals("neuropil coefficient r must be in [0, 2], was -0.1", assertThrows(
                IllegalArgumentException.class,
                () -> new DeltaFOverF(-0.1f, 1f, new MaximinBaseline(1, 1, 10, 1))).getMessage());
    }
}
