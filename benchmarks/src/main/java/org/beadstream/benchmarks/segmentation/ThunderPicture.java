package org.beadstream.benchmarks.segmentation;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.beadstream.acquisition.io.Npy;
import org.beadstream.segmentation.detect.DetectedRoi;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.summary.RoiPicture;
import org.beadstream.segmentation.summary.SummaryImageCalculator;
import org.beadstream.segmentation.summary.SummaryImages;

/**
 * Detects cells in the real thunder mouse movie and writes docs pictures: the local correlation image (of the
 * temporally high-passed movie, as suite2p shows it) with the ROI contours, and the mean image with the same
 * contours.
 *
 * <pre>java -cp benchmarks.jar org.beadstream.benchmarks.segmentation.ThunderPicture \
 *      ../shared/data/movies/thunder-mouse-500x64x64.npy docs/img</pre>
 * Not thread-safe; a command-line program.
 */
public final class ThunderPicture {

    private ThunderPicture() {
    }

    /** Entry point: movie path, output folder. */
    public static void main(final String[] args) throws Exception {
        final Path movieFile = Path.of(args.length > 0 ? args[0] : "../shared/data/movies/thunder-mouse-500x64x64.npy");
        final Path outDir = Path.of(args.length > 1 ? args[1] : "docs/img");
        final short[] raw = Npy.read(movieFile).shorts();
        final int t = 500;
        final int n = 64;
        final float[] movie = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            movie[i] = raw[i];
        }
        final DetectionParameters p = DetectionParameters.DEFAULT.withDiameter(5);
        final long t0 = System.nanoTime();
        final PlaneDetection d = new SparseDetector(p).detect(movie, t, n, n, 10, 0);
        final long t1 = System.nanoTime();
        final FootprintsBuilder b = new FootprintsBuilder(n, n, 1);
        d.addTo(b);
        final Footprints fp = b.build();
        final List<int[]> rois = new ArrayList<>();
        final List<int[]> cells = new ArrayList<>();
        for (int r = 0; r < fp.roiCount(); r++) {
            rois.add(fp.roiPixels(r));
            if (fp.cellProbability(r) >= 0.5) {
                cells.add(fp.roiPixels(r));
            }
        }
        // the correlation image of the high-passed movie (a 30-frame running mean removed), as suite2p shows it
        final float[] hp = movie.clone();
        final int hw = n * n;
        final double[] col = new double[t + 1];
        for (int i = 0; i < hw; i++) {
            for (int k = 0; k < t; k++) {
                col[k + 1] = col[k] + movie[k * hw + i];
            }
            for (int k = 0; k < t; k++) {
                final int lo = Math.max(0, Math.min(t - 30, k - 15));
                hp[k * hw + i] -= (float) ((col[lo + 30] - col[lo]) / 30);
            }
        }
        final SummaryImages s = SummaryImageCalculator.onHost(5).compute(hp, t, n, n);
        final SummaryImages raw2 = SummaryImageCalculator.onHost(5).compute(movie, t, n, n);
        RoiPicture.write(outDir.resolve("thunder-mouse-correlation-rois.png"), s.correlation(), n, n, rois, 8);
        RoiPicture.write(outDir.resolve("thunder-mouse-mean-rois.png"), raw2.mean(), n, n, rois, 8);
        RoiPicture.write(outDir.resolve("thunder-mouse-correlation.png"), s.correlation(), n, n, List.of(), 8);
        System.out.printf(Locale.ROOT, "thunder mouse: %d ROIs (%d with iscell probability >= 0.5) in %.0f ms%n",
                d.rois().size(), cells.size(), (t1 - t0) / 1e6);
        double area = 0;
        for (final DetectedRoi r : d.rois()) {
            area += r.pixels().length;
        }
        System.out.printf(Locale.ROOT, "mean ROI size %.1f px; pictures in %s%n", area / d.rois().size(), outDir);
    }
}
