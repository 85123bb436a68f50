package org.beadstream.segmentation.planes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.beadstream.segmentation.detect.DetectedRoi;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.beadstream.segmentation.synthetic.SyntheticVolume;
import org.junit.jupiter.api.Test;

class CrossPlaneMergerTest {

    @Test
    void shouldCountNoSomaTwiceAfterMergingAcrossLaterallyOffsetPlanes() {
        final double[] ox = {0, 2.5, 5, 7.5};
        final double[] oy = {0, -1.5, -3, -4.5};
        final SyntheticParameters p = SyntheticParameters.moderate(11).withSize(112, 112, 300).withDensity(12);
        final SyntheticVolume vol = SyntheticMovies.volume(p, 4, 15, 1, ox, oy);
        // somata span 2-3 planes in this volume
        int multi = 0;
        for (int id = 0; id < vol.neuronCount(); id++) {
            int seen = 0;
            for (final SyntheticPlane plane : vol.planes()) {
                final int nid = id;
                if (plane.cells().stream().anyMatch(c -> c.id() == nid && c.brightness() >= 0.3)) {
                    seen++;
                }
            }
            if (seen >= 2) {
                multi++;
            }
        }
        assertTrue(multi >= vol.neuronCount() / 3, "at least a third of the somata should span 2+ planes, " + multi
                + " of " + vol.neuronCount());
        final SparseDetector det = new SparseDetector(DetectionParameters.DEFAULT);
        final List<PlaneDetection> planes = new ArrayList<>();
        final List<DetectedRoi> all = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            planes.add(det.detect(vol.planes().get(k).movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), k));
            all.addAll(planes.get(k).rois());
        }
        final DetectionScore before = DetectionEvaluator.score(vol.truthMasks(), DetectionEvaluator.masksOf(all));
        assertTrue(before.duplicates() > 10, "without the merge somata are found in several planes: " + before);
        final MergeResult merged = new CrossPlaneMerger(MergeParameters.DEFAULT).merge(planes, ox, oy);
        final DetectionScore after = DetectionEvaluator.score(vol.truthMasks(),
                DetectionEvaluator.masksOf(merged.kept()));
        assertEquals(0, after.duplicates(), "no soma counted twice after the merge: " + after);
        assertTrue(after.f1() >= 0.85, "merging should keep one good detection per soma: " + after);
        assertEquals(all.size(), merged.kept().size() + merged.merges().size(), "every detection kept or merged");
        for (final MergeRecord m : merged.merges()) {
            final DetectedRoi kept = planes.get(m.keptPlane()).rois().get(m.keptIndex());
            final DetectedRoi gone = planes.get(m.mergedPlane()).rois().get(m.mergedIndex());
            assertTrue(kept.score() >= gone.score(), "the best-scoring plane is kept: " + m);
            assertTrue(m.reason().startsWith("same soma"), m.reason());
        }
    }

    @Test
    void shouldRequireOneOffsetPerPlaneAndPlanesInOrder() {
        final PlaneDetection p0 = new PlaneDetection(0, 8, 8, 1, 10, List.of(), new float[64], 0);
        final PlaneDetection p1 = new PlaneDetection(1, 8, 8, 1, 10, List.of(), new float[64], 0);
        final CrossPlaneMerger m = new CrossPlaneMerger(MergeParameters.DEFAULT);
        assertThrows(IllegalArgumentException.class, () -> m.merge(List.of(p0, p1), new double[1], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> m.merge(List.of(p1, p0), new double[2], new double[2]));
        assertThrows(IllegalArgumentException.class, () -> new MergeParameters(-1, 0.5, 1));
    }
}
