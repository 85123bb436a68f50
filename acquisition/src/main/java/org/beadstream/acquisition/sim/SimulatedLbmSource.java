package org.beadstream.acquisition.sim;

import java.util.concurrent.locks.LockSupport;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * The embedded light-beads microscope: a {@link FrameSource} rendering raw ScanImage-layout LBM pages (planes as
 * channels, interleaved plane-fastest; ROI strips stacked with fly-to lines; bidirectional scan phase; int16) from a
 * {@link LbmSimulation}, deterministically: the same parameters and seed give byte-identical pages.
 *
 * <p>Two modes:
 * <ul>
 *   <li><b>live</b> ({@link #isLive()} true): frames are due at the nominal frame rate on the monotonic clock, as from
 *       a camera that cannot be paused. {@link #read} waits until the next frame is due (or the timeout passes:
 *       {@link ReadStatus#TIMEOUT}). A reader that falls more than {@code liveBufferFrames} behind loses the frames in
 *       between, like a camera buffer overflow: they are counted in {@link #framesLostAtSource()} and the frame
 *       numbers jump. Timestamps are the due times.</li>
 *   <li><b>offline</b> ({@link #isLive()} false): frames are produced as fast as {@link #read} is called; timestamps
 *       are nominal (frame index / frame rate, from 0).</li>
 * </ul>
 * The header of each frame: volume = index / planes, plane = index % planes, source frame number = index.
 * The stream ends after {@code volumes} volumes (unbounded when 0).
 *
 * <p>Threads: one thread reads; {@link #stop()} may come from another and makes a waiting read return
 * {@link ReadStatus#END_OF_STREAM} within a millisecond. Nothing is allocated per frame (the renderer and activity
 * state are made in {@link #open()}).
 */
public final class SimulatedLbmSource implements FrameSource {

    private enum State { NEW, OPEN, RUNNING, STOPPED, CLOSED }

    private static final long PARK_SLICE_NANOS = 1_000_000L;

    private final LbmSimulation sim;
    private final boolean live;
    private final String name;
    private final FrameGeometry geometry;
    private final double framePeriodNanos;
    private final long totalFrames;
    private final int liveBuffer;

    private volatile State state = State.NEW;
    private PlaneRenderer renderer;
    private ActivityCursor cursor;
    private long nextFrame;
    private long startNanos;
    private volatile long lost;

    /**
     * A source over {@code sim}.
     *
     * @param live true to pace frames at the nominal rate (a camera), false to produce them as fast as read
     */
    public SimulatedLbmSource(final LbmSimulation sim, final boolean live) {
        if (sim == null) {
            throw new IllegalArgumentException("simulation must not be null");
        }
        this.sim = sim;
        this.live = live;
        final SimulationParameters p = sim.parameters();
        this.name = "sim:" + p.preset() + "(seed=" + p.seed() + (live ? ", live" : "") + ")";
        this.geometry = sim.frameGeometry();
        this.framePeriodNanos = 1e9 / geometry.frameRateHz();
        this.totalFrames = p.volumes() == 0 ? Long.MAX_VALUE : p.volumes() * p.planes();
        this.liveBuffer = p.liveBufferFrames();
    }

    /** An unpaced source over a new simulation of {@code params}. */
    public static SimulatedLbmSource offline(final SimulationParameters params) {
        return new SimulatedLbmSource(new LbmSimulation(params), false);
    }

    /** A paced (live) source over a new simulation of {@code params}. */
    public static SimulatedLbmSource live(final SimulationParameters params) {
        return new SimulatedLbmSource(new LbmSimulation(params), true);
    }

    /** The simulated world, for its ground truth. */
    public LbmSimulation simulation() {
        return sim;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public void open() {
        if (state != State.NEW) {
            throw new IllegalStateException(name + ": open() called in state " + state + ", expected NEW");
        }
        renderer = new PlaneRenderer(sim);
        cursor = new ActivityCursor(sim.activity, sim.neurons().count());
        state = State.OPEN;
    }

    @Override
    public FrameGeometry geometry() {
        if (state == State.NEW || state == State.CLOSED) {
            throw new IllegalStateException(name + ": geometry() needs an open source, state is " + state);
        }
        return geometry;
    }

    @Override
    public void start() {
        if (state != State.OPEN) {
            throw new IllegalStateException(name + ": start() called in state " + state + ", expected OPEN");
        }
        nextFrame = 0;
        lost = 0;
        startNanos = System.nanoTime();
        state = State.RUNNING;
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        final State s = state;
        if (s == State.STOPPED) {
            return ReadStatus.END_OF_STREAM;
        }
        if (s != State.RUNNING) {
            throw new IllegalStateException(name + ": read() called in state " + s + ", expected RUNNING");
        }
        if (slot.capacityBytes() < geometry.bytesPerPage()) {
            throw new IllegalArgumentException(name + ": slot of " + slot.capacityBytes()
                    + " bytes cannot hold a page of " + geometry.bytesPerPage() + " bytes");
        }
        if (nextFrame >= totalFrames) {
            return ReadStatus.END_OF_STREAM;
        }
        long k = nextFrame;
        final long timestamp;
        if (live) {
            long due = startNanos + (long) (k * framePeriodNanos);
            long now = System.nanoTime();
            if (now < due) {
                final long deadline = now + Math.max(0, timeoutNanos);
                while (now < due) {
                    if (state != State.RUNNING) {
                        return ReadStatus.END_OF_STREAM;
                    }
                    if (now >= deadline) {
                        return ReadStatus.TIMEOUT;
                    }
                    LockSupport.parkNanos(Math.min(PARK_SLICE_NANOS, Math.min(due, deadline) - now));
                    now = System.nanoTime();
                }
            } else {
                final long current = (long) ((now - startNanos) / framePeriodNanos);
                if (current - k > liveBuffer) {
                    // The reader fell further behind than the camera buffer holds: those frames are gone.
                    final long resume = Math.min(current, totalFrames - 1);
                    lost += resume - k;
                    k = resume;
                    due = startNanos + (long) (k * framePeriodNanos);
                }
            }
            timestamp = due;
        } else {
            timestamp = (long) (k * framePeriodNanos);
        }
        final int planes = geometry.planes();
        final long v = k / planes;
        final int c = (int) (k % planes);
        cursor.advanceTo(v);
        renderer.renderPage(v, c, k, cursor.dff(), slot.buffer());
        slot.setShape(geometry.width(), geometry.height()).setHeader(v, c, timestamp, k);
        nextFrame = k + 1;
        return ReadStatus.FRAME;
    }

    @Override
    public void stop() {
        final State s = state;
        if (s == State.OPEN || s == State.RUNNING) {
            state = State.STOPPED;
        } else if (s != State.STOPPED) {
            throw new IllegalStateException(name + ": stop() called in state " + s + ", expected RUNNING");
        }
    }

    @Override
    public void close() {
        state = State.CLOSED;
    }

    @Override
    public long framesLostAtSource() {
        return lost;
    }

    /** Index of the next frame this source will produce (frames produced plus frames lost). */
    public long nextFrameIndex() {
        return nextFrame;
    }

    @Override
    public String toString() {
        return name;
    }
}
