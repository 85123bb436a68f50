package org.beadstream.benchmarks.segmentation;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.beadstream.gpu.kernels.summary.DeviceSummaryImages;
import org.beadstream.gpu.kernels.summary.SummaryReference;
import org.beadstream.gpu.runtime.OpenClRuntime;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Summary images (mean, std, max, local correlation) of one plane over a window of frames: the device path
 * (summary_moments + correlation_image, one pass, uploads included) against the plain-Java reference. Time per
 * window; divide by frames for time per frame.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar SummaryImagesBenchmark</pre>
 * JMH state, one instance per trial (Scope.Benchmark, single-threaded benchmarks); not thread-safe.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class SummaryImagesBenchmark {

    /** Plane side (square planes) and frames in the window. */
    @Param({"256", "576"})
    public int side;

    /** Frames per window. */
    @Param({"64"})
    public int frames;

    private float[] movie;
    private float[] out;
    private OpenClRuntime cl;
    private DeviceSummaryImages device;

    /** Makes a noisy movie and the device buffers (once). */
    @Setup(Level.Trial)
    public void setUp() {
        final SplittableRandom r = new SplittableRandom(1);
        movie = new float[frames * side * side];
        for (int i = 0; i < movie.length; i++) {
            movie[i] = 100 + (float) r.nextGaussian() * 10;
        }
        out = new float[4 * side * side];
        cl = OpenClRuntime.create((String) null);
        device = new DeviceSummaryImages(cl, side, side, 32);
    }

    /** Releases the device. */
    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        cl.close();
    }

    /** Device: reset, stream the window in chunks of 32 frames, finish and download. */
    @Benchmark
    public float[] device() {
        device.reset();
        device.add(movie, 0, frames);
        device.finish(out);
        return out;
    }

    /** Plain-Java reference (double precision, two passes). */
    @Benchmark
    public float[] host() {
        return SummaryReference.compute(movie, frames, side, side);
    }
}
