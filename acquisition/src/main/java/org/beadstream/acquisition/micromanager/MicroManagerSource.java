package org.beadstream.acquisition.micromanager;

import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

import mmcorej.CMMCore;
import mmcorej.TaggedImage;
import mmcorej.org.json.JSONObject;
import org.agrona.UnsafeAccess;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * A live {@link FrameSource} over a Micro-Manager camera through MMCoreJ's {@link CMMCore}: a sequence acquisition
 * whose images are popped from MMCore's circular buffer.
 *
 * <h2>Calls</h2>
 * <pre>
 *   open():  getCameraDevice (unless a camera label is given), getBytesPerPixel, getImageWidth, getImageHeight,
 *            getNumberOfCameraChannels
 *   start(): startSequenceAcquisition(camera, frames, intervalMs, stopOnOverflow = true)
 *   read():  getRemainingImageCount -> popNextTaggedImage, or, when none is waiting:
 *            isBufferOverflowed, isSequenceRunning(camera), and the stall timer
 *   stop():  stopSequenceAcquisition(camera)
 * </pre>
 *
 * <h2>Mapping</h2>
 * An LBM digitiser delivers pages in plane order, so image {@code k} of the sequence (counted from the first image's
 * {@code ImageNumber} tag) is volume {@code k / planes}, plane {@code k % planes}. The timestamp is the
 * {@code ElapsedTime-ms} tag in nanoseconds (or the host clock since start when the tag is missing); the source
 * frame number is {@code ImageNumber}. A gap in {@code ImageNumber} is counted in {@link #framesLostAtSource()}, and
 * the following images keep their true volume and plane.
 *
 * <h2>Failures</h2>
 * Every message names the camera. MMCore's circular-buffer overflow (the sequence is started with stop-on-overflow)
 * becomes a {@link FrameSourceException} once the images still in the buffer have been delivered; no image for the
 * stall timeout becomes a timeout error; a sequence that ends before its frame count is an error.
 *
 * <h2>Allocation</h2>
 * MMCoreJ allocates a {@code short[]} and a JSON object per image (unavoidable with its API); this class copies the
 * pixels into the slot with one {@code Unsafe.copyMemory} and allocates nothing else per frame.
 *
 * <h2>Threads</h2>
 * One thread reads (the ring's producer); {@link #stop()}, {@link #framesLostAtSource()} and {@link #name()} may be
 * called from any thread. The caller owns the {@link CMMCore} (this class never unloads or deletes it).
 */
public final class MicroManagerSource implements FrameSource {

    /** Tag holding the camera's running image number. */
    public static final String TAG_IMAGE_NUMBER = "ImageNumber";
    /** Tag holding milliseconds since the start of the sequence. */
    public static final String TAG_ELAPSED_MS = "ElapsedTime-ms";

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long SHORT_ARRAY_BASE = UnsafeAccess.UNSAFE.arrayBaseOffset(short[].class);

    private final CMMCore core;
    private final String configuredCamera;
    private final int planes;
    private final double volumeRateHz;
    private final int frames;
    private final double intervalMs;
    private final long stallNanos;
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 10_000, 1_000_000);
    private final AtomicBoolean stopCalled = new AtomicBoolean();

    private volatile String camera;
    private volatile boolean stopRequested;
    private volatile long framesLost;
    private FrameGeometry geometry;
    private boolean opened;
    private boolean started;
    private boolean closed;
    private long startNanos;
    private long lastImageNanos;
    private long firstImageNumber = -1;
    private long expectedImageNumber;
    private long delivered;

    private MicroManagerSource(final Builder b) {
        this.core = b.core;
        this.configuredCamera = b.camera;
        this.planes = b.planes;
        this.volumeRateHz = b.volumeRateHz;
        this.frames = b.frames;
        this.intervalMs = b.intervalMs;
        this.stallNanos = b.stallTimeout.toNanos();
    }

    /** Starts configuring a source over {@code core}, which must have a camera loaded. */
    public static Builder builder(final CMMCore core) {
        return new Builder(core);
    }

    @Override
    public String name() {
        final String c = camera;
        return c == null ? "micromanager" : "micromanager camera '" + c + "'";
    }

    /** Always true: a camera cannot be paused. */
    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public void open() {
        if (opened) {
            throw new IllegalStateException(name() + " is already open");
        }
        final String label = configuredCamera != null ? configuredCamera : core.getCameraDevice();
        if (label == null || label.isEmpty()) {
            throw new FrameSourceException(name(), "no camera is configured in MMCore (getCameraDevice() is empty);"
                    + " load a hardware configuration or name the camera");
        }
        camera = label;
        final long bytesPerPixel = core.getBytesPerPixel();
        if (bytesPerPixel != FrameGeometry.BYTES_PER_PIXEL) {
            throw new FrameSourceException(name(), "delivers " + bytesPerPixel + " bytes per pixel; BeadStream records"
                    + " 16-bit pages (2 bytes per pixel): set the camera's pixel type to 16 bit");
        }
        final long width = core.getImageWidth();
        final long height = core.getImageHeight();
        final long channels = core.getNumberOfCameraChannels();
        if (channels != 1) {
            throw new FrameSourceException(name(), "has " + channels + " camera channels; LBM planes come as"
                    + " consecutive pages of one channel, so use a single-channel camera device");
        }
        try {
            geometry = new FrameGeometry((int) Math.min(Integer.MAX_VALUE, width),
                    (int) Math.min(Integer.MAX_VALUE, height), planes, volumeRateHz);
        } catch (final IllegalArgumentException e) {
            throw new FrameSourceException(name(), "reports an unusable image size " + width + " x " + height + ": "
                    + e.getMessage(), e);
        }
        opened = true;
    }

    @Override
    public FrameGeometry geometry() {
        if (!opened) {
            throw new IllegalStateException(name() + " is not open");
        }
        return geometry;
    }

    @Override
    public void start() {
        if (!opened) {
            throw new IllegalStateException(name() + " is not open");
        }
        if (started) {
            throw new IllegalStateException(name() + " is already started");
        }
        try {
            core.startSequenceAcquisition(camera, frames, intervalMs, true);
        } catch (final Exception e) {
            throw new FrameSourceException(name(), "startSequenceAcquisition failed: " + e.getMessage(), e);
        }
        started = true;
        startNanos = System.nanoTime();
        lastImageNanos = startNanos;
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        if (!started) {
            throw new IllegalStateException(name() + " is not started");
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        idle.reset();
        while (true) {
            if (core.getRemainingImageCount() > 0) {
                final TaggedImage image;
                try {
                    image = core.popNextTaggedImage();
                } catch (final Exception e) {
                    throw new FrameSourceException(name(), "popNextTaggedImage failed for " + nextImage() + ": "
                            + e.getMessage(), e);
                }
                deliver(image, slot);
                return ReadStatus.FRAME;
            }
            if (stopRequested) {
                return ReadStatus.END_OF_STREAM;
            }
            if (core.isBufferOverflowed()) {
                framesLost++;
                throw new FrameSourceException(name(), "MMCore circular buffer overflowed "
                        + (delivered == 0 ? "before the first image" : "after image " + (expectedImageNumber - 1))
                        + " (buffer holds " + core.getBufferTotalCapacity()
                        + " images): MMCore stopped the sequence; at least 1 frame was lost there ("
                        + framesLost + " lost in this acquisition, " + delivered + " delivered). Enlarge the"
                        + " circular buffer (setCircularBufferMemoryFootprint) or lower the frame rate");
            }
            final long now = System.nanoTime();
            if (!sequenceRunning() && core.getRemainingImageCount() == 0) {
                if (delivered + framesLost >= frames) {
                    return ReadStatus.END_OF_STREAM;
                }
                throw new FrameSourceException(name(), "the sequence acquisition stopped after " + delivered
                        + " of " + frames + " images (isSequenceRunning() is false, no overflow reported)");
            }
            if (now - lastImageNanos > stallNanos) {
                throw new FrameSourceException(name(), String.format(java.util.Locale.ROOT,
                        "no image for %.1f s (stall timeout %.1f s) after %d images%s; is the camera triggered?",
                        (now - lastImageNanos) / 1e9, stallNanos / 1e9, delivered,
                        delivered == 0 ? "" : " (last image number " + (expectedImageNumber - 1) + ")"));
            }
            if (now >= deadline) {
                return ReadStatus.TIMEOUT;
            }
            idle.idle();
        }
    }

    private boolean sequenceRunning() {
        try {
            return core.isSequenceRunning(camera);
        } catch (final Exception e) {
            throw new FrameSourceException(name(), "isSequenceRunning failed: " + e.getMessage(), e);
        }
    }

    private void deliver(final TaggedImage image, final FrameSlot slot) {
        if (!(image.pix instanceof short[])) {
            throw new FrameSourceException(name(), nextImage() + " has pixels of type "
                    + (image.pix == null ? "null" : image.pix.getClass().getSimpleName()) + ", expected short[]"
                    + " (16-bit)");
        }
        final short[] pix = (short[]) image.pix;
        final int width = geometry.width();
        final int height = geometry.height();
        if (pix.length != geometry.pixelsPerPage()) {
            throw new FrameSourceException(name(), "delivered an image of " + pix.length + " pixels, expected "
                    + width + " x " + height + " (did the ROI or binning change during acquisition?)");
        }
        final JSONObject tags = image.tags;
        long number = tags == null ? -1 : tags.optLong(TAG_IMAGE_NUMBER, -1);
        if (number < 0) {
            number = expectedImageNumber;
        }
        if (firstImageNumber < 0) {
            firstImageNumber = number;
            expectedImageNumber = number;
        }
        if (number < expectedImageNumber) {
            throw new FrameSourceException(name(), "delivered image number " + number + " after "
                    + (expectedImageNumber - 1) + " (out of order or repeated)");
        }
        if (number > expectedImageNumber) {
            framesLost += number - expectedImageNumber;
        }
        expectedImageNumber = number + 1;
        final long index = number - firstImageNumber;
        final double elapsedMs = tags == null ? Double.NaN : tags.optDouble(TAG_ELAPSED_MS, Double.NaN);
        final long now = System.nanoTime();
        final long timestamp = Double.isNaN(elapsedMs) ? now - startNanos : Math.round(elapsedMs * 1e6);
        slot.setShape(width, height);
        copy(pix, slot);
        slot.setHeader(index / planes, (int) (index % planes), timestamp, number);
        lastImageNanos = now;
        delivered++;
    }

    /** For messages: which image is being read. */
    private String nextImage() {
        return delivered == 0 ? "the first image" : "the image after number " + (expectedImageNumber - 1);
    }

    private static void copy(final short[] pix, final FrameSlot slot) {
        if (LITTLE_ENDIAN) {
            UnsafeAccess.UNSAFE.copyMemory(pix, SHORT_ARRAY_BASE, null, slot.buffer().addressOffset(),
                    (long) pix.length * FrameGeometry.BYTES_PER_PIXEL);
        } else {
            for (int i = 0; i < pix.length; i++) {
                slot.buffer().putShort(i * 2, pix[i], ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Stops the sequence acquisition; images already in MMCore's buffer are still delivered, then end of stream. */
    @Override
    public void stop() {
        stopRequested = true;
        if (started && stopCalled.compareAndSet(false, true)) {
            try {
                core.stopSequenceAcquisition(camera);
            } catch (final Exception e) {
                throw new FrameSourceException(name(), "stopSequenceAcquisition failed: " + e.getMessage(), e);
            }
        }
    }

    /** Stops the acquisition if it runs; leaves the core loaded (the caller owns it). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
    }

    /** Frames the camera lost: gaps in {@code ImageNumber}, plus at least one per circular-buffer overflow. */
    @Override
    public long framesLostAtSource() {
        return framesLost;
    }

    /** Images delivered so far (reading thread). */
    public long framesDelivered() {
        return delivered;
    }

    /**
     * Configures a {@link MicroManagerSource}; setters validate at once.
     *
     * <p>Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private final CMMCore core;
        private String camera;
        private int planes = 1;
        private double volumeRateHz;
        private int frames = Integer.MAX_VALUE;
        private double intervalMs;
        private Duration stallTimeout = Duration.ofSeconds(5);

        private Builder(final CMMCore core) {
            this.core = Objects.requireNonNull(core, "core");
        }

        /** The camera device label (default: MMCore's current camera, {@code getCameraDevice()}). */
        public Builder camera(final String label) {
            if (label == null || label.isBlank()) {
                throw new IllegalArgumentException("camera label must not be empty");
            }
            this.camera = label;
            return this;
        }

        /** Pages per volume (LBM planes), at least 1 (default 1). */
        public Builder planesPerVolume(final int n) {
            if (n < 1) {
                throw new IllegalArgumentException("planes per volume must be at least 1, was " + n);
            }
            this.planes = n;
            return this;
        }

        /** Nominal volume rate in Hz, >= 0 (0 = unknown; default). Used for ring sizing and reports. */
        public Builder volumeRateHz(final double hz) {
            if (!(hz >= 0) || Double.isInfinite(hz)) {
                throw new IllegalArgumentException("volume rate must be a finite rate >= 0 Hz, was " + hz);
            }
            this.volumeRateHz = hz;
            return this;
        }

        /** Images to acquire (default {@code Integer.MAX_VALUE}: until stopped). */
        public Builder frames(final int n) {
            if (n < 1) {
                throw new IllegalArgumentException("frame count must be at least 1, was " + n);
            }
            this.frames = n;
            return this;
        }

        /** Interval between images in ms passed to MMCore (0 = as fast as the camera runs; default). */
        public Builder intervalMs(final double ms) {
            if (!(ms >= 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException("frame interval must be a finite time >= 0 ms, was " + ms);
            }
            this.intervalMs = ms;
            return this;
        }

        /** How long without an image before the acquisition is declared stalled (default 5 s). */
        public Builder stallTimeout(final Duration timeout) {
            Objects.requireNonNull(timeout, "stall timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("stall timeout must be positive, was " + timeout.toMillis() + " ms");
            }
            this.stallTimeout = timeout;
            return this;
        }

        /** Makes the source (nothing is called on the core until {@link MicroManagerSource#open()}). */
        public MicroManagerSource build() {
            return new MicroManagerSource(this);
        }
    }
}
