package org.beadstream.traces.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.beadstream.segmentation.synthetic.TrueCell;
import org.beadstream.traces.SharedData;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.MaximinBaseline;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
import org.junit.jupiter.api.Test;

/**
 * Extracted dF/F against the simulator's true activity, with the true footprints: segmentation's synthetic planes
 * (moderate SNR 1, soft elliptical somata, a neuropil field with a slow shared fluctuation, Gaussian noise), 128 x 128
 * pixels, 900 frames at 10 Hz. Every active true cell is matched to its own footprint; the score is the Pearson r
 * of the streaming dF/F (neuropil r = 0.7, running baseline) with the true calcium trace.
 */
class SimulatedDffAccuracyTest {

    static final int FRAMES = 900;

    record Scene(SyntheticPlane plane, Footprints footprints, List<TrueCell> active) {
    }

    static Scene scene(final long seed) {
        final SyntheticPlane plane = SyntheticMovies.plane(SyntheticParameters.moderate(seed)
                .withSize(128, 128, FRAMES));
        final FootprintsBuilder b = new FootprintsBuilder(plane.width(), plane.height(), 1);
        final List<TrueCell> active = new ArrayList<>();
        for (final TrueCell c : plane.cells()) {
            if (c.active()) {
                b.addRoi(0, c.pixels(), c.shape());
                active.add(c);
            }
        }
        return new Scene(plane, b.neuropil(NeuropilParameters.DEFAULT).build(), active);
    }

    static double[] correlations(final Scene s, final DeltaFOverF dff, final TraceExtractor extractor) {
        final int n = s.active().size();
        final int pixels = s.plane().width() * s.plane().height();
        final float[] frame = new float[pixels];
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        final float[] out = new float[n];
        final float[][] traces = new float[n][FRAMES];
        for (int t = 0; t < FRAMES; t++) {
            System.arraycopy(s.plane().movie(), t * pixels, frame, 0, pixels);
            extractor.extract(frame, f, fneu);
            dff.process(f, fneu, null, null, out);
            for (int r = 0; r < n; r++) {
                traces[r][t] = out[r];
            }
        }
        final double[] rs = new double[n];
        for (int r = 0; r < n; r++) {
            rs[r] = SharedData.pearson(traces[r], s.active().get(r).calcium());
        }
        return rs;
    }

    @Test
    void shouldReachAMedianCorrelationOfAtLeastZeroPointNineWithTrueDffUsingAPercentileBaseline() {
        final Scene s = scene(11);
        assertTrue(s.active().size() >= 8, "too few active cells: " + s.active().size());
        final int n = s.active().size();
        final DeltaFOverF dff = new DeltaFOverF(0.7f, 1f, new SlidingPercentileBaseline(n, 300, 8, 1));
        try (CpuTraceExtractor ex = new CpuTraceExtractor(PackedFootprints.of(s.footprints()))) {
            final double[] rs = correlations(s, dff, ex);
            final double median = SharedData.median(rs);
            System.out.printf(Locale.ROOT, "percentile baseline: %d cells, median r = %.3f%n", n, median);
            assertTrue(median >= 0.9, "median r = " + median);
        }
    }

    @Test
    void shouldReachAMedianCorrelationOfAtLeastZeroPointNineWithTrueDffUsingMaximin() {
        final Scene s = scene(12);
        final int n = s.active().size();
        final DeltaFOverF dff = new DeltaFOverF(0.7f, 1f, new MaximinBaseline(n, 2, 300, 1));
        try (CpuTraceExtractor ex = new CpuTraceExtractor(PackedFootprints.of(s.footprints()))) {
            final double[] rs = correlations(s, dff, ex);
            final double median = SharedData.median(rs);
            System.out.printf(Locale.ROOT, "maximin baseline: %d cells, median r = %.3f%n", n, median);
            assertTrue(median >= 0.9, "median r = " + median);
        }
    }

    @Test
    void shouldMatchUnquantisedFootprintProductsWithinOnePartInTenThousand() {
        final Scene s = scene(13);
        final Footprints fp = s.footprints();
        final int n = fp.roiCount();
        final int pixels = s.plane().width() * s.plane().height();
        final float[] frame = java.util.Arrays.copyOfRange(s.plane().movie(), 100 * pixels, 101 * pixels);
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        new CpuTraceExtractor(PackedFootprints.of(fp)).extract(frame, f, fneu);
        for (int r = 0; r < n; r++) {
            double exact = 0;
            double mag = 0;
            for (int e = fp.pixelStart(r); e < fp.pixelEnd(r); e++) {
                exact += fp.pixelWeight(e) * frame[fp.pixelIndex(e)];
                mag += fp.pixelWeight(e) * Math.abs(frame[fp.pixelIndex(e)]);
            }
            double np = 0;
            for (int e = fp.neuropilStart(r); e < fp.neuropilEnd(r); e++) {
                np += frame[fp.neuropilIndex(e)];
            }
            np /= fp.neuropilCount(r);
            // 12-bit weights: each weight is off by at most half a step (max w / 8190)
            assertEquals(exact, f[r], 1e-4 * mag + 1e-5, "F of ROI " + r);
            assertEquals(np, fneu[r], 1e-5 * Math.abs(np) + 1e-5, "Fneu of ROI " + r);
        }
    }
}
