package org.beadstream.segmentation.footprint;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.junit.jupiter.api.Test;

class CellClassifierTest {

    @Test
    void shouldLearnToSeparateRoundActiveRoisFromRaggedSilentOnes() {
        final SplittableRandom r = new SplittableRandom(1);
        final int n = 400;
        final double[][] f = new double[n][];
        final boolean[] y = new boolean[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2 == 0;
            final RoiStats s = y[i]
                    ? new RoiStats(0, 0, 5 + r.nextGaussian() * 0.5, 1.2 + r.nextDouble() * 0.2,
                            1.05 + r.nextDouble() * 0.1, 2 + r.nextGaussian(), 8 + 3 * r.nextDouble(), 0, 80, 0.7)
                    : new RoiStats(0, 0, 3 + r.nextGaussian() * 0.5, 1.8 + r.nextDouble(),
                            1.3 + r.nextDouble() * 0.3, r.nextGaussian() * 0.5, 2 + 2 * r.nextDouble(), 0.2, 30, 0.5);
            f[i] = s.features();
        }
        final CellClassifier c = CellClassifier.train(f, y, 1e-2);
        int right = 0;
        for (int i = 0; i < n; i++) {
            if ((c.probability(f[i]) >= 0.5) == y[i]) {
                right++;
            }
        }
        assertTrue(right >= 0.95 * n, "training accuracy should be at least 95%, was " + right + " / " + n);
    }

    @Test
    void shouldCallATypicalSomaACellAndASpeckNot() {
        final CellClassifier c = CellClassifier.standard();
        final RoiStats soma = new RoiStats(10, 10, 5.2, 1.2, 1.05, 1.8, 9, 0, 85, 0.7);
        final RoiStats speck = new RoiStats(10, 10, 1.5, 3.0, 1.6, 0.1, 1.5, 0.6, 8, 0.4);
        assertTrue(c.probability(soma) > 0.8, "soma probability " + c.probability(soma));
        assertTrue(c.probability(speck) < 0.3, "speck probability " + c.probability(speck));
    }

    /** A plane the classifier was not trained on (seed 777), detected with low thresholds to make false ROIs. */
    @Test
    void shouldRaisePrecisionOfLowThresholdDetectionsWithoutLosingRecall() {
        final SyntheticParameters p = SyntheticParameters.moderate(777).withSize(128, 128, 300).withSnr(0.6)
                .withDensity(15).withSilentFraction(0.2);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final PlaneDetection d = new SparseDetector(DetectionParameters.DEFAULT.withThresholds(2.0, 4))
                .detect(plane.movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), 0);
        final FootprintsBuilder b = new FootprintsBuilder(p.width(), p.height(), 1);
        d.addTo(b);
        final Footprints fp = b.build();
        final DetectionScore all = DetectionEvaluator.score(plane.truthMasks(), DetectionEvaluator.masksOf(fp));
        final DetectionScore cells = DetectionEvaluator.score(plane.truthMasks(),
                DetectionEvaluator.masksOf(fp.select(fp.cells(0.5))));
        assertTrue(all.falsePositives() >= 5, "low thresholds should make false ROIs: " + all);
        assertTrue(cells.precision() >= all.precision() + 0.1, "precision " + all + " -> " + cells);
        assertTrue(cells.recall() >= all.recall() - 0.05, "recall " + all + " -> " + cells);
    }

    @Test
    void shouldRejectMalformedModels() {
        final double[] ok = new double[CellClassifier.FEATURES.length];
        final double[] scale = ok.clone();
        java.util.Arrays.fill(scale, 1);
        assertThrows(IllegalArgumentException.class, () -> new CellClassifier(new double[2], scale, ok, 0));
        assertThrows(IllegalArgumentException.class, () -> new CellClassifier(ok, ok, ok, 0));
        assertThrows(IllegalArgumentException.class, () -> new CellClassifier(ok, scale, ok, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> CellClassifier.train(new double[1][8], new boolean[1], 0));
    }
}
