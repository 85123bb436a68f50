package org.beadstream.benchmarks.traces;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.beadstream.traces.TraceProcessor;
import org.beadstream.traces.deconvolution.OasisParameters;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
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
 * The per-volume trace stage after extraction, one thread: neuropil correction, dF/F0 with a 60 s running 8th
 * percentile (at 2 volumes/s, block means of 2 volumes: 60 window entries), online OASIS (tau 1.25 s, lag 20 volumes),
 * no sinks. Inputs are fresh noisy traces each volume (a few precomputed volumes cycled).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar 'traces.TraceStageBenchmark'}.
 *
 * <p>JMH benchmark state: not thread-safe, one benchmark thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@State(Scope.Benchmark)
public class TraceStageBenchmark {

    /** Number of ROIs. */
    @Param({"10000", "100000", "1000000"})
    public int rois;

    private TraceProcessor stage;
    private float[][] f;
    private float[] fneu;
    private int next;

    /** Builds the stage and inputs. */
    @Setup(Level.Trial)
    public void setUp() {
        final double rate = 2.0;
        stage = new TraceProcessor(new DeltaFOverF(0.7f, 1f, new SlidingPercentileBaseline(rois, 120, 8, 2)),
                new OnlineOasis(rois, OasisParameters.fromTau(1.25, rate).withLag(20)), rate, List.of());
        final SplittableRandom rnd = new SplittableRandom(3);
        f = new float[16][rois];
        fneu = new float[rois];
        for (final float[] v : f) {
            for (int r = 0; r < rois; r++) {
                v[r] = 100f + (float) rnd.nextDouble(20) + (rnd.nextDouble() < 0.05 ? 80f : 0f);
            }
        }
        for (int r = 0; r < rois; r++) {
            fneu[r] = 30f + (float) rnd.nextDouble(2);
        }
    }

    /** One volume through dF/F and OASIS. */
    @Benchmark
    public long volume() throws IOException {
        stage.onVolume(f[next++ & 15], fneu);
        return stage.volumesProcessed();
    }
}
