package org.beadstream.acquisition.ring;

import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.Sequencer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersReader;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * Moves frames from one {@link FrameSource} to a set of {@link FrameConsumer}s through an LMAX Disruptor ring of
 * preallocated {@link FrameSlot}s, with one producer thread and one named thread per consumer.
 *
 * <pre>
 *                      +------------------- ring of 2^n FrameSlots (made once) -------------------+
 *   FrameSource --read--> [producer] --publish--> | s0 | s1 | s2 | ... | s(2^n - 1) |              |
 *   (camera, files,       claims a slot,          +----------------------------------------------+
 *    simulator)           source fills it            |                  |                |
 *                                                     v                  v                v
 *                                              [recorder thread]  [processor A]    [processor B]
 *                                              RawRecorder        VolumeAssembler  live display
 *
 *   gating (who must release a slot before the producer may reuse it):
 *     LIVE:     the recorder only; processors that fall behind skip whole volumes (counted)
 *     OFFLINE:  every consumer (back-pressure; nothing skipped)
 * </pre>
 *
 * <h2>Live policy</h2>
 * The producer never waits for processing: it claims slots with {@code tryNext()}. A processing consumer that is more
 * than {@code lagThreshold} frames behind when it reaches the start of a volume jumps to the newest volume start and
 * counts the volumes it skipped ({@code volumes_skipped}); after each frame it checks (seqlock style) that the producer
 * cannot have reused the slots it holds, and if it may have, that volume counts as skipped too. The recorder gates
 * slot reuse, so it never misses a frame; if the ring is full in front of it, the next frame from the source is read
 * into a spare slot and, unless a slot has been released meanwhile, dropped ({@code frames_dropped}); the run then
 * fails with an error that says how far behind the recorder is. An unrecorded slot is never overwritten.
 *
 * <h2>Offline policy</h2>
 * Every consumer gates; the producer waits (back-pressure) and nothing is skipped.
 *
 * <h2>Stopping</h2>
 * {@link #stop()} stops the source and reads it until it reports the end (a camera hands over its buffered images);
 * the end of the stream ends the run the same way; a failure stops the producer at once. Every consumer then drains
 * what was published and gets {@link FrameConsumer#onEnd()}. {@link #awaitCompletion()} returns the final counters or
 * throws a {@link FrameRingException} naming every failure.
 *
 * <h2>Lifecycle and threads</h2>
 * The source must be {@link FrameSource#open() open} before {@link #builder}; the ring calls
 * {@link FrameSource#start()} (on the producer thread) and {@link FrameSource#stop()}; the caller closes the source.
 * The producer starts the source only after every consumer has returned from {@link FrameConsumer#onStart}.
 * {@link #start()}, {@link #stop()}, {@link #snapshot()} and {@link #awaitCompletion()} are thread-safe. Worker
 * threads are daemon threads named {@code beadstream-ring-producer} and {@code beadstream-ring-<consumer>}.
 */
public final class FrameRing implements AutoCloseable {

    /** Default lag, in frames, beyond which a live processor skips: half the ring. */
    public static final double DEFAULT_LAG_FRACTION = 0.5;

    /** Default memory cap for a ring sized in seconds: 2 GiB. */
    public static final long DEFAULT_MAX_RING_BYTES = 2L << 30;

    private static final long NOT_ENDED = Long.MIN_VALUE;
    private static final int NEW = 0;
    private static final int RUNNING = 1;

    private final FrameSource source;
    private final FrameGeometry geometry;
    private final RingPolicy policy;
    private final int ringSize;
    private final int lagThreshold;
    private final int maxBatch;
    private final long readTimeoutNanos;
    private final RingErrorHandler errorHandler;
    private final RingBuffer<FrameSlot> ringBuffer;
    private final RingCounters counters;
    private final List<ConsumerWorker> workers;
    private final ConsumerWorker recorder;
    private final FrameSlot spare;
    private final Thread producerThread;
    private final List<RingFailure> failures = new CopyOnWriteArrayList<>();
    private final Object lifecycleLock = new Object();
    private final AtomicInteger liveWorkers = new AtomicInteger();
    private final CountDownLatch consumersReady;

    private int state = NEW;
    private boolean sourceStarted;
    private boolean sourceStopped;
    private volatile boolean stopRequested;
    private volatile boolean halted;
    private volatile boolean runFailed;
    private volatile long endSequence = NOT_ENDED;
    private volatile long startNanos;
    private volatile long endNanos;

    private FrameRing(final Builder b) {
        this.source = b.source;
        this.geometry = b.geometry;
        this.policy = b.policy;
        this.ringSize = b.ringSize;
        this.lagThreshold = b.lagThreshold;
        this.maxBatch = Math.max(1, ringSize / 4);
        this.readTimeoutNanos = b.readTimeout.toNanos();
        this.errorHandler = b.errorHandler;
        this.counters = new RingCounters(b.consumers.size());
        final FrameGeometry g = geometry;
        this.ringBuffer = RingBuffer.createSingleProducer(() -> FrameSlot.forGeometry(g), ringSize, b.waitStrategy);
        final List<ConsumerWorker> list = new ArrayList<>();
        ConsumerWorker rec = null;
        for (final Registration r : b.consumers) {
            final boolean skipping = policy == RingPolicy.LIVE && r.role == ConsumerRole.PROCESSOR;
            final ConsumerWorker w = new ConsumerWorker(r.name, r.role, r.consumer, skipping);
            list.add(w);
            if (r.role == ConsumerRole.RECORDER) {
                rec = w;
            }
            if (policy == RingPolicy.OFFLINE || r.role == ConsumerRole.RECORDER) {
                ringBuffer.addGatingSequences(w.sequence);
            }
        }
        this.workers = List.copyOf(list);
        this.recorder = rec;
        this.spare = policy == RingPolicy.LIVE ? FrameSlot.forGeometry(geometry) : null;
        this.consumersReady = new CountDownLatch(workers.size());
        this.producerThread = new Thread(this::produce, "beadstream-ring-producer");
        this.producerThread.setDaemon(true);
    }

    /**
     * Starts building a ring for {@code source}, which must already be open (its geometry sizes the slots).
     *
     * @throws IllegalStateException if the source is not open
     */
    public static Builder builder(final FrameSource source) {
        return new Builder(source);
    }

    /**
     * Starts the consumer threads and the producer (which starts the source).
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        synchronized (lifecycleLock) {
            if (state != NEW) {
                throw new IllegalStateException("ring for " + source.name() + " was already started");
            }
            state = RUNNING;
        }
        liveWorkers.set(workers.size() + 1);
        startNanos = System.nanoTime();
        for (final ConsumerWorker w : workers) {
            w.thread.start();
        }
        producerThread.start();
    }

    /**
     * Requests a clean stop: the source is stopped and read until it reports the end (a camera first hands over the
     * images already in its buffer), then every consumer drains what was published. Returns at once; use
     * {@link #awaitCompletion()} to wait. Idempotent.
     */
    public void stop() {
        stopRequested = true;
        stopSourceOnce();
    }

    /**
     * Waits until every worker has finished.
     *
     * @return the final counters
     * @throws FrameRingException if a failure stopped the run (frames dropped, source error, consumer error)
     */
    public RingSnapshot awaitCompletion() {
        return awaitCompletion(null);
    }

    /**
     * Waits at most {@code timeout} until every worker has finished.
     *
     * @return the final counters
     * @throws FrameRingException if a failure stopped the run, or if the workers did not finish in time (naming them)
     */
    public RingSnapshot awaitCompletion(final Duration timeout) {
        synchronized (lifecycleLock) {
            if (state == NEW) {
                throw new IllegalStateException("ring for " + source.name() + " was never started");
            }
        }
        final long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        final List<Thread> threads = new ArrayList<>();
        threads.add(producerThread);
        for (final ConsumerWorker w : workers) {
            threads.add(w.thread);
        }
        try {
            for (final Thread t : threads) {
                while (t.isAlive()) {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new FrameRingException("ring for " + source.name() + " did not finish within " + timeout
                                + "; still running: " + aliveThreadNames(threads), failures);
                    }
                    TimeUnit.NANOSECONDS.timedJoin(t, Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
                }
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FrameRingException("interrupted while waiting for the ring of " + source.name(), failures);
        }
        final RingSnapshot last = snapshot();
        if (runFailed) {
            final StringBuilder sb = new StringBuilder("ring for ").append(source.name()).append(" failed");
            for (final RingFailure f : failures) {
                sb.append("\n  - ").append(f.describe());
            }
            sb.append("\n  (frames produced ").append(last.framesProduced()).append(", recorded ")
                    .append(last.framesRecorded()).append(", dropped ").append(last.framesDropped()).append(')');
            throw new FrameRingException(sb.toString(), failures);
        }
        return last;
    }

    /** True once started and until every worker has finished. */
    public boolean isRunning() {
        return startNanos != 0 && liveWorkers.get() > 0;
    }

    /** The counters now; safe to call from any thread at any time (allocates; not for the frame path). */
    public RingSnapshot snapshot() {
        final long cursor = ringBuffer.getCursor();
        final List<ConsumerSnapshot> list = new ArrayList<>(workers.size());
        for (final ConsumerWorker w : workers) {
            list.add(new ConsumerSnapshot(w.name, w.role, w.frames.get(), w.bytes.get(), w.volumesSkipped.get(),
                    w.framesSkipped.get(), w.overwrites.get(), Math.max(0, cursor - w.sequence.get()), w.state));
        }
        final long started = startNanos;
        final long ended = endNanos;
        final long elapsed = started == 0 ? 0 : (ended != 0 ? ended : System.nanoTime()) - started;
        final List<String> lines = new ArrayList<>(failures.size());
        for (final RingFailure f : failures) {
            lines.add(f.describe());
        }
        final long fill = Math.max(0, cursor - ringBuffer.getMinimumGatingSequence());
        return new RingSnapshot(policy, ringSize, elapsed, counters.framesProduced.get(),
                counters.bytesProduced.get(), recorder == null ? 0 : recorder.frames.get(),
                recorder == null ? 0 : recorder.bytes.get(), counters.framesDropped.get(),
                source.framesLostAtSource(), fill, list, isRunning(), lines);
    }

    /** Every failure so far (also detached consumers'), in order. */
    public List<RingFailure> failures() {
        return List.copyOf(failures);
    }

    /** The raw Agrona counters (labels such as {@code frames_produced}, {@code <consumer>.volumes_skipped}). */
    public CountersReader counters() {
        return counters.reader();
    }

    /** The ring's policy. */
    public RingPolicy policy() {
        return policy;
    }

    /** Slots in the ring (a power of two). */
    public int ringSize() {
        return ringSize;
    }

    /** Frames a live processor may lag at a volume start before it skips. */
    public int lagThreshold() {
        return lagThreshold;
    }

    /** The geometry of every slot. */
    public FrameGeometry geometry() {
        return geometry;
    }

    /** Stops the ring and waits up to 30 s for its threads; failures are not rethrown (see {@link #failures()}). */
    @Override
    public void close() {
        synchronized (lifecycleLock) {
            if (state == NEW) {
                return;
            }
        }
        stop();
        try {
            awaitCompletion(Duration.ofSeconds(30));
        } catch (final FrameRingException e) {
            // Already recorded in failures(); close() must not throw for a run the caller has already judged.
        }
    }

    // ------------------------------------------------------------------------------------------------ producer

    private void produce() {
        long claimed = -1;
        try {
            // The source starts only when every consumer is ready (the recorder has its file open).
            consumersReady.await();
            synchronized (lifecycleLock) {
                if (!stopRequested && !halted) {
                    source.start();
                    sourceStarted = true;
                }
            }
            final RingBuffer<FrameSlot> rb = ringBuffer;
            final boolean live = policy == RingPolicy.LIVE;
            final long timeout = readTimeoutNanos;
            final AtomicCounter produced = counters.framesProduced;
            final AtomicCounter bytes = counters.bytesProduced;
            final IdleStrategy idle = new BackoffIdleStrategy(100, 10, 1_000, 100_000);
            // A requested stop stops the source and reads on until it ends (a camera drains its buffer); a failure
            // (halted) ends at once.
            while (!halted) {
                long seq;
                if (live) {
                    try {
                        seq = rb.tryNext();
                    } catch (final InsufficientCapacityException e) {
                        if (ringFullInFrontOfRecorder()) {
                            break;
                        }
                        continue;
                    }
                } else {
                    seq = -1;
                    idle.reset();
                    while (!halted) {
                        try {
                            seq = rb.tryNext();
                            break;
                        } catch (final InsufficientCapacityException e) {
                            idle.idle();
                        }
                    }
                    if (seq < 0) {
                        break;
                    }
                }
                claimed = seq;
                final FrameSlot slot = rb.get(seq);
                ReadStatus status = source.read(slot, timeout);
                while (status == ReadStatus.TIMEOUT && !stopRequested && !halted) {
                    status = source.read(slot, timeout);
                }
                if (status != ReadStatus.FRAME) {
                    break;
                }
                slot.setSequence(seq);
                produced.incrementOrdered();
                bytes.getAndAddOrdered(slot.byteLength());
                rb.publish(seq);
                claimed = -1;
            }
        } catch (final Throwable t) {
            fail(new RingFailure("producer", null, claimed, -1, -1, t), null);
        } finally {
            stopSourceOnce();
            endSequence = ringBuffer.getCursor();
            for (final ConsumerWorker w : workers) {
                w.barrier.alert();
            }
            workerFinished();
        }
    }

    private void workerFinished() {
        if (liveWorkers.decrementAndGet() == 0) {
            endNanos = System.nanoTime();
        }
    }

    /**
     * Live policy, ring full: read the next frame into the spare slot; if a slot has been released meanwhile, copy it
     * there and publish it, otherwise drop it and fail. Returns true when the run must end.
     */
    private boolean ringFullInFrontOfRecorder() {
        final ReadStatus status = source.read(spare, readTimeoutNanos);
        if (status == ReadStatus.TIMEOUT) {
            return stopRequested || halted;
        }
        if (status == ReadStatus.END_OF_STREAM) {
            return true;
        }
        try {
            final long seq = ringBuffer.tryNext();
            final FrameSlot slot = ringBuffer.get(seq);
            slot.copyFrom(spare);
            slot.setSequence(seq);
            counters.framesProduced.incrementOrdered();
            counters.bytesProduced.getAndAddOrdered(slot.byteLength());
            ringBuffer.publish(seq);
            return false;
        } catch (final InsufficientCapacityException e) {
            // still full with a frame in hand: it is lost
        }
        counters.framesDropped.incrementOrdered();
        final long cursor = ringBuffer.getCursor();
        final long recorded = recorder.sequence.get();
        final long behind = cursor - recorded;
        final double seconds = geometry.frameRateHz() > 0 ? behind / geometry.frameRateHz() : Double.NaN;
        final String message = String.format(java.util.Locale.ROOT,
                "ring full under the live policy: recorder '%s' is %d frames behind the source%s "
                        + "(producer at sequence %d, recorder at %d, ring of %d slots); frame of volume %d, plane %d "
                        + "(source frame %d) dropped. The recorder cannot keep up with %s: record to a faster disk "
                        + "or enlarge the ring",
                recorder.name, behind, Double.isNaN(seconds) ? "" : String.format(java.util.Locale.ROOT,
                        " (%.3g s of data)", seconds),
                cursor, recorded, ringSize, spare.volume(), spare.plane(), spare.sourceFrameNumber(), source.name());
        fail(new RingFailure("producer", null, cursor + 1, spare.volume(), spare.plane(),
                new RingOverrunException(message, behind)), null);
        return true;
    }

    private void stopSourceOnce() {
        synchronized (lifecycleLock) {
            if (!sourceStarted || sourceStopped) {
                return;
            }
            sourceStopped = true;
        }
        try {
            source.stop();
        } catch (final RuntimeException e) {
            fail(new RingFailure("producer", null, -1, -1, -1, e), null);
        }
    }

    // ------------------------------------------------------------------------------------------------ failures

    private FailureAction fail(final RingFailure failure, final ConsumerWorker worker) {
        failures.add(failure);
        FailureAction action;
        try {
            action = errorHandler.onFailure(failure);
        } catch (final RuntimeException e) {
            failure.cause().addSuppressed(e);
            action = FailureAction.STOP_RUN;
        }
        if (action == null || worker == null || worker.role == ConsumerRole.RECORDER) {
            action = FailureAction.STOP_RUN;
        }
        if (action == FailureAction.STOP_RUN) {
            runFailed = true;
            halted = true;
            stop();
        }
        return action;
    }

    private static String aliveThreadNames(final List<Thread> threads) {
        final StringBuilder sb = new StringBuilder();
        for (final Thread t : threads) {
            if (t.isAlive()) {
                sb.append(sb.length() == 0 ? "" : ", ").append(t.getName());
            }
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------------------------------------ consumers

    /** One consumer's thread, sequence, barrier and counters. Thread-confined except the counters and state. */
    private final class ConsumerWorker implements Runnable {
        final String name;
        final ConsumerRole role;
        final FrameConsumer consumer;
        final boolean skipping;
        final Sequence sequence = new Sequence(Sequencer.INITIAL_CURSOR_VALUE);
        final SequenceBarrier barrier;
        final Thread thread;
        final AtomicCounter frames;
        final AtomicCounter bytes;
        final AtomicCounter volumesSkipped;
        final AtomicCounter framesSkipped;
        final AtomicCounter overwrites;
        volatile ConsumerSnapshot.State state = ConsumerSnapshot.State.NEW;

        // consumer-thread state
        private boolean failed;
        private long batchStart;
        private long batchBytes;
        private long deliveredVolume = -1;
        private boolean deliveredVolumeClosed = true;

        ConsumerWorker(final String name, final ConsumerRole role, final FrameConsumer consumer,
                final boolean skipping) {
            this.name = name;
            this.role = role;
            this.consumer = consumer;
            this.skipping = skipping;
            this.barrier = ringBuffer.newBarrier();
            this.frames = counters.newCounter(role == ConsumerRole.RECORDER ? "frames_recorded" : name + ".frames");
            this.bytes = counters.newCounter(role == ConsumerRole.RECORDER ? "bytes_recorded" : name + ".bytes");
            this.volumesSkipped = counters.newCounter(name + ".volumes_skipped");
            this.framesSkipped = counters.newCounter(name + ".frames_skipped");
            this.overwrites = counters.newCounter(name + ".overwrites_detected");
            this.thread = new Thread(this, "beadstream-ring-" + name);
            this.thread.setDaemon(true);
        }

        @Override
        public void run() {
            state = ConsumerSnapshot.State.RUNNING;
            try {
                consumer.onStart(geometry);
            } catch (final Throwable t) {
                consumerFailed(-1, null, t);
            } finally {
                consumersReady.countDown();
            }
            long next = 0;
            while (!failed) {
                final long available;
                try {
                    available = barrier.waitFor(next);
                } catch (final AlertException e) {
                    final long end = endSequence;
                    if (end != NOT_ENDED && next <= end) {
                        next = deliver(next, end);
                    }
                    break;
                } catch (final TimeoutException e) {
                    continue;
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    consumerFailed(next, null, e);
                    break;
                }
                if (available >= next) {
                    next = deliver(next, available);
                }
            }
            try {
                consumer.onEnd();
            } catch (final Throwable t) {
                consumerFailed(next - 1, null, t);
            }
            state = failed ? ConsumerSnapshot.State.FAILED : ConsumerSnapshot.State.FINISHED;
            workerFinished();
        }

        private long deliver(final long from, final long to) {
            return skipping ? deliverSkipping(from, to) : deliverAll(from, to);
        }

        /** Recorder, and every consumer under the offline policy: every frame, gating on batch ends. */
        private long deliverAll(final long from, final long to) {
            final RingBuffer<FrameSlot> rb = ringBuffer;
            final int limit = maxBatch;
            batchStart = from;
            batchBytes = 0;
            long s = from;
            FrameSlot slot = null;
            try {
                for (; s <= to; s++) {
                    slot = rb.get(s);
                    final boolean endOfBatch = s == to || s - batchStart + 1 >= limit;
                    batchBytes += slot.byteLength();
                    consumer.onFrame(slot, s, endOfBatch);
                    if (endOfBatch) {
                        endBatch(s);
                    }
                }
            } catch (final Throwable t) {
                consumerFailed(s, slot, t);
            }
            return s;
        }

        private void endBatch(final long s) {
            frames.getAndAddOrdered(s - batchStart + 1);
            bytes.getAndAddOrdered(batchBytes);
            sequence.set(s);
            batchStart = s + 1;
            batchBytes = 0;
        }

        /** A processing consumer under the live policy: skips whole volumes when behind, detects overwrites. */
        private long deliverSkipping(final long from, final long to) {
            final RingBuffer<FrameSlot> rb = ringBuffer;
            final int size = ringSize;
            final int limit = maxBatch;
            batchStart = from;
            batchBytes = 0;
            long s = from;
            FrameSlot slot = null;
            try {
                while (s <= to) {
                    slot = rb.get(s);
                    long cursor = rb.getCursor();
                    if (cursor + 1 - size >= s) {
                        // The producer may already be refilling this slot: we are a whole ring behind.
                        s = jumpAhead(s);
                        continue;
                    }
                    final long volume = slot.volume();
                    final int plane = slot.plane();
                    if (volume != deliveredVolume && s == batchStart && cursor - s + 1 > lagThreshold) {
                        final long target = newestVolumeStart();
                        if (target > s) {
                            s = jumpTo(s, target);
                            continue;
                        }
                    }
                    final boolean endOfBatch = s == to || s - batchStart + 1 >= limit
                            || rb.get(s + 1).volume() != volume;
                    batchBytes += slot.byteLength();
                    consumer.onFrame(slot, s, endOfBatch);
                    VarHandle.loadLoadFence();
                    cursor = rb.getCursor();
                    if (cursor + 1 - size >= batchStart) {
                        // A slot of this batch may have been reused while we read it: the volume is not trustworthy.
                        overwrites.incrementOrdered();
                        deliveredVolume = volume;
                        deliveredVolumeClosed = false;
                        s = jumpAhead(s + 1);
                        continue;
                    }
                    deliveredVolume = volume;
                    deliveredVolumeClosed = plane == geometry.planes() - 1;
                    if (endOfBatch) {
                        endBatch(s);
                    }
                    s++;
                }
            } catch (final Throwable t) {
                consumerFailed(s, slot, t);
            }
            return s;
        }

        /** Jumps from {@code s} to the newest volume start, counting every volume not (completely) delivered. */
        private long jumpAhead(final long s) {
            final long target = newestVolumeStart();
            return jumpTo(s, Math.max(s, target));
        }

        private long jumpTo(final long s, final long target) {
            // frames delivered in the current batch before s are counted now; the batch is abandoned
            frames.getAndAddOrdered(s - batchStart);
            bytes.getAndAddOrdered(batchBytes);
            final long targetVolume = ringBuffer.get(target).volume();
            final long first = deliveredVolumeClosed ? deliveredVolume + 1 : deliveredVolume;
            if (targetVolume > first) {
                volumesSkipped.getAndAddOrdered(targetVolume - first);
                consumer.onVolumesSkipped(first, targetVolume - 1);
            }
            framesSkipped.getAndAddOrdered(target - s);
            deliveredVolume = targetVolume - 1;
            deliveredVolumeClosed = true;
            sequence.set(target - 1);
            batchStart = target;
            batchBytes = 0;
            return target;
        }

        /** The first sequence of the newest published volume (scanning back at most one volume, validated). */
        private long newestVolumeStart() {
            final RingBuffer<FrameSlot> rb = ringBuffer;
            final int planes = geometry.planes();
            while (true) {
                final long cursor = rb.getCursor();
                final long volume = rb.get(cursor).volume();
                final long floor = Math.max(0, cursor - planes + 1);
                long t = cursor;
                while (t > floor && rb.get(t - 1).volume() == volume) {
                    t--;
                }
                VarHandle.loadLoadFence();
                if (rb.getCursor() + 1 - ringSize < floor) {
                    return t;
                }
            }
        }

        private void consumerFailed(final long s, final FrameSlot slot, final Throwable t) {
            failed = true;
            final RingFailure failure = new RingFailure(name, role, s,
                    slot == null ? -1 : slot.volume(), slot == null ? -1 : slot.plane(), t);
            fail(failure, this);
            ringBuffer.removeGatingSequence(sequence);
        }
    }

    // ------------------------------------------------------------------------------------------------ builder

    private record Registration(String name, ConsumerRole role, FrameConsumer consumer) {
    }

    /**
     * Configures a {@link FrameRing}. Every setter validates its argument at once with a precise message;
     * {@link #build()} checks the combination.
     *
     * <p>Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private final FrameSource source;
        private final FrameGeometry geometry;
        private RingPolicy policy;
        private int ringSize;
        private double ringSeconds = 2.0;
        private long maxRingBytes = DEFAULT_MAX_RING_BYTES;
        private int lagThreshold;
        private Duration readTimeout = Duration.ofMillis(100);
        private WaitStrategy waitStrategy = new SleepingWaitStrategy();
        private RingErrorHandler errorHandler = RingErrorHandler.stopOnFailure();
        private final List<Registration> consumers = new ArrayList<>();

        private Builder(final FrameSource source) {
            this.source = Objects.requireNonNull(source, "source");
            final FrameGeometry g;
            try {
                g = source.geometry();
            } catch (final IllegalStateException e) {
                throw new IllegalStateException("source " + source.name() + " must be opened before building a ring: "
                        + e.getMessage(), e);
            }
            if (g == null) {
                throw new IllegalStateException("source " + source.name() + " has no geometry; open it first");
            }
            this.geometry = g;
            this.policy = RingPolicy.forSource(source.isLive());
        }

        /** Slots in the ring: a power of two, at least 2 (at least two volumes under the live policy). */
        public Builder ringSize(final int slots) {
            if (!RingSizes.isPowerOfTwo(slots) || slots < 2) {
                throw new IllegalArgumentException("ring size must be a power of two of at least 2, was " + slots);
            }
            this.ringSize = slots;
            return this;
        }

        /**
         * Sizes the ring to hold {@code seconds} of data at the source's nominal rate (see
         * {@link RingSizes#slotsForSeconds}); used when no {@link #ringSize} is given. Default 2 s.
         */
        public Builder ringSeconds(final double seconds) {
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new IllegalArgumentException("ring seconds must be a positive finite number, was " + seconds);
            }
            this.ringSeconds = seconds;
            return this;
        }

        /** Memory cap for the slots, in bytes (default 2 GiB). */
        public Builder maxRingBytes(final long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("ring memory cap must be positive, was " + bytes + " bytes");
            }
            this.maxRingBytes = bytes;
            return this;
        }

        /** Overrides the policy the source asks for (an offline source may be run live, e.g. for a rehearsal). */
        public Builder policy(final RingPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Frames a live processor may lag at a volume start before it skips to the newest volume: at least one
         * volume (the number of planes) and below the ring size. Default: half the ring.
         */
        public Builder lagThreshold(final int frames) {
            if (frames < 1) {
                throw new IllegalArgumentException("lag threshold must be at least 1 frame, was " + frames);
            }
            this.lagThreshold = frames;
            return this;
        }

        /** How long one {@link FrameSource#read} may wait before the producer checks for a stop (default 100 ms). */
        public Builder readTimeout(final Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("read timeout must be positive, was " + timeout.toMillis() + " ms");
            }
            this.readTimeout = timeout;
            return this;
        }

        /** How consumers wait for frames (default: Disruptor {@link SleepingWaitStrategy}, kind to 2-core machines). */
        public Builder waitStrategy(final WaitStrategy strategy) {
            this.waitStrategy = Objects.requireNonNull(strategy, "wait strategy");
            return this;
        }

        /** Decides what a failure does (default: {@link RingErrorHandler#stopOnFailure()}). */
        public Builder errorHandler(final RingErrorHandler handler) {
            this.errorHandler = Objects.requireNonNull(handler, "error handler");
            return this;
        }

        /** Adds the lossless recorder (at most one). */
        public Builder recorder(final String name, final FrameConsumer consumer) {
            return add(name, ConsumerRole.RECORDER, consumer);
        }

        /** Adds a processing consumer. */
        public Builder processor(final String name, final FrameConsumer consumer) {
            return add(name, ConsumerRole.PROCESSOR, consumer);
        }

        private Builder add(final String name, final ConsumerRole role, final FrameConsumer consumer) {
            Objects.requireNonNull(consumer, "consumer");
            if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("consumer name must be letters, digits, '_', '.' or '-', was '"
                        + name + "'");
            }
            for (final Registration r : consumers) {
                if (r.name.equals(name)) {
                    throw new IllegalArgumentException("consumer name '" + name + "' is already used");
                }
                if (role == ConsumerRole.RECORDER && r.role == ConsumerRole.RECORDER) {
                    throw new IllegalArgumentException("a ring has at most one recorder; '" + r.name
                            + "' is already the recorder, cannot add '" + name + "'");
                }
            }
            consumers.add(new Registration(name, role, consumer));
            return this;
        }

        /**
         * Checks the combination and allocates the ring (every slot, once).
         *
         * @throws IllegalArgumentException naming what is wrong
         */
        public FrameRing build() {
            if (consumers.isEmpty()) {
                throw new IllegalArgumentException("a ring needs at least one consumer (a recorder or a processor)");
            }
            if (ringSize == 0) {
                ringSize = geometry.volumeRateHz() > 0
                        ? RingSizes.slotsForSeconds(geometry, ringSeconds, maxRingBytes)
                        : (int) Math.max(64, Long.highestOneBit(4L * geometry.planes() - 1) << 1);
            }
            final long bytes = RingSizes.bytesFor(geometry, ringSize);
            if (bytes > maxRingBytes) {
                throw new IllegalArgumentException("ring of " + ringSize + " slots of " + geometry.bytesPerPage()
                        + " bytes needs " + bytes + " bytes, more than the cap of " + maxRingBytes
                        + " bytes; use fewer slots or raise the cap");
            }
            if (policy == RingPolicy.LIVE && ringSize < 2 * geometry.planes()) {
                throw new IllegalArgumentException("ring of " + ringSize + " slots holds fewer than two volumes of "
                        + geometry.planes() + " planes; the live policy needs at least " + 2 * geometry.planes());
            }
            if (lagThreshold == 0) {
                lagThreshold = Math.max(geometry.planes(), (int) (ringSize * DEFAULT_LAG_FRACTION));
            }
            if (lagThreshold >= ringSize) {
                throw new IllegalArgumentException("lag threshold must be below the ring size of " + ringSize
                        + " frames, was " + lagThreshold);
            }
            if (policy == RingPolicy.LIVE && lagThreshold < geometry.planes()) {
                throw new IllegalArgumentException("lag threshold must be at least one volume (" + geometry.planes()
                        + " frames) under the live policy, was " + lagThreshold);
            }
            return new FrameRing(this);
        }
    }
}
