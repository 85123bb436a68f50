package org.beadstream.benchmarks.segmentation;

import java.util.Locale;

import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;

/**
 * Prints the detection accuracy table of docs/segmentation.md: precision / recall / F1 (IoU at least 0.5) of the
 * default detector over SNR x density on 256 x 256 simulated planes (300 frames at 10 Hz, somata of radius 5, 20%
 * silent), three seeds per cell, all ROIs and ROIs with iscell probability at least 0.5.
 *
 * <pre>java -cp benchmarks.jar org.beadstream.benchmarks.segmentation.AccuracyTable</pre>
 * Not thread-safe; a command-line program.
 */
public final class AccuracyTable {

    private AccuracyTable() {
    }

    /** Entry point (no arguments). */
    public static void main(final String[] args) {
        final double[] snrs = {0.3, 0.5, 0.7, 1.0, 2.0};
        final double[] densities = {10, 20, 40};
        final SparseDetector det = new SparseDetector(DetectionParameters.DEFAULT);
        System.out.println("| SNR | cells / 10k px | true active cells | precision | recall | F1 | F1 (iscell) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (final double snr : snrs) {
            for (final double dens : densities) {
                int truth = 0;
                int tp = 0;
                int det0 = 0;
                int tpCells = 0;
                int detCells = 0;
                for (long seed = 1; seed <= 3; seed++) {
                    final SyntheticParameters p = SyntheticParameters.moderate(seed * 1000 + (long) (snr * 10))
                            .withSize(256, 256, 300).withSnr(snr).withDensity(dens).withSilentFraction(0.2);
                    final SyntheticPlane plane = SyntheticMovies.plane(p);
                    final PlaneDetection d = det.detect(plane.movie(), 300, 256, 256, 10, 0);
                    final FootprintsBuilder b = new FootprintsBuilder(256, 256, 1);
                    d.addTo(b);
                    final Footprints fp = b.build();
                    final DetectionScore s = DetectionEvaluator.score(plane.truthMasks(),
                            DetectionEvaluator.masksOf(fp));
                    final DetectionScore c = DetectionEvaluator.score(plane.truthMasks(),
                            DetectionEvaluator.masksOf(fp.select(fp.cells(0.5))));
                    truth += s.truthNeurons();
                    tp += s.truePositives();
                    det0 += s.truePositives() + s.falsePositives() + s.duplicates();
                    tpCells += c.truePositives();
                    detCells += c.truePositives() + c.falsePositives() + c.duplicates();
                }
                final double pr = tp / (double) Math.max(1, det0);
                final double rc = tp / (double) Math.max(1, truth);
                final double f1 = pr + rc == 0 ? 0 : 2 * pr * rc / (pr + rc);
                final double pr2 = tpCells / (double) Math.max(1, detCells);
                final double rc2 = tpCells / (double) Math.max(1, truth);
                final double f12 = pr2 + rc2 == 0 ? 0 : 2 * pr2 * rc2 / (pr2 + rc2);
                System.out.printf(Locale.ROOT, "| %.1f | %.0f | %d | %.3f | %.3f | %.3f | %.3f |%n", snr, dens, truth,
                        pr, rc, f1, f12);
            }
        }
    }
}
