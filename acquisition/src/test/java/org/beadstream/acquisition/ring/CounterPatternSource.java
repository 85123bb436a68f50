package org.beadstream.acquisition.ring;

import java.util.concurrent.locks.LockSupport;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * A tiny synthetic source for tests: frame {@code k} is volume {@code k / planes}, plane {@code k % planes}, and pixel
 * {@code i} holds {@link #expected(long, int)}. Optionally live and paced at a fixed frame period, optionally endless,
 * optionally failing at a given frame.
 *
 * <p>Not thread-safe except {@link #stop()}, which may be called from any thread.
 */
public final class CounterPatternSource implements FrameSource {

    private final FrameGeometry geometry;
    private final long frames;
    private final boolean live;
    private final long periodNanos;
    private long failAt = -1;
    private long next;
    private long startNanos;
    private volatile boolean stopped;
    private boolean opened;
    private boolean started;

    /**
     * @param geometry    page shape and planes
     * @param frames      frames to produce, or {@code Long.MAX_VALUE} for endless
     * @param live        what {@link #isLive()} answers
     * @param periodNanos frame period for pacing, 0 for as fast as possible
     */
    public CounterPatternSource(final FrameGeometry geometry, final long frames, final boolean live,
            final long periodNanos) {
        this.geometry = geometry;
        this.frames = frames;
        this.live = live;
        this.periodNanos = periodNanos;
    }

    /** Makes {@link #read} throw a {@link FrameSourceException} when asked for frame {@code k}. */
    public CounterPatternSource failAt(final long k) {
        this.failAt = k;
        return this;
    }

    /** The value of pixel {@code i} of frame {@code k}. */
    public static short expected(final long k, final int i) {
        return (short) (k * 7919 + i * 31);
    }

    @Override
    public String name() {
        return "counter-pattern";
    }

    @Override
    public boolean isLive() {
        return live;
    }

    @Override
    public void open() {
        opened = true;
    }

    @Override
    public FrameGeometry geometry() {
        if (!opened) {
            throw new IllegalStateException("counter-pattern is not open");
        }
        return geometry;
    }

    @Override
    public void start() {
        if (!opened) {
            throw new IllegalStateException("counter-pattern is not open");
        }
        started = true;
        startNanos = System.nanoTime();
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        if (!started) {
            throw new IllegalStateException("counter-pattern is not started");
        }
        if (stopped || next >= frames) {
            return ReadStatus.END_OF_STREAM;
        }
        if (next == failAt) {
            throw new FrameSourceException(name(), "synthetic failure at frame " + next);
        }
        if (periodNanos > 0) {
            final long due = startNanos + next * periodNanos;
            final long wait = due - System.nanoTime();
            if (wait > timeoutNanos) {
                LockSupport.parkNanos(timeoutNanos);
                return ReadStatus.TIMEOUT;
            }
            if (wait > 200_000) {
                LockSupport.parkNanos(wait - 100_000); // sleep most of the period, spin the last 0.1 ms
            }
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
        }
        fill(slot, next, geometry);
        next++;
        return ReadStatus.FRAME;
    }

    /** Writes frame {@code k} of the pattern into {@code slot}. */
    public static void fill(final FrameSlot slot, final long k, final FrameGeometry geometry) {
        slot.setShape(geometry.width(), geometry.height());
        final int n = geometry.pixelsPerPage();
        for (int i = 0; i < n; i++) {
            slot.buffer().putShort(i * 2, expected(k, i), java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        slot.setHeader(k / geometry.planes(), (int) (k % geometry.planes()), 1_000_000L * k, 1000 + k);
    }

    /** True when every pixel of {@code slot} matches frame {@code k} of the pattern. */
    public static boolean matches(final FrameSlot slot, final long k) {
        final int n = slot.width() * slot.height();
        for (int i = 0; i < n; i++) {
            if (slot.buffer().getShort(i * 2, java.nio.ByteOrder.LITTLE_ENDIAN) != expected(k, i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stopped = true;
    }
}
