package org.beadstream.segmentation.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticVolume;
import org.junit.jupiter.api.Test;

class VolumeSegmenterTest {

    @Test
    void shouldTurnAVolumeWindowIntoFootprintsWithOneRoiPerSomaOnTwoThreads() {
        final double[] ox = {0, 3, 6};
        final double[] oy = {0, 1, 2};
        final SyntheticParameters p = SyntheticParameters.moderate(31).withSize(96, 96, 240).withDensity(14);
        final SyntheticVolume vol = SyntheticMovies.volume(p, 3, 15, 1, ox, oy);
        final List<BinnedMovie> planes = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            planes.add(BinnedMovie.of(vol.planes().get(k).movie(), p.frames(), p.height(), p.width(),
                    p.frameRateHz(), DetectionParameters.DEFAULT));
        }
        final VolumeSegmenter seg = new VolumeSegmenter(DetectionParameters.DEFAULT, MergeParameters.DEFAULT,
                NeuropilParameters.DEFAULT, CellClassifier.standard(), 2);
        final VolumeSegmenter.Result r = seg.segment(planes, ox, oy);
        final Footprints fp = r.footprints();
        assertEquals(3, fp.planeCount());
        assertEquals(96, fp.planeWidth());
        final int before = r.planes().stream().mapToInt(d -> d.rois().size()).sum();
        assertEquals(before, fp.roiCount() + r.merge().merges().size());
        final DetectionScore s = DetectionEvaluator.score(vol.truthMasks(), DetectionEvaluator.masksOf(fp));
        assertEquals(0, s.duplicates(), "one ROI per soma: " + s);
        assertTrue(s.f1() >= 0.85, "volume F1: " + s);
        for (int roi = 0; roi < fp.roiCount(); roi++) {
            float sum = 0;
            for (int e = fp.pixelStart(roi); e < fp.pixelEnd(roi); e++) {
                sum += fp.pixelWeight(e);
            }
            assertEquals(1, sum, 1e-4, "weights of ROI " + roi + " sum to 1");
            assertTrue(fp.neuropilCount(roi) > 100, "ROI " + roi + " has a neuropil annulus");
            assertTrue(fp.cellProbability(roi) >= 0 && fp.cellProbability(roi) <= 1);
        }
        assertTrue(fp.cells(0.5).length >= 0.8 * fp.roiCount(), "most ROIs of a clean simulation are cells");
    }

    @Test
    void shouldRefusePlanesOfDifferentSizesAndZeroThreads() {
        final BinnedMovie a = new BinnedMovie(16, 16, 1, 10, 10);
        final BinnedMovie b = new BinnedMovie(16, 12, 1, 10, 10);
        final VolumeSegmenter seg = new VolumeSegmenter(DetectionParameters.DEFAULT, MergeParameters.DEFAULT,
                NeuropilParameters.DEFAULT, CellClassifier.standard(), 1);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seg.segment(List.of(a, b), new double[2], new double[2]));
        assertEquals("plane 1 is 16 x 12, plane 0 is 16 x 16", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VolumeSegmenter(DetectionParameters.DEFAULT,
                MergeParameters.DEFAULT, NeuropilParameters.DEFAULT, CellClassifier.standard(), 0));
    }
}
