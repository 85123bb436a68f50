package org.beadstream.benchmarks.segmentation;

import java.util.concurrent.TimeUnit;

import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.SparseDetector;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Detection of one simulated plane (binned window already made, 300 frames at 10 Hz in bins of 6) and building its
 * footprints (neuropil, statistics, classifier), over plane size at a density of 20 cells per 10k pixels.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar DetectionBenchmark</pre>
 * JMH state, one instance per trial (Scope.Benchmark, single-threaded benchmarks); not thread-safe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class DetectionBenchmark {

    /** Plane side (square planes). */
    @Param({"128", "256"})
    public int side;

    private BinnedMovie binned;
    private PlaneDetection detection;
    private final SparseDetector detector = new SparseDetector(DetectionParameters.DEFAULT);

    /** Simulates and bins the plane once. */
    @Setup(Level.Trial)
    public void setUp() {
        final SyntheticParameters p = SyntheticParameters.moderate(1).withSize(side, side, 300).withDensity(20);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final int bin = DetectionParameters.DEFAULT.binFrames(300, 10);
        binned = new BinnedMovie(side, side, bin, 300 / bin, 10);
        for (int t = 0; t < 300 / bin * bin; t++) {
            binned.addFrame(plane.movie(), t * side * side);
        }
        detection = detector.detect(binned, 0);
    }

    /** Detection alone. */
    @Benchmark
    public PlaneDetection detect() {
        return detector.detect(binned, 0);
    }

    /** Footprints from a detection: sorting, neuropil annuli, statistics, classifier. */
    @Benchmark
    public Footprints footprints() {
        final FootprintsBuilder b = new FootprintsBuilder(side, side, 1);
        detection.addTo(b);
        return b.build();
    }
}
