package org.beadstream.benchmarks.ring;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * A benchmark source: it produces a frame (a memory copy of a preallocated page into the slot, as a camera driver's
 * copy would) each time the benchmark thread grants one, so JMH controls how many frames flow per invocation.
 *
 * <p>{@link #grant(long)} and {@link #stop()} may be called from any thread; {@link #read} from the producer only.
 */
final class GatedSource implements FrameSource {

    private final FrameGeometry geometry;
    private final UnsafeBuffer page;
    private final AtomicLong granted = new AtomicLong();
    private long produced;
    private volatile boolean stopped;

    GatedSource(final FrameGeometry geometry) {
        this.geometry = geometry;
        this.page = new UnsafeBuffer(BufferUtil.allocateDirectAligned(geometry.bytesPerPage(), FrameSlot.ALIGNMENT));
        for (int i = 0; i < geometry.bytesPerPage(); i += 2) {
            page.putShort(i, (short) (i * 31));
        }
    }

    /** Allows {@code frames} more frames. */
    void grant(final long frames) {
        granted.addAndGet(frames);
    }

    @Override
    public String name() {
        return "benchmark-gated";
    }

    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public void open() {
    }

    @Override
    public FrameGeometry geometry() {
        return geometry;
    }

    @Override
    public void start() {
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        int spins = 0;
        while (granted.get() <= produced) {
            if (stopped) {
                return ReadStatus.END_OF_STREAM;
            }
            if (++spins > 100) {
                LockSupport.parkNanos(1_000);
            } else {
                Thread.onSpinWait();
            }
        }
        final int bytes = geometry.bytesPerPage();
        slot.setShape(geometry.width(), geometry.height());
        slot.buffer().putBytes(0, page, 0, bytes);
        slot.setHeader(produced / geometry.planes(), (int) (produced % geometry.planes()), produced, produced);
        produced++;
        return ReadStatus.FRAME;
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
