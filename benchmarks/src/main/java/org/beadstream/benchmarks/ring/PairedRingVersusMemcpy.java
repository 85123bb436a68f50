package org.beadstream.benchmarks.ring;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.ring.FrameRing;

/**
 * A companion to {@link RingThroughputBenchmark} for shared, noisy machines: it alternates short rounds of the ring
 * and of the plain memcpy in one JVM, so both see the same background load, and reports the median of the per-pair
 * throughput ratios (ring / memcpy) per frame size. Same topology as the JMH benchmark (GatedSource, 64 MiB ring of
 * at least 16 slots, offline policy, two touching consumers); each ring round is drained before its memcpy round.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.beadstream.benchmarks.ring.PairedRingVersusMemcpy [pairs] [sizes...]}
 * (default 15 pairs; 65536 1048576 4194304). Not thread-safe; a command-line tool.
 */
public final class PairedRingVersusMemcpy {

    private static final int BATCH = 256;

    private PairedRingVersusMemcpy() {
    }

    /** Runs the pairs and prints one line per frame size. */
    public static void main(final String[] args) {
        final int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        final int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {65536, 1048576, 4194304};
        for (final int bytes : sizes) {
            run(bytes, pairs);
        }
    }

    private static void run(final int frameBytes, final int pairs) {
        final int slots = Math.max(16, (64 << 20) / frameBytes);
        final FrameGeometry g = new FrameGeometry(512, frameBytes / 2 / 512, 4, 0);
        final GatedSource source = new GatedSource(g);
        final RingThroughputBenchmark.TouchingConsumer a = new RingThroughputBenchmark.TouchingConsumer();
        final RingThroughputBenchmark.TouchingConsumer b = new RingThroughputBenchmark.TouchingConsumer();
        final FrameRing ring = FrameRing.builder(source).ringSize(slots).processor("a", a).processor("b", b).build();
        ring.start();
        final UnsafeBuffer page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameBytes, 64));
        final UnsafeBuffer[] dst = new UnsafeBuffer[slots];
        for (int i = 0; i < slots; i++) {
            dst[i] = new UnsafeBuffer(BufferUtil.allocateDirectAligned(frameBytes, 64));
        }
        final long roundBytes = 256L << 20; // ~256 MiB per round
        final int batchesPerRound = (int) Math.max(1, roundBytes / ((long) frameBytes * BATCH));
        final double[] ringNs = new double[pairs];
        final double[] copyNs = new double[pairs];
        final double[] ratio = new double[pairs];
        long target = -1;
        int next = 0;
        long sink = 0;
        for (int p = -3; p < pairs; p++) { // 3 warm-up pairs
            long t0 = System.nanoTime();
            // The whole round is granted at once and drained before the memcpy round starts: no overlap.
            source.grant((long) batchesPerRound * BATCH);
            target += (long) batchesPerRound * BATCH;
            waitFor(a.seen, b.seen, target);
            final double ringPerFrame = (System.nanoTime() - t0) / (double) (batchesPerRound * BATCH);
            t0 = System.nanoTime();
            for (int r = 0; r < batchesPerRound * BATCH; r++) {
                final UnsafeBuffer d = dst[next];
                next = (next + 1) & (slots - 1);
                d.putBytes(0, page, 0, frameBytes);
                sink += d.getLong(0);
            }
            final double copyPerFrame = (System.nanoTime() - t0) / (double) (batchesPerRound * BATCH);
            if (p >= 0) {
                ringNs[p] = ringPerFrame;
                copyNs[p] = copyPerFrame;
                ratio[p] = copyPerFrame / ringPerFrame;
            }
        }
        ring.stop();
        ring.awaitCompletion(Duration.ofSeconds(30));
        System.out.printf(Locale.ROOT, "frame %8d B  ring median %9.2f us/frame (%6.2f GB/s)  memcpy median %9.2f us/frame"
                + " (%6.2f GB/s)  ring/memcpy throughput: median of %d paired ratios %.2f (min %.2f, max %.2f)%s%n",
                frameBytes, median(ringNs) / 1e3, frameBytes / median(ringNs), median(copyNs) / 1e3,
                frameBytes / median(copyNs), pairs, median(ratio), Arrays.stream(ratio).min().orElse(0),
                Arrays.stream(ratio).max().orElse(0), sink == 42 ? " " : "");
    }

    private static void waitFor(final AtomicLong x, final AtomicLong y, final long target) {
        int spins = 0;
        while (x.get() < target || y.get() < target) {
            if (++spins > 20) {
                // The source is granted ahead, so the producer keeps working while this thread sleeps: a long
                // park costs no throughput and leaves the two cores to the ring's threads.
                LockSupport.parkNanos(20_000);
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private static double median(final double[] v) {
        final double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

}
