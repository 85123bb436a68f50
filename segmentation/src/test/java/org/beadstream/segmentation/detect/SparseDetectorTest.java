package org.beadstream.segmentation.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.beadstream.segmentation.evaluate.DetectedMask;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.junit.jupiter.api.Test;

class SparseDetectorTest {

    private static final SparseDetector DETECTOR = new SparseDetector(DetectionParameters.DEFAULT);

    @Test
    void shouldReachF1OfNinetyPercentAtModerateSnr() {
        final SyntheticParameters p = SyntheticParameters.moderate(3).withSize(128, 128, 300).withDensity(16);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final PlaneDetection d = DETECTOR.detect(plane.movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), 0);
        final DetectionScore s = DetectionEvaluator.score(plane.truthMasks(), DetectionEvaluator.masksOf(d.rois()));
        assertTrue(s.truthNeurons() >= 20, "the plane should hold at least 20 active cells, held " + s.truthNeurons());
        assertTrue(s.f1() >= 0.9, "F1 at SNR 1 should be at least 0.9: " + s);
        assertEquals(0, s.duplicates(), "no cell found twice: " + s);
    }

    /** Two touching somata (centres 1.8 radii apart) firing independently, and a dim one no brighter than neuropil. */
    @Test
    void shouldSeparateTouchingCellsAndFindADimButActiveOne() {
        final int w = 64;
        final int h = 64;
        final int t = 400;
        final double[][] cells = {{24, 30, 5, 1.0, 2.0}, {33, 30, 5, 1.0, 2.0}, {46, 46, 5, 0.6, 0.0}};
        final SplittableRandom rnd = new SplittableRandom(17);
        final float[] movie = new float[t * w * h];
        for (int i = 0; i < movie.length; i++) {
            movie[i] = 4 + (float) rnd.nextGaussian();
        }
        final List<TruthMask> truth = new ArrayList<>();
        for (int c = 0; c < cells.length; c++) {
            final double cx = cells[c][0];
            final double cy = cells[c][1];
            final double r = cells[c][2];
            final List<Integer> mask = new ArrayList<>();
            double calcium = 0;
            final float[] trace = new float[t];
            for (int k = 0; k < t; k++) {
                calcium = calcium * Math.exp(-0.1 / 1.2) + (rnd.nextDouble() < 0.05 ? 1 : 0);
                trace[k] = (float) calcium;
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    final double d = Math.hypot(x - cx, y - cy);
                    final double shape = 1 / (1 + Math.exp((d / r - 1) / 0.1));
                    if (shape < 0.02) {
                        continue;
                    }
                    if (shape >= 0.5) {
                        mask.add(y * w + x);
                    }
                    for (int k = 0; k < t; k++) {
                        movie[k * w * h + y * w + x] += (float) (shape * (cells[c][4] + cells[c][3] * trace[k]));
                    }
                }
            }
            truth.add(new TruthMask(c, 0, mask.stream().mapToInt(Integer::intValue).toArray(), true));
        }
        final PlaneDetection d = DETECTOR.detect(movie, t, h, w, 10, 0);
        final DetectionScore s = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(d.rois()));
        assertEquals(3, s.truePositives(), "both touching cells and the dim one should be found: " + s);
        assertEquals(0, s.falsePositives() + s.duplicates(), "nothing else should be found: " + s);
    }

    @Test
    void shouldFindNothingInNoiseAndNeuropilAlone() {
        final SyntheticParameters p = SyntheticParameters.moderate(5).withSize(96, 96, 300).withDensity(0);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final PlaneDetection d = DETECTOR.detect(plane.movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), 0);
        assertTrue(d.rois().size() <= 1, "pure noise and neuropil should give at most 1 ROI, gave " + d.rois().size());
    }

    @Test
    void shouldGiveTheSameRoisWhenRunTwiceAndWhenFedFrameByFrame() {
        final SyntheticParameters p = SyntheticParameters.moderate(8).withSize(64, 64, 200);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final PlaneDetection a = DETECTOR.detect(plane.movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), 2);
        final int bin = DetectionParameters.DEFAULT.binFrames(p.frames(), p.frameRateHz());
        final BinnedMovie live = new BinnedMovie(p.width(), p.height(), bin, p.frames() / bin, p.frameRateHz());
        for (int k = 0; k < p.frames() / bin * bin; k++) {
            live.addFrame(plane.movie(), k * p.width() * p.height());
        }
        final PlaneDetection b = DETECTOR.detect(live, 2);
        assertEquals(a.rois().size(), b.rois().size());
        for (int i = 0; i < a.rois().size(); i++) {
            assertEquals(2, b.rois().get(i).plane());
            assertTrue(java.util.Arrays.equals(a.rois().get(i).pixels(), b.rois().get(i).pixels()),
                    "ROI " + i + " should have the same pixels");
        }
    }

    @Test
    void shouldRefuseAWindowOfFewerThanThreeBinsWithAClearMessage() {
        final BinnedMovie m = new BinnedMovie(16, 16, 5, 4, 10);
        for (int k = 0; k < 10; k++) {
            m.addFrame(new float[256], 0);
        }
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DETECTOR.detect(m, 4));
        assertTrue(e.getMessage().contains("plane 4") && e.getMessage().contains("2 bins"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> {
            for (int k = 0; k < 11; k++) {
                m.addFrame(new float[256], 0);
            }
        });
    }

    @Test
    void shouldValidateParametersWithPreciseMessages() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DetectionParameters.DEFAULT.withDiameter(1));
        assertEquals("diameter must be in [3, 100] pixels, was 1.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DetectionParameters.DEFAULT.withThresholds(0.5, 10));
        assertThrows(IllegalArgumentException.class, () -> DetectionParameters.DEFAULT.withBinSeconds(0));
        assertEquals(6, DetectionParameters.DEFAULT.binFrames(300, 10), "300 frames keep at least 50 bins");
        assertEquals(10, DetectionParameters.DEFAULT.binFrames(3000, 10), "long windows bin by tau x rate");
        assertEquals("high-pass window must be in [3, 100000] bins, was 2", assertThrows(
                IllegalArgumentException.class, () -> DetectionParameters.DEFAULT.withHighPassBins(2)).getMessage());
        assertEquals("min bins must be in [10, 100000], was 9", assertThrows(IllegalArgumentException.class,
                () -> DetectionParameters.DEFAULT.withMinBins(9)).getMessage());
        assertEquals(12, DetectionParameters.DEFAULT.withHighPassBins(12).highPassBins());
        assertEquals(3, DetectionParameters.DEFAULT.withMinBins(100).binFrames(300, 10),
                "100 bins of a 300-frame window are 3 frames each");
    }

    static List<DetectedMask> masks(final PlaneDetection d) {
        return DetectionEvaluator.masksOf(d.rois());
    }
}
