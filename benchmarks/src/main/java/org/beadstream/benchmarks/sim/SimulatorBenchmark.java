package org.beadstream.benchmarks.sim;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.RenderOptions;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Unpaced simulator throughput on one thread (one core): one operation = one raw page rendered into a preallocated
 * slot, exactly what {@link SimulatedLbmSource#read} does for the ring's producer (scene composition with active
 * somata, motion and scan-phase resampling, noise from the table, int16 quantisation), with each preset's default
 * neuron count. Pages per second times the page size gives MB/s; config-a must exceed 288 pages/s (207 MB/s) to be
 * the live default. On a shared machine the wall-clock score depends on the load; the auxiliary counters give the
 * same work per CPU-second of the benchmark thread ({@code pages / cpuMillis * 1000}), which is what "one core"
 * must sustain.
 *
 * <pre>
 *   benchmark thread: source.read(slot) --&gt; slot (off-heap, reused)      [page]
 *   benchmark thread: simulation.renderAssembledPlane(v, c, float[])       [truthPlane, sequential volumes]
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SimulatorBenchmark {

    /** Simulator preset. */
    @Param({"small", "config-b", "config-a"})
    public String preset;

    private SimulatedLbmSource source;
    private FrameSlot slot;
    private LbmSimulation simulation;
    private float[] plane;
    private long frame;

    /** Builds the world once per trial (not measured). */
    @Setup
    public void setUp() {
        simulation = new LbmSimulation(SimulationParameters.preset(preset));
        source = new SimulatedLbmSource(simulation, false);
        source.open();
        source.start();
        slot = FrameSlot.forGeometry(source.geometry());
        plane = new float[simulation.layout().planeWidth() * simulation.layout().planeHeight()];
    }

    /** Closes the source. */
    @TearDown
    public void tearDown() {
        source.close();
    }

    /** CPU time of the benchmark thread and pages made, per iteration (auxiliary counters, not normalised). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuCounters {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        /** CPU milliseconds the benchmark thread spent in this iteration. */
        public double cpuMillis;
        /** Pages rendered in this iteration. */
        public long pages;
        private long start;

        /** Starts the iteration's CPU clock. */
        @Setup(Level.Iteration)
        public void begin() {
            cpuMillis = 0;
            pages = 0;
            start = THREADS.getCurrentThreadCpuTime();
        }

        void stop() {
            cpuMillis = (THREADS.getCurrentThreadCpuTime() - start) / 1e6;
        }
    }

    /** One raw page into the slot. */
    @Benchmark
    public long page(final CpuCounters cpu) {
        if (source.read(slot, 0) != ReadStatus.FRAME) {
            throw new IllegalStateException("the unbounded simulation ended");
        }
        cpu.pages++;
        cpu.stop();
        return slot.sourceFrameNumber();
    }

    /** One true assembled plane (motion and noise), volumes in order as a truth comparison walks them. */
    @Benchmark
    public float truthPlane() {
        final int planes = simulation.parameters().planes();
        simulation.renderAssembledPlane(frame / planes, (int) (frame % planes), plane, RenderOptions.AS_ACQUIRED);
        frame++;
        return plane[plane.length / 2];
    }
}
