package org.beadstream.acquisition.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteOrder;
import java.util.SplittableRandom;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.sim.LbmLayout;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScanPhaseEstimatorTest {

    /** Stated precision: within a tenth of a pixel. */
    static final double TOLERANCE_PX = 0.1;

    /**
     * A two-photon-like strip scene: somata as Gaussian blobs (sigma 1.5-3.5 px) of random brightness on a smooth
     * background, sampled analytically at (x - phase) on odd rows, with shot noise (gain 1.5 ADU/photon) and read noise
     * (10 ADU), quantised to int16.
     */
    static final class Scene {
        final double[] cx;
        final double[] cy;
        final double[] sigma;
        final double[] amp;

        Scene(final int width, final int height, final int blobs, final long seed) {
            final SplittableRandom r = new SplittableRandom(seed);
            cx = new double[blobs];
            cy = new double[blobs];
            sigma = new double[blobs];
            amp = new double[blobs];
            for (int i = 0; i < blobs; i++) {
                cx[i] = r.nextDouble(-5, width + 5);
                cy[i] = r.nextDouble(-5, height + 5);
                sigma[i] = r.nextDouble(1.5, 3.5);
                amp[i] = r.nextDouble(10, 60);
            }
        }

        double photons(final double x, final double y) {
            double v = 8 + 3 * Math.sin(x / 17.0) * Math.cos(y / 23.0);
            for (int i = 0; i < cx.length; i++) {
                final double dx = x - cx[i];
                final double dy = y - cy[i];
                final double s2 = 2 * sigma[i] * sigma[i];
                if (dx * dx + dy * dy < 25 * s2) {
                    v += amp[i] * Math.exp(-(dx * dx + dy * dy) / s2);
                }
            }
            return v;
        }

        void render(final FrameSlot slot, final int width, final int height, final double phase,
                final SplittableRandom noise) {
            slot.setShape(width, height);
            for (int y = 0; y < height; y++) {
                final double shift = (y & 1) == 1 ? phase : 0;
                for (int x = 0; x < width; x++) {
                    final double p = photons(x - shift, y);
                    final double adu = 50 + 1.5 * p + Math.sqrt(1.5 * 1.5 * p + 100) * gaussian(noise);
                    slot.buffer().putShort((y * width + x) * 2, (short) Math.round(adu), ByteOrder.LITTLE_ENDIAN);
                }
            }
        }
    }

    static double gaussian(final SplittableRandom r) {
        double u;
        double v;
        double s;
        do {
            u = r.nextDouble(-1, 1);
            v = r.nextDouble(-1, 1);
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }

    @ParameterizedTest(name = "phase {0} px")
    @ValueSource(doubles = {-4.0, -3.3, -2.5, -1.75, -0.9, -0.3, 0.0, 0.15, 0.5, 1.25, 2.05, 2.6, 3.45, 4.0})
    void shouldRecoverTheScanPhaseWithinATenthOfAPixelAtRealisticNoise(final double truth) {
        final int w = 144;
        final int h = 200;
        final AssemblyLayout layout = AssemblyLayout.uniform(1, w, h, 0, 0, 0);
        final ScanPhaseEstimator est = new ScanPhaseEstimator(layout, 5);
        final Scene scene = new Scene(w, h, 60, 42 + (long) (truth * 100));
        final SplittableRandom noise = new SplittableRandom(7);
        final FrameSlot slot = new FrameSlot(w * h * 2);
        for (int f = 0; f < 10; f++) {
            scene.render(slot, w, h, truth, noise);
            est.accumulate(slot);
        }
        assertEquals(10, est.pagesAccumulated());
        assertEquals(truth, est.estimate()[0], TOLERANCE_PX);
    }

    @ParameterizedTest(name = "simulator phase {0} px")
    @ValueSource(doubles = {-3.6, -1.2, 0.4, 2.7})
    void shouldRecoverTheSimulatorsPerStripPhaseFromItsNoisyPages(final double phase) {
        final SimulationParameters params = SimulationParameters.builder("config-b").neurons(300).volumes(12)
                .scanPhase(phase, 0.3).seed(5).build();
        final SimulatedLbmSource sim = SimulatedLbmSource.offline(params);
        final LbmLayout l = sim.simulation().layout();
        final AssemblyLayout layout = AssemblyLayout.uniform(l.strips(), l.stripWidth(), l.stripHeight(),
                l.flyToLines(), 0, 0);
        final ScanPhaseEstimator est = new ScanPhaseEstimator(layout, 5);
        final FrameSlot slot = FrameSlot.forGeometry(sim.simulation().frameGeometry());
        sim.open();
        sim.start();
        try {
            while (sim.read(slot, 0) == ReadStatus.FRAME) {
                est.accumulate(slot);
            }
        } finally {
            sim.close();
        }
        assertEquals(12 * params.planes(), est.pagesAccumulated());
        final double[] got = est.estimate();
        for (int s = 0; s < l.strips(); s++) {
            assertEquals(sim.simulation().scanPhasePx(s), got[s], TOLERANCE_PX, "strip " + s);
        }
    }

    @Test
    void shouldEstimateEachStripOfAPageSeparately() {
        final int w = 96;
        final int h = 120;
        final int fly = 6;
        final AssemblyLayout layout = AssemblyLayout.uniform(3, w, h, fly, 0, 0);
        final double[] truth = {1.3, -0.7, 2.2};
        final Scene[] scenes = {new Scene(w, h, 40, 1), new Scene(w, h, 40, 2), new Scene(w, h, 40, 3)};
        final FrameSlot strip = new FrameSlot(w * h * 2);
        final FrameSlot page = new FrameSlot(layout.pageWidth() * layout.pageHeight() * 2);
        page.setShape(layout.pageWidth(), layout.pageHeight());
        final ScanPhaseEstimator est = new ScanPhaseEstimator(layout, 4);
        final SplittableRandom noise = new SplittableRandom(3);
        for (int f = 0; f < 8; f++) {
            for (int s = 0; s < 3; s++) {
                scenes[s].render(strip, w, h, truth[s], noise);
                page.buffer().putBytes(s * (h + fly) * w * 2, strip.buffer(), 0, w * h * 2);
            }
            for (int y = h; y < h + fly; y++) {
                for (int x = 0; x < w; x++) {
                    page.setPixel(x, y, (short) 30000);
                    page.setPixel(x, y + h + fly, (short) -30000);
                }
            }
            est.accumulate(page);
        }
        final double[] got = est.estimate();
        for (int s = 0; s < 3; s++) {
            assertEquals(truth[s], got[s], TOLERANCE_PX, "strip " + s);
        }
    }

    @Test
    void shouldRefuseToEstimateBeforeAnyPageAndRejectABadSearchRange() {
        final AssemblyLayout layout = AssemblyLayout.uniform(1, 64, 32, 0, 0, 0);
        assertThrows(IllegalStateException.class, () -> new ScanPhaseEstimator(layout, 3).estimate());
        assertThrows(IllegalArgumentException.class, () -> new ScanPhaseEstimator(layout, 17));
        assertThrows(IllegalArgumentException.class, () -> new ScanPhaseEstimator(layout, 0.1));
    }
}
