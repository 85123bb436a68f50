package org.beadstream.acquisition.scanimage;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.tiff.TiffReader;
import org.beadstream.acquisition.tiff.TiffStack;

/**
 * An offline {@link FrameSource} over a ScanImage recording (one file or a split recording's files, in order): pages
 * in order across files, with planes taken from the channels saved (light-beads planes are ScanImage channels, pages
 * interleaved plane-fastest). Each frame's header carries its volume, plane, its time from {@code frameTimestamps_sec}
 * (or from the frame rate when the file has none, as in ScanImage 3) and ScanImage's {@code frameNumbers}. Gaps in
 * {@code frameNumbers} are counted in {@link #framesLostAtSource()} (in pages: lost ScanImage frames x planes) and in
 * {@link #scanImageFramesLost()}.
 *
 * <p>Threads: {@link #read} from one thread; {@link #stop()} from any. Reading allocates nothing.
 */
public final class ScanImageSource implements FrameSource {

    /** Longest per-frame description we parse, in bytes (ScanImage writes about 2 KiB). */
    static final int DESCRIPTION_BYTES = 64 << 10;

    private final List<Path> files;
    private final int planesOverride;
    private final String name;
    private TiffStack stack;
    private ScanImageMetadata metadata;
    private FrameGeometry geometry;
    private ByteBuffer description;
    private final FrameDescription parsed = new FrameDescription();
    private long next;
    private long lastFrameNumber = FrameDescription.ABSENT;
    private long scanImageFramesLost;
    private int frameNumberStep = 1;
    private volatile boolean stopped;
    private boolean started;
    private boolean closed;

    /** A source over the whole recording {@code anyFile} belongs to (siblings numbered _00001, _00002, ...). */
    public ScanImageSource(final Path anyFile) {
        this(TiffStack.recordingFiles(anyFile), 0);
    }

    /**
     * A source over {@code files} in this order.
     *
     * @param planesOverride pages per volume, or 0 to use the number of channels saved
     */
    public ScanImageSource(final List<Path> files, final int planesOverride) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a ScanImage source needs at least one file");
        }
        if (planesOverride < 0) {
            throw new IllegalArgumentException("planes override must be 0 (from metadata) or positive, was "
                    + planesOverride);
        }
        this.files = List.copyOf(files);
        this.planesOverride = planesOverride;
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
        try {
            final ScanImageMetadata m = ScanImageMetadata.read(s.reader(0));
            final int planes = planesOverride > 0 ? planesOverride : m.planes();
            double rate = m.volumeRateHz();
            if (!(rate >= 0) || Double.isInfinite(rate)) {
                rate = 0;
            }
            if (m.multiRoi() || m.scanFields().size() > 1) {
                m.strips(s.width(), s.height());
            }
            this.geometry = new FrameGeometry(s.width(), s.height(), planes, rate);
            this.metadata = m;
            this.frameNumberStep = Math.max(1, m.averageFactor());
            this.description = ByteBuffer.allocateDirect(DESCRIPTION_BYTES);
            this.stack = s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void requireOpen() {
        if (stack == null || closed) {
            throw new IllegalStateException(name + ": source is not open");
        }
    }

    @Override
    public FrameGeometry geometry() {
        requireOpen();
        return geometry;
    }

    /** The recording's metadata; valid after {@link #open()}. */
    public ScanImageMetadata metadata() {
        requireOpen();
        return metadata;
    }

    /** The files being read; valid after {@link #open()}. */
    public TiffStack stack() {
        requireOpen();
        return stack;
    }

    /** Pages in the recording; valid after {@link #open()}. */
    public long pageCount() {
        requireOpen();
        return stack.pageCount();
    }

    @Override
    public void start() {
        requireOpen();
        started = true;
        stopped = false;
    }

    /** Moves to page {@code page} (a multiple of planes to start at a volume); the next read returns it. */
    public void seek(final long page) {
        requireOpen();
        if (page < 0 || page > stack.pageCount()) {
            throw new IllegalArgumentException(name + ": page " + page + " is outside 0.." + stack.pageCount());
        }
        next = page;
        lastFrameNumber = FrameDescription.ABSENT;
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        requireOpen();
        if (!started) {
            throw new IllegalStateException(name + ": read() before start()");
        }
        if (stopped || next >= stack.pageCount()) {
            return ReadStatus.END_OF_STREAM;
        }
        final long page = next;
        stack.readPage(page, slot);
        final int len = stack.readText(page, TiffReader.DESCRIPTION, description);
        parsed.parse(description, len);
        final int planes = geometry.planes();
        final long volume = page / planes;
        final int plane = (int) (page % planes);
        final long frameNumber = parsed.frameNumber();
        final double t = parsed.frameTimestampSeconds();
        final long nanos;
        if (!Double.isNaN(t)) {
            nanos = Math.round(t * 1e9);
        } else if (geometry.volumeRateHz() > 0) {
            nanos = Math.round(volume / geometry.volumeRateHz() * 1e9);
        } else {
            nanos = volume;
        }
        if (plane == 0 && frameNumber != FrameDescription.ABSENT) {
            if (lastFrameNumber != FrameDescription.ABSENT && frameNumber > lastFrameNumber + frameNumberStep) {
                scanImageFramesLost += (frameNumber - lastFrameNumber) / frameNumberStep - 1;
            }
            lastFrameNumber = frameNumber;
        }
        slot.setHeader(volume, plane, nanos, frameNumber == FrameDescription.ABSENT ? FrameSlot.NO_FRAME_NUMBER
                : frameNumber);
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

    /** Pages lost before they reached the files: lost ScanImage frames times planes. */
    @Override
    public long framesLostAtSource() {
        return geometry == null ? 0 : scanImageFramesLost * geometry.planes();
    }

    /** ScanImage frames (volumes, for light-beads data) missing from the {@code frameNumbers} sequence so far. */
    public long scanImageFramesLost() {
        return scanImageFramesLost;
    }
}
