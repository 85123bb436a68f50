package org.beadstream.benchmarks.segmentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;

/**
 * Trains the cell classifier ({@link CellClassifier#standard()}'s coefficients come from this run): ROIs are
 * detected with deliberately low thresholds (event 2.0 sigma, score 4), so that false detections exist to learn
 * from, on plane-level synthetic movies over SNR 0.4-2 and density 8-40 (seeds 1-12) and on the acquisition
 * module's LBM simulator ("small" preset, 6 planes, 300 neurons, 300 volumes, seeds 1-4, after the cross-plane
 * merge); a ROI is labelled "cell" when it matches a true active soma at IoU at least 0.5. Tested on synthetic
 * seeds 101-106 and simulator seeds 101-102. Prints the coefficients as Java and the
 * test accuracy, and F1 before and after keeping ROIs with probability at least 0.5.
 *
 * <pre>java -cp benchmarks.jar org.beadstream.benchmarks.segmentation.ClassifierTraining</pre>
 * Not thread-safe; a command-line program.
 */
public final class ClassifierTraining {

    private ClassifierTraining() {
    }

    private record Data(List<double[]> features, List<Boolean> labels, List<Footprints> footprints,
            List<SyntheticPlane> planes) {
    }

    private static Data collect(final long firstSeed, final int count) {
        final double[] snrs = {0.4, 0.7, 1.0, 2.0};
        final double[] dens = {8, 20, 40};
        final Data d = new Data(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final SparseDetector det = new SparseDetector(DetectionParameters.DEFAULT.withThresholds(2.0, 4));
        for (int i = 0; i < count; i++) {
            final long seed = firstSeed + i;
            final SyntheticParameters p = SyntheticParameters.moderate(seed).withSize(128, 128, 300)
                    .withSnr(snrs[i % snrs.length]).withDensity(dens[i % dens.length]).withSilentFraction(0.2);
            final SyntheticPlane plane = SyntheticMovies.plane(p);
            final PlaneDetection pd = det.detect(plane.movie(), p.frames(), p.height(), p.width(), p.frameRateHz(), 0);
            final FootprintsBuilder b = new FootprintsBuilder(p.width(), p.height(), 1);
            pd.addTo(b);
            final Footprints fp = b.build();
            final DetectionScore s = DetectionEvaluator.score(plane.truthMasks(), DetectionEvaluator.masksOf(fp));
            for (int r = 0; r < fp.roiCount(); r++) {
                d.features.add(fp.stats(r).features());
                d.labels.add(s.neuronOfDetection()[r] >= 0);
            }
            d.footprints.add(fp);
            d.planes.add(plane);
        }
        return d;
    }

    /** ROIs of the acquisition module's LBM simulator ("small" preset, 300 neurons, 300 volumes, low thresholds). */
    private static void collectLbm(final long seed, final Data d, final List<Double> f1All, final List<Double> f1Cells,
            final CellClassifier model) {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").neurons(300).volumes(300)
                .seed(seed).build());
        final DetectionParameters dp = DetectionParameters.DEFAULT.withThresholds(2.0, 4);
        final List<BinnedMovie> binned = LbmTruth.binnedWindows(sim, 300, dp.binFrames(300, 10));
        final double[] ox = new double[binned.size()];
        final double[] oy = new double[binned.size()];
        for (int c = 0; c < binned.size(); c++) {
            ox[c] = sim.planeOffsetPx(c)[0];
            oy[c] = sim.planeOffsetPx(c)[1];
        }
        final Footprints fp = new VolumeSegmenter(dp, MergeParameters.DEFAULT, NeuropilParameters.DEFAULT,
                model == null ? CellClassifier.standard() : model, 2).segment(binned, ox, oy).footprints();
        final List<TruthMask> truth = LbmTruth.masks(sim, LbmTruth.spikeCounts(sim, 300));
        final DetectionScore s = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(fp));
        for (int r = 0; r < fp.roiCount(); r++) {
            d.features.add(fp.stats(r).features());
            d.labels.add(s.neuronOfDetection()[r] >= 0);
        }
        if (model != null) {
            final List<Integer> keep = new ArrayList<>();
            for (int r = 0; r < fp.roiCount(); r++) {
                if (model.probability(fp.stats(r)) >= 0.5) {
                    keep.add(r);
                }
            }
            f1All.add(s.f1());
            f1Cells.add(DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(
                    fp.select(keep.stream().mapToInt(Integer::intValue).toArray()))).f1());
        }
    }

    /** Entry point (no arguments). */
    public static void main(final String[] args) {
        final Data train = collect(1, 12);
        for (long seed = 1; seed <= 4; seed++) {
            collectLbm(seed, train, new ArrayList<>(), new ArrayList<>(), null);
        }
        final boolean[] y = new boolean[train.labels.size()];
        int pos = 0;
        for (int i = 0; i < y.length; i++) {
            y[i] = train.labels.get(i);
            pos += y[i] ? 1 : 0;
        }
        final CellClassifier c = CellClassifier.train(train.features.toArray(new double[0][]), y, 1e-2);
        System.out.printf(Locale.ROOT, "training ROIs: %d (%d cells, %d not)%n", y.length, pos, y.length - pos);
        System.out.println("features: " + Arrays.toString(CellClassifier.FEATURES));
        System.out.println("means:    " + fmt(c.means()));
        System.out.println("scales:   " + fmt(c.scales()));
        System.out.println("weights:  " + fmt(c.weights()));
        System.out.printf(Locale.ROOT, "bias:     %.3f%n", c.bias());
        final Data test = collect(101, 6);
        int right = 0;
        for (int i = 0; i < test.labels.size(); i++) {
            if ((c.probability(test.features.get(i)) >= 0.5) == test.labels.get(i)) {
                right++;
            }
        }
        System.out.printf(Locale.ROOT, "test accuracy (synthetic planes): %.3f over %d ROIs%n",
                right / (double) test.labels.size(), test.labels.size());
        final Data lbm = new Data(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        final List<Double> f1All = new ArrayList<>();
        final List<Double> f1Cells = new ArrayList<>();
        for (long seed = 101; seed <= 102; seed++) {
            collectLbm(seed, lbm, f1All, f1Cells, c);
        }
        int rightLbm = 0;
        for (int i = 0; i < lbm.labels.size(); i++) {
            if ((c.probability(lbm.features.get(i)) >= 0.5) == lbm.labels.get(i)) {
                rightLbm++;
            }
        }
        System.out.printf(Locale.ROOT, "test accuracy (LBM simulator, seeds 101-102): %.3f over %d ROIs; F1 all ROIs %s"
                + " -> iscell %s%n", rightLbm / (double) lbm.labels.size(), lbm.labels.size(), f1All, f1Cells);
        for (int k = 0; k < test.footprints.size(); k++) {
            final Footprints fp = test.footprints.get(k);
            final SyntheticPlane plane = test.planes.get(k);
            final List<Integer> keep = new ArrayList<>();
            for (int r = 0; r < fp.roiCount(); r++) {
                if (c.probability(fp.stats(r)) >= 0.5) {
                    keep.add(r);
                }
            }
            final Footprints kept = fp.select(keep.stream().mapToInt(Integer::intValue).toArray());
            System.out.printf(Locale.ROOT, "test plane %d (SNR %.1f, density %.0f): all ROIs F1 %.3f -> iscell F1 %.3f%n",
                    k, plane.parameters().snr(), plane.parameters().cellsPer10kPixels(),
                    DetectionEvaluator.score(plane.truthMasks(), DetectionEvaluator.masksOf(fp)).f1(),
                    DetectionEvaluator.score(plane.truthMasks(), DetectionEvaluator.masksOf(kept)).f1());
        }
    }

    private static String fmt(final double[] v) {
        final StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[i]));
        }
        return sb.append('}').toString();
    }
}
