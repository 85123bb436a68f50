package org.beadstream.traces.live;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;

/**
 * Streams each volume's traces to in-process subscribers with bounded latency and bounded memory.
 *
 * <pre>
 *   pipeline thread ── onVolume ──► [ring of N preallocated VolumeTraces] ──► subscriber thread ──► TraceConsumer
 *                          │ ring full (slow consumer)
 *                          └──► dropped++ (the pipeline never waits)
 * </pre>
 * Each {@link Subscription} is a single-producer single-consumer ring of power-of-two capacity, published with
 * ordered writes (release) of the head sequence; its consumer runs on an Agrona {@link AgentRunner} thread named
 * after the subscription, idling with a back-off strategy (spin, yield, then park up to 1 ms), so the latency from
 * publication to the consumer call is the consumer's own time plus at most about a millisecond.
 *
 * <p>{@link #onVolume} must be called from one thread (the pipeline's); {@link #subscribe} and
 * {@link Subscription#close()} are thread-safe.
 */
public final class LiveTraceStream implements TraceSink {

    private final int rois;
    private volatile Subscription[] subscriptions = new Subscription[0];
    private volatile boolean closed;

    /** A stream of volumes of {@code rois} ROIs. */
    public LiveTraceStream(final int rois) {
        if (rois < 0) {
            throw new IllegalArgumentException("ROI count must be >= 0, was " + rois);
        }
        this.rois = rois;
    }

    /**
     * Adds a subscriber with its own thread.
     *
     * @param name thread name suffix, for diagnostics
     * @param capacity ring slots (volumes buffered), a power of two &ge; 2
     * @param consumer called for each volume on the subscription's thread
     */
    public Subscription subscribe(final String name, final int capacity, final TraceConsumer consumer) {
        return subscribe(name, capacity, consumer, new BackoffIdleStrategy(100, 10, 1_000, 1_000_000));
    }

    /** As {@link #subscribe(String, int, TraceConsumer)} with a chosen idle strategy. */
    public Subscription subscribe(final String name, final int capacity, final TraceConsumer consumer,
                                  final IdleStrategy idle) {
        if (closed) {
            throw new IllegalStateException("live trace stream is closed");
        }
        final Subscription s = new Subscription(name, capacity, consumer, rois);
        synchronized (this) {
            final Subscription[] next = Arrays.copyOf(subscriptions, subscriptions.length + 1);
            next[next.length - 1] = s;
            subscriptions = next;
        }
        s.start(idle);
        return s;
    }

    /**
     * Copies the volume into every subscriber's ring, or counts a drop where the ring is full. Never blocks, allocates
     * nothing.
     */
    @Override
    public void onVolume(final VolumeTraces traces) {
        if (closed) {
            return;
        }
        for (final Subscription s : subscriptions) {
            s.offer(traces);
        }
    }

    /** Stops every subscription after it has drained what was published. */
    @Override
    public void close() {
        closed = true;
        for (final Subscription s : subscriptions) {
            s.close();
        }
    }

    /**
     * One subscriber's ring and thread. Counters are readable from any thread.
     */
    public static final class Subscription implements AutoCloseable {

        private final String name;
        private final VolumeTraces[] slots;
        private final int mask;
        private final TraceConsumer consumer;
        private final AtomicLong head = new AtomicLong();
        private final AtomicLong tail = new AtomicLong();
        private final AtomicLong dropped = new AtomicLong();
        private final AtomicLong delivered = new AtomicLong();
        private volatile Throwable failure;
        private AgentRunner runner;

        Subscription(final String name, final int capacity, final TraceConsumer consumer, final int rois) {
            if (capacity < 2 || Integer.bitCount(capacity) != 1) {
                throw new IllegalArgumentException("live ring capacity must be a power of two >= 2, was "
                        + capacity);
            }
            this.name = name;
            this.consumer = consumer;
            this.slots = new VolumeTraces[capacity];
            for (int i = 0; i < capacity; i++) {
                slots[i] = new VolumeTraces(rois);
            }
            this.mask = capacity - 1;
        }

        void start(final IdleStrategy idle) {
            runner = new AgentRunner(idle, t -> failure = t, null, new org.agrona.concurrent.Agent() {
                @Override
                public int doWork() {
                    return drain();
                }

                @Override
                public String roleName() {
                    return "beadstream-live-" + name;
                }
            });
            AgentRunner.startOnThread(runner);
        }

        void offer(final VolumeTraces traces) {
            final long h = head.get();
            if (h - tail.get() > mask) {
                dropped.incrementAndGet();
                return;
            }
            slots[(int) (h & mask)].copyFrom(traces);
            head.lazySet(h + 1);
        }

        private int drain() {
            final long h = head.get();
            long t = tail.get();
            int n = 0;
            while (t < h) {
                delivered.incrementAndGet();
                try {
                    consumer.onTraces(slots[(int) (t & mask)]);
                } finally {
                    t++;
                    tail.lazySet(t);
                }
                n++;
            }
            return n;
        }

        /** Volumes this subscriber lost because its ring was full. */
        public long dropped() {
            return dropped.get();
        }

        /** Volumes handed to the consumer (counted as the call starts). */
        public long delivered() {
            return delivered.get();
        }

        /** Volumes published and not yet consumed (the one in the consumer's hands included). */
        public long backlog() {
            return head.get() - tail.get();
        }

        /** The consumer's exception that stopped this subscription, or null while it runs. */
        public Throwable failure() {
            return failure;
        }

        /** Delivers what is buffered, then stops the thread (waits for it). */
        @Override
        public void close() {
            if (runner != null) {
                final long deadline = System.nanoTime() + 5_000_000_000L;
                while (!runner.isClosed() && backlog() > 0 && failure == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                runner.close();
            }
        }
    }
}
