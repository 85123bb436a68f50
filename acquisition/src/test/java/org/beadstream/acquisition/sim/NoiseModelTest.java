package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.beadstream.acquisition.frame.FrameSlot;
import org.junit.jupiter.api.Test;

/** The noise has the documented statistics: shot noise variance gain x signal plus read noise, zero mean. */
class NoiseModelTest {

    @Test
    void shouldFillTheNoiseTableWithStandardNormalSamples() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").neurons(0).build());
        final float[] t = sim.noiseTable;
        assertEquals(1 << 22, t.length);
        double s = 0;
        double s2 = 0;
        double s4 = 0;
        for (final float z : t) {
            s += z;
            s2 += z * z;
            s4 += (double) z * z * z * z;
        }
        final double n = t.length;
        // standard errors at n = 4.2e6: mean 0.0005, variance 0.0007, fourth moment 0.005
        assertEquals(0, s / n, 0.003, "mean");
        assertEquals(1, s2 / n, 0.005, "variance");
        assertEquals(3, s4 / n, 0.03, "fourth moment (Gaussian kurtosis)");
    }

    @Test
    void shouldAddShotAndReadNoiseWithTheDocumentedVariance() {
        final SimulationParameters noisy = SimulationParameters.builder("small").seed(4).build();
        final SimulationParameters clean = noisy.toBuilder().noise(false).build();
        final int frames = 12;
        final int bins = 40;
        final double binAdu = 20;
        final double[] n = new double[bins];
        final double[] sum = new double[bins];
        final double[] sum2 = new double[bins];
        double flyN = 0;
        double flySum2 = 0;
        try (SimulatedLbmSource a = SimulatedLbmSource.offline(noisy);
                SimulatedLbmSource b = SimulatedLbmSource.offline(clean)) {
            a.open();
            b.open();
            a.start();
            b.start();
            final FrameSlot sa = FrameSlot.forGeometry(a.geometry());
            final FrameSlot sb = FrameSlot.forGeometry(b.geometry());
            final LbmLayout lay = a.simulation().layout();
            for (int k = 0; k < frames; k++) {
                a.read(sa, 0);
                b.read(sb, 0);
                for (int y = 0; y < lay.pageHeight(); y++) {
                    for (int x = 0; x < lay.pageWidth(); x++) {
                        final double r = sa.pixel(x, y) - sb.pixel(x, y);
                        if (lay.stripOfLine(y) < 0) {
                            flyN++;
                            flySum2 += r * r;
                            continue;
                        }
                        final double signal = sb.pixel(x, y) - noisy.offsetAdu();
                        final int bin = (int) (signal / binAdu);
                        if (bin >= 0 && bin < bins) {
                            n[bin]++;
                            sum[bin] += r;
                            sum2[bin] += r * r;
                        }
                    }
                }
            }
        }
        int checked = 0;
        for (int bin = 0; bin < bins; bin++) {
            if (n[bin] < 2000) {
                continue;
            }
            final double mean = sum[bin] / n[bin];
            final double var = sum2[bin] / n[bin] - mean * mean;
            final double x = (bin + 0.5) * binAdu;
            // gain x + read^2, plus the binning spread of x (bin width 20 ADU) and two roundings (1/6 ADU^2)
            final double expected = noisy.gainAduPerPhoton() * x + noisy.readNoiseAdu() * noisy.readNoiseAdu();
            final double sd = Math.sqrt(expected);
            assertEquals(0, mean, 4 * sd / Math.sqrt(n[bin]) + 0.5, "mean residual at " + x + " ADU");
            // sample variance of >= 2000 Gaussian samples: relative standard error <= 3.2 %; the bin's width adds
            // up to 1.2 %: 12 % is over 3 standard errors
            assertEquals(expected, var, 0.12 * expected, "variance at " + x + " ADU above the offset");
            checked++;
        }
        assertTrue(checked >= 5, "only " + checked + " signal levels had enough pixels");
        final double read2 = noisy.readNoiseAdu() * noisy.readNoiseAdu();
        assertEquals(read2, flySum2 / flyN, 0.1 * read2, "fly-to lines carry read noise only");
    }
}
