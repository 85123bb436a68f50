package org.beadstream.segmentation.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.beadstream.acquisition.io.Npy;
import org.beadstream.segmentation.summary.SummaryImageCalculator;
import org.beadstream.segmentation.summary.SummaryImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real data: thunder's mouse cortex movie (500 frames of 64 x 64, int16, downsampled, not annotated). Cells are
 * small here (about 4-6 px across), so the detector runs with a 5 px diameter. What is checked: the count is
 * plausible for a 64 x 64 field of layer 2/3 cortex and stable (identical across runs, within 25% under 10%
 * parameter changes), and the ROIs sit where the local correlation image (of the temporally high-passed movie) is
 * high.
 */
class ThunderMouseDetectionTest {

    static final int T = 500;
    static final int N = 64;
    static final double RATE_HZ = 10; // not recorded with the data; only sets the bin size (tau x rate)
    private static float[] movie;

    static Path data() {
        final String prop = System.getProperty("beadstream.shared.data");
        final Path base = prop != null ? Path.of(prop) : Path.of("../shared/data");
        return base.resolve("movies/thunder-mouse-500x64x64.npy");
    }

    @BeforeAll
    static void load() {
        final Path file = data();
        assumeTrue(Files.isReadable(file), "real data not found at " + file);
        final short[] raw = Npy.read(file).shorts();
        assertEquals(T * N * N, raw.length, "thunder movie should be 500 x 64 x 64");
        movie = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            movie[i] = raw[i];
        }
    }

    static PlaneDetection detect(final double diameter, final double threshold) {
        return new SparseDetector(DetectionParameters.DEFAULT.withDiameter(diameter).withThresholds(threshold, 10))
                .detect(movie, T, N, N, RATE_HZ, 0);
    }

    @Test
    void shouldFindAPlausibleAndStableNumberOfCells() {
        final int base = detect(5, 2.5).rois().size();
        assertTrue(base >= 20 && base <= 120, "a 64 x 64 field of cortex should give 20-120 cells, got " + base);
        assertEquals(base, detect(5, 2.5).rois().size(), "the same input gives the same ROIs");
        for (final double[] change : new double[][] {{5.5, 2.5}, {4.5, 2.5}, {5, 2.75}, {5, 2.25}}) {
            final int n = detect(change[0], change[1]).rois().size();
            assertTrue(Math.abs(n - base) <= 0.25 * base, "diameter " + change[0] + ", threshold " + change[1]
                    + " gave " + n + " ROIs against " + base);
        }
    }

    @Test
    void shouldPlaceRoisWhereTheCorrelationImageIsHigh() {
        final float[] hp = movie.clone();
        SparseDetector.highPassInTime(hp, T, N * N, 30);
        final SummaryImages s = SummaryImageCalculator.onHost(5).compute(hp, T, N, N);
        final float[] sorted = s.correlation().clone();
        Arrays.sort(sorted);
        final double median = sorted[sorted.length / 2];
        int above = 0;
        final PlaneDetection d = detect(5, 2.5);
        for (final DetectedRoi r : d.rois()) {
            // the ROI's peak pixel (highest weight)
            int best = 0;
            for (int i = 1; i < r.weights().length; i++) {
                if (r.weights()[i] > r.weights()[best]) {
                    best = i;
                }
            }
            if (s.correlation()[r.pixels()[best]] > median) {
                above++;
            }
        }
        assertTrue(above >= 0.75 * d.rois().size(), "at least 75% of ROI centres should lie above the median of the"
                + " correlation image: " + above + " of " + d.rois().size());
    }

    /**
     * The pipeline's detection settings (docs/segmentation.md: 12-bin high-pass, score bar 7, active bins at 2 sigma,
     * chosen on the LBM simulator) on this real movie: still a plausible, stable count, close to the defaults'.
     */
    @Test
    void shouldStayPlausibleAndStableWithThePipelinesDetectionSettings() {
        final int defaults = detect(5, 2.5).rois().size();
        final int base = detectLikeThePipeline(5, 2.5).rois().size();
        // measured 75 against 67 with the defaults
        assertTrue(base >= 20 && base <= 120, "a 64 x 64 field of cortex should give 20-120 cells, got " + base);
        assertTrue(Math.abs(base - defaults) <= 0.2 * defaults, base + " ROIs against " + defaults + " with defaults");
        for (final double[] change : new double[][] {{5.5, 2.5}, {4.5, 2.5}, {5, 2.75}, {5, 2.25}}) {
            final int n = detectLikeThePipeline(change[0], change[1]).rois().size();
            assertTrue(Math.abs(n - base) <= 0.25 * base, "diameter " + change[0] + ", threshold " + change[1]
                    + " gave " + n + " ROIs against " + base);
        }
    }

    private static PlaneDetection detectLikeThePipeline(final double diameter, final double threshold) {
        final DetectionParameters d = DetectionParameters.DEFAULT.withDiameter(diameter).withThresholds(threshold, 7)
                .withHighPassBins(12);
        final DetectionParameters p = new DetectionParameters(d.diameterPixels(), d.binSeconds(), d.minBins(),
                d.highPassBins(), d.spatialHighPass(), d.eventThreshold(), d.minScore(), 2.0, d.weightFraction(),
                d.growthIterations(), d.maxOverlap(), d.minPixelsFraction(), d.maxPixelsFraction(),
                d.maxRoisPerPlane());
        return new SparseDetector(p).detect(movie, T, N, N, RATE_HZ, 0);
    }
}
