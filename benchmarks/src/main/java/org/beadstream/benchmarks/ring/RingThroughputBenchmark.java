package org.beadstream.benchmarks.ring;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.ring.FrameConsumer;
import org.beadstream.acquisition.ring.FrameRing;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Frames through the ring beside a plain memory copy of the same bytes. One operation = one frame.
 *
 * <pre>
 *   benchmark thread --grant(256), one batch ahead--> GatedSource --read: memcpy into slot--> [producer] --publish-->
 *        ring of 64 MiB (>= 16 slots; offline policy: both consumers gate) --> [consumer a] [consumer b]
 *   benchmark thread waits until both consumers have finished the previous batch (the pipeline never drains)
 *
 *   baseline "memcpy": UnsafeBuffer.putBytes of the same page into as many rotating destinations as ring slots
 * </pre>
 *
 * The consumers touch the first and last 8 bytes of each frame and record the sequence. The producer's copy is the
 * same copy as the baseline, so the ratio memcpy / ring is the ring's efficiency (handoff, wake-ups, cache traffic).
 * Acceptance (issue 2): ring >= 50% of memcpy at 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:MaxDirectMemorySize=1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RingThroughputBenchmark {

    /** Frames per benchmark invocation. */
    public static final int BATCH = 256;
    /** Memory for the ring's slots (and the memcpy destinations): 64 MiB, at least 16 slots. */
    public static final int RING_BYTES = 64 << 20;

    /** Frame size in bytes: 64 KiB, 1 MiB, 4 MiB. */
    @Param({"65536", "1048576", "4194304"})
    public int frameBytes;

    private GatedSource source;
    private FrameRing ring;
    private TouchingConsumer a;
    private TouchingConsumer b;
    private long target;
    private UnsafeBuffer page;
    private UnsafeBuffer[] destinations;
    private int next;
    private int slots;
    private long iterationStartBytes;
    private long iterationStartFrames;

    /** Reads a little of every frame and publishes the sequence it has seen. */
    static final class TouchingConsumer implements FrameConsumer {
        final AtomicLong seen = new AtomicLong(-1);
        long sum;

        @Override
        public void onFrame(final FrameSlot slot, final long sequence, final boolean endOfBatch) {
            sum += slot.buffer().getLong(0) + slot.buffer().getLong(slot.byteLength() - 8);
            seen.lazySet(sequence);
        }
    }

    /** Builds the ring and the memcpy buffers once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        final int width = 512;
        final FrameGeometry g = new FrameGeometry(width, frameBytes / 2 / width, 4, 0);
        source = new GatedSource(g);
        a = new TouchingConsumer();
        b = new TouchingConsumer();
        slots = Math.max(16, RING_BYTES / frameBytes);
        ring = FrameRing.builder(source).ringSize(slots).processor("a", a).processor("b", b).build();
        ring.start();
        source.grant(BATCH); // one batch ahead, see ring()
        target = -1;
        page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameBytes, 64));
        destinations = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++) {
            destinations[i] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameBytes, 64));
        }
    }

    /** Stops the ring. */
    @TearDown(Level.Trial)
    public void tearDown() {
        ring.stop();
        ring.awaitCompletion(Duration.ofSeconds(30));
    }

    /** Remembers the ring threads' allocation counters at the start of an iteration. */
    @Setup(Level.Iteration)
    public void iterationStart() {
        iterationStartBytes = ringThreadAllocatedBytes();
        iterationStartFrames = target + 1;
    }

    /** Prints the bytes the ring's producer and consumer threads allocated per frame in the iteration. */
    @TearDown(Level.Iteration)
    public void iterationEnd() {
        final long frames = target + 1 - iterationStartFrames;
        if (frames > 0) {
            final long bytes = ringThreadAllocatedBytes() - iterationStartBytes;
            System.out.printf("%n[ring threads allocated %d B in %d frames = %.4f B/frame]%n", bytes, frames,
                    (double) bytes / frames);
        }
    }

    /**
     * One frame through the ring (producer copy + publish + two consumers). The source is always granted one batch
     * ahead, so the pipeline never drains between invocations: each call grants the next batch and waits for the
     * consumers to finish the previous one.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long ring() {
        source.grant(BATCH);
        target += BATCH;
        int spins = 0;
        while (a.seen.get() < target || b.seen.get() < target) {
            if (++spins > 20) {
                // The source is granted ahead, so the producer keeps working while this thread sleeps: a long
                // park costs no throughput and leaves the two cores to the ring's threads.
                LockSupport.parkNanos(20_000);
            } else {
                Thread.onSpinWait();
            }
        }
        return a.sum + b.sum;
    }

    /** The baseline: the same copy into rotating destinations, no handoff. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long memcpy() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            final UnsafeBuffer d = destinations[next];
            next = (next + 1) & (slots - 1);
            d.putBytes(0, page, 0, frameBytes);
            sum += d.getLong(0);
        }
        return sum;
    }

    static long ringThreadAllocatedBytes() {
        final java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            return 0;
        }
        final List<Long> ids = new ArrayList<>();
        for (final Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("beadstream-ring-")) {
                ids.add(t.getId());
            }
        }
        final long[] array = ids.stream().mapToLong(Long::longValue).toArray();
        long sum = 0;
        for (final long v : ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(array)) {
            sum += Math.max(0, v);
        }
        return sum;
    }
}
