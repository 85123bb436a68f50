package org.beadstream.acquisition.tiff;

import java.nio.file.Path;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * An offline {@link FrameSource} over a plain multi-page TIFF stack from any microscope (one or more files in order):
 * one plane per page, or {@code planes} interleaved planes (page k is volume k / planes, plane k % planes). Timestamps
 * come from the given volume rate (volume / rate), or are the volume index in nanoseconds when the rate is 0
 * (unknown). For ScanImage files use {@code ScanImageSource}, which reads planes, rates and frame numbers from the
 * metadata.
 *
 * <p>Threads: {@link #read} from one thread; {@link #stop()} from any. Reading allocates nothing.
 */
public final class TiffStackSource implements FrameSource {

    private final List<Path> files;
    private final int planes;
    private final double volumeRateHz;
    private final String name;
    private TiffStack stack;
    private FrameGeometry geometry;
    private long next;
    private boolean started;
    private boolean closed;
    private volatile boolean stopped;

    /**
     * @param files        the stack's files in order (one file, or a split recording)
     * @param planes       interleaved planes per volume, at least 1
     * @param volumeRateHz volumes per second, or 0 if unknown
     */
    public TiffStackSource(final List<Path> files, final int planes, final double volumeRateHz) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a TIFF stack source needs at least one file");
        }
        if (planes < 1) {
            throw new IllegalArgumentException("planes per volume must be at least 1, was " + planes);
        }
        if (!(volumeRateHz >= 0) || Double.isInfinite(volumeRateHz)) {
            throw new IllegalArgumentException("volume rate must be a finite rate >= 0 Hz, was " + volumeRateHz);
        }
        this.files = List.copyOf(files);
        this.planes = planes;
        this.volumeRateHz = volumeRateHz;
        this.name = TiffStack.describe(files);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public void open() {
        if (stack != null || closed) {
            throw new IllegalStateException(name + ": open() called twice or after close()");
        }
        final TiffStack s = TiffStack.open(files);
        if (s.pageCount() % planes != 0) {
            s.close();
            throw new TiffFormatException(files.get(0), TiffFormatException.NO_PAGE, s.pageCount()
                    + " pages are not a whole number of volumes of " + planes + " planes");
        }
        geometry = new FrameGeometry(s.width(), s.height(), planes, volumeRateHz);
        stack = s;
    }

    @Override
    public FrameGeometry geometry() {
        if (stack == null || closed) {
            throw new IllegalStateException(name + ": source is not open");
        }
        return geometry;
    }

    /** Pages in the stack; valid after {@link #open()}. */
    public long pageCount() {
        geometry();
        return stack.pageCount();
    }

    @Override
    public void start() {
        geometry();
        started = true;
        stopped = false;
    }

    /** Moves to page {@code page} (a multiple of planes to start at a volume); the next read returns it. */
    public void seek(final long page) {
        geometry();
        if (page < 0 || page > stack.pageCount()) {
            throw new IllegalArgumentException(name + ": page " + page + " is outside 0.." + stack.pageCount());
        }
        next = page;
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        if (!started || closed) {
            throw new IllegalStateException(name + ": read() needs a started source");
        }
        if (stopped || next >= stack.pageCount()) {
            return ReadStatus.END_OF_STREAM;
        }
        final long page = next;
        stack.readPage(page, slot);
        final long volume = page / planes;
        final long nanos = volumeRateHz > 0 ? Math.round(volume / volumeRateHz * 1e9) : volume;
        slot.setHeader(volume, (int) (page % planes), nanos, page);
        next = page + 1;
        return ReadStatus.FRAME;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        if (stack != null) {
            stack.close();
        }
    }
}
