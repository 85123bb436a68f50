package org.beadstream.benchmarks.motion;

import java.util.concurrent.TimeUnit;

import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionResult;
import org.beadstream.motion.MotionSettings;
import org.beadstream.motion.PhaseCorrelationCorrector;
import org.beadstream.motion.SyntheticMotionMovie;
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
 * Motion correction throughput: one invocation registers one batch of int16 frames of one plane (upload, rigid and
 * optionally piecewise-rigid phase correlation, warp, correlation with the template, download of float frames and
 * shifts) with {@link PhaseCorrelationCorrector}; the score is time per batch, so frames/s = batch / score.
 *
 * <pre>
 *   host int16 frames --upload--> taper_pack --fft_lines x2--> cross_power --fft_lines x2--> correlation_peak
 *        (blocks: taper_pack --fft_lines x2--> cross_power --fft_lines x2--> correlation_peak) --> host smoothing
 *        --> shift_warp --> frame_correlation --download--> host float frames
 * </pre>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar 'motion.MotionCorrectionBenchmark'}; add
 * {@code -p size=512 -p nonRigid=true} to pick one case, {@code -prof gc} to see allocation per batch.
 *
 * <p>Not thread-safe: JMH state, one instance per benchmark thread (JMH subclasses it, so it is not final).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xss4m", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class MotionCorrectionBenchmark {

    /** Frame side (square int16 frames). */
    @Param({"256", "512"})
    public int size;

    /** Rigid + piecewise-rigid (true) or rigid only (false). */
    @Param({"false", "true"})
    public boolean nonRigid;

    /** Frames per device launch (and per invocation). */
    @Param({"16"})
    public int batch;

    private OpenClRuntime cl;
    private PhaseCorrelationCorrector corrector;
    private short[] frames;
    private float[] out;
    private MotionResult result;

    /** Simulates two batches of frames, builds the corrector and sets the ideal template. */
    @Setup(Level.Trial)
    public void setUp() {
        final SyntheticMotionMovie movie = SyntheticMotionMovie.generate(size, size, batch, 8, nonRigid ? 1.5 : 0,
                10, 3);
        frames = movie.frames();
        out = new float[batch * size * size];
        cl = OpenClRuntime.create((String) null);
        corrector = new PhaseCorrelationCorrector(cl, MotionSettings.defaults(size, size).withNonRigid(nonRigid)
                .withMaxBatch(batch));
        corrector.setTemplate(0, movie.template());
        result = corrector.newResult(batch);
        System.out.printf("%n[motion] %s, %d x %d, %s, batch %d%n", cl.device().describe(), size, size,
                nonRigid ? "rigid + piecewise-rigid" : "rigid", batch);
    }

    /** Releases the device. */
    @TearDown(Level.Trial)
    public void tearDown() {
        corrector.close();
        cl.close();
    }

    /** Registers one batch; returns a shift so the work cannot be optimised away. */
    @Benchmark
    public float correctBatch() {
        corrector.correct(0, frames, batch, out, result);
        return result.dx(batch - 1);
    }
}
