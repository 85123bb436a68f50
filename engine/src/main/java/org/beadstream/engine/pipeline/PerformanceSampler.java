package org.beadstream.engine.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/**
 * Samples a {@link PipelineConsumer} once a second on a daemon thread of its own: volumes processed per second and the
 * 99th-percentile processing latency of that second, for the report's "throughput and latency over time" figure.
 * Thread-safe: start, stop and the getters may be called from any thread.
 */
public final class PerformanceSampler implements AutoCloseable {

    private final PipelineConsumer consumer;
    private final List<double[]> samples = new ArrayList<>();
    private ScheduledExecutorService timer;
    private long startNanos;
    private long lastVolumes;

    /** A sampler of {@code consumer}; call {@link #start()}. */
    public PerformanceSampler(final PipelineConsumer consumer) {
        this.consumer = consumer;
    }

    /** Starts sampling every second. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        startNanos = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "beadstream-sampler");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private synchronized void sample() {
        final long v = consumer.volumesProcessed();
        final Histogram h = consumer.latencySnapshot();
        samples.add(new double[] {(System.nanoTime() - startNanos) / 1e9, v - lastVolumes,
            h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e6});
        lastVolumes = v;
    }

    /** Stops sampling. */
    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    /** Sample times, s. */
    public synchronized double[] times() {
        return column(0);
    }

    /** Volumes processed in each second. */
    public synchronized double[] volumesPerSecond() {
        return column(1);
    }

    /** p99 latency in each second, ms (NaN when no volume finished). */
    public synchronized double[] latencyP99Millis() {
        return column(2);
    }

    private double[] column(final int c) {
        final double[] out = new double[samples.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = samples.get(i)[c];
        }
        return out;
    }
}
