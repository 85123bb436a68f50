package org.beadstream.benchmarks.traces;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.beadstream.gpu.runtime.DeviceKind;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.traces.extract.CpuTraceExtractor;
import org.beadstream.traces.extract.OpenClTraceExtractor;
import org.beadstream.traces.extract.PackedFootprints;
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
 * Trace extraction time per volume on a config-A volume (30 planes of 576 x 600 float pixels), ROIs of 97 pixels with
 * 336-pixel neuropil annuli, packed ({@link PackedFootprints}: 4 bytes per cell pixel, 4 per neuropil run).
 *
 * <pre>
 *   deviceResident : volume already on the device (motion correction's output) -> extract_traces -> F, Fneu to host
 *   fromHost       : upload the volume (41 MB), then as above
 *   cpuJava        : the plain-Java reference on the calling thread (direct neuropil; the neuropil param is
 *                    ignored)
 * </pre>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar 'traces.ExtractionBenchmark'}.
 *
 * <p>JMH benchmark state: not thread-safe, one benchmark thread.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx14g", "-Xss4m", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 3)
@State(Scope.Benchmark)
public class ExtractionBenchmark {

    /** Number of ROIs. */
    @Param({"10000", "100000", "1000000"})
    public int rois;

    /** Neuropil read pixel by pixel ("direct") or from row prefix sums ("prefix"). */
    @Param({"direct", "prefix"})
    public String neuropil;

    /** Work-items per ROI; 0 = 32 on GPUs, 1 otherwise. */
    @Param({"0"})
    public int lanes;

    static final int PLANES = 30;
    static final int HEIGHT = 576;
    static final int WIDTH = 600;

    private OpenClRuntime cl;
    private OpenClTraceExtractor device;
    private CpuTraceExtractor cpu;
    private float[] volume;
    private float[] f;
    private float[] fneu;

    /** Builds footprints, the volume and both extractors. */
    @Setup(Level.Trial)
    public void setUp() {
        final PackedFootprints fp = SyntheticRois.make(rois, PLANES, HEIGHT, WIDTH, 42);
        volume = new float[PLANES * HEIGHT * WIDTH];
        final SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < volume.length; i++) {
            volume[i] = 100f + (float) rnd.nextDouble(50);
        }
        f = new float[rois];
        fneu = new float[rois];
        cl = OpenClRuntime.create((String) null);
        final int perRoi = lanes > 0 ? lanes : cl.device().kind() == DeviceKind.GPU ? 32 : 1;
        device = new OpenClTraceExtractor(cl, cl.queue(), fp, perRoi, "prefix".equals(neuropil));
        device.volumeBuffer().upload(cl.queue(), volume);
        cpu = new CpuTraceExtractor(fp);
        System.out.printf("%n[traces] %s, %d ROIs, %d cell entries, %d neuropil runs, %.1f MB packed%n",
                cl.deviceName(), rois, fp.cellEntries(), fp.neuropilRuns(), fp.bytes() / 1e6);
    }

    /** Releases the device. */
    @TearDown(Level.Trial)
    public void tearDown() {
        device.close();
        cl.close();
    }

    /** Extraction with the volume already on the device. */
    @Benchmark
    public float deviceResident() {
        device.extract(device.volumeBuffer());
        device.download(f, fneu);
        return f[0] + fneu[rois - 1];
    }

    /** Upload plus extraction. */
    @Benchmark
    public float fromHost() {
        device.extract(volume, f, fneu);
        return f[0] + fneu[rois - 1];
    }

    /** Plain-Java reference. */
    @Benchmark
    public float cpuJava() {
        cpu.extract(volume, f, fneu);
        return f[0] + fneu[rois - 1];
    }
}
