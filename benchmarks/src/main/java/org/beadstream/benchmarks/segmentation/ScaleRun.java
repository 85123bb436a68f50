package org.beadstream.benchmarks.segmentation;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.evaluate.DetectionEvaluator;
import org.beadstream.segmentation.evaluate.DetectionScore;
import org.beadstream.segmentation.evaluate.TruthMask;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;

/**
 * Scale run: detection on a config-A volume (planes of 576 x 600 px, a 300-volume window at 9.608 Hz). Each plane's
 * window is rendered, binned as the live pipeline would (only the binned window is kept), then the whole volume is
 * segmented with {@link VolumeSegmenter}. Prints time per stage, ROIs, accuracy against the synthetic truth, the
 * footprints' size, and peak memory (Java heap peak and the process's peak resident set).
 *
 * <pre>
 * java -Xmx6g -cp benchmarks/target/benchmarks.jar org.beadstream.benchmarks.segmentation.ScaleRun \
 *      [planes=30] [frames=300] [cellsPer10k=96] [radius=3.5] [threads=2]
 * </pre>
 * Not thread-safe; a command-line program.
 */
public final class ScaleRun {

    private ScaleRun() {
    }

    /** Entry point; arguments as in the class comment. */
    public static void main(final String[] args) throws Exception {
        final int planes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        final int frames = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        final double density = args.length > 2 ? Double.parseDouble(args[2]) : 96;
        final double radius = args.length > 3 ? Double.parseDouble(args[3]) : 3.5;
        final int threads = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        final int width = 576;
        final int height = 600;
        final double rate = 9.608;
        final DetectionParameters dp = DetectionParameters.DEFAULT.withDiameter(2 * radius);
        final List<BinnedMovie> binned = new ArrayList<>();
        final List<TruthMask> truth = new ArrayList<>();
        long renderNanos = 0;
        long binNanos = 0;
        int cells = 0;
        for (int k = 0; k < planes; k++) {
            final long t0 = System.nanoTime();
            final SyntheticPlane p = SyntheticMovies.plane(new SyntheticParameters(width, height, frames, rate,
                    density, radius, 1.0, 0.5, 1.2, 0, 1000 + k));
            final long t1 = System.nanoTime();
            final int bin = dp.binFrames(frames, rate);
            final BinnedMovie b = new BinnedMovie(width, height, bin, frames / bin, rate);
            for (int t = 0; t < frames / bin * bin; t++) {
                b.addFrame(p.movie(), t * width * height);
            }
            binNanos += System.nanoTime() - t1;
            renderNanos += t1 - t0;
            binned.add(b);
            for (final TruthMask m : p.truthMasks()) {
                truth.add(new TruthMask(m.neuron() + 100_000 * k, k, m.pixels(), m.counted()));
            }
            cells += p.cells().size();
            System.out.printf(Locale.ROOT, "plane %d rendered (%d cells), %.1f s%n", k, p.cells().size(),
                    (System.nanoTime() - t0) / 1e9);
        }
        System.gc();
        final double[] zero = new double[planes];
        final VolumeSegmenter seg = new VolumeSegmenter(dp, MergeParameters.DEFAULT, NeuropilParameters.DEFAULT,
                CellClassifier.standard(), threads);
        final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        final long c0 = os.getProcessCpuTime();
        final long s0 = System.nanoTime();
        final VolumeSegmenter.Result r = seg.segment(binned, zero, zero);
        final double segSeconds = (System.nanoTime() - s0) / 1e9;
        final double segCpuSeconds = (os.getProcessCpuTime() - c0) / 1e9;
        long detectNanos = 0;
        int detected = 0;
        for (final var pd : r.planes()) {
            detectNanos += pd.nanos();
            detected += pd.rois().size();
        }
        final DetectionScore score = DetectionEvaluator.score(truth, DetectionEvaluator.masksOf(r.footprints()));
        long heapPeak = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        String hwm = "n/a";
        final Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            for (final String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM")) {
                    hwm = line.substring(6).trim();
                }
            }
        }
        final long binnedBytes = binned.stream().mapToLong(BinnedMovie::sizeInBytes).sum();
        System.out.printf(Locale.ROOT, "%nconfig A: %d planes of %d x %d, %d frames (bins of %d), %d true cells%n",
                planes, width, height, frames, binned.get(0).binFrames(), cells);
        System.out.printf(Locale.ROOT, "render (synthetic, not part of detection): %.1f s; binning: %.2f s%n",
                renderNanos / 1e9, binNanos / 1e9);
        System.out.printf(Locale.ROOT, "segmentation wall time: %.1f s on %d threads (sum of per-plane detection %.1f s,"
                + " %.2f s per plane)%n", segSeconds, threads, detectNanos / 1e9, detectNanos / 1e9 / planes);
        System.out.printf(Locale.ROOT, "segmentation CPU time (process, all threads): %.1f s = %.2f s per plane; load"
                + " average during the run %.1f on %d cores%n", segCpuSeconds, segCpuSeconds / planes,
                os.getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "ROIs: %d detected, %d after merge, %d footprint pixels, %d neuropil pixels,"
                + " footprints %.1f MB%n", detected, r.footprints().roiCount(), r.footprints().pixelCount(),
                r.footprints().neuropilPixelCount(), r.footprints().sizeInBytes() / 1e6);
        System.out.printf(Locale.ROOT, "accuracy: %s%n", score);
        System.out.printf(Locale.ROOT, "memory: binned windows %.2f GB, Java heap peak %.2f GB, process peak RSS %s%n",
                binnedBytes / 1e9, heapPeak / 1e9, hwm);
    }
}
