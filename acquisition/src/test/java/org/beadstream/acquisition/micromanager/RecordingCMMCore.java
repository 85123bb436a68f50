package org.beadstream.acquisition.micromanager;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;

import mmcorej.CMMCore;
import mmcorej.TaggedImage;
import mmcorej.org.json.JSONObject;

/**
 * A fake MMCore for tests: a {@link CMMCore} made with the SWIG constructor {@code (0, false)} (no native object, and
 * CMMCore has no static initialiser, so no native library is loaded) that overrides every method
 * {@link MicroManagerSource} calls, records each call, and serves a scripted queue of images.
 *
 * <p>Thread-safe: the test thread scripts images while the source's thread pops them.
 */
final class RecordingCMMCore extends CMMCore {

    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Queue<TaggedImage> images = new ArrayDeque<>();
    private final String camera;
    private final long width;
    private final long height;
    private long bytesPerPixel = 2;
    private long channels = 1;
    private volatile boolean running;
    private long sequenceLength = Long.MAX_VALUE;
    private long popped;
    private volatile boolean overflowed;

    RecordingCMMCore(final String camera, final long width, final long height) {
        super(0, false);
        this.camera = camera;
        this.width = width;
        this.height = height;
    }

    RecordingCMMCore bytesPerPixel(final long n) {
        this.bytesPerPixel = n;
        return this;
    }

    RecordingCMMCore channels(final long n) {
        this.channels = n;
        return this;
    }

    /** Queues an image with the given ImageNumber and ElapsedTime-ms tags (as strings, like MMCore does). */
    synchronized RecordingCMMCore addImage(final short[] pix, final long imageNumber, final double elapsedMs) {
        final JSONObject tags = new JSONObject();
        try {
            tags.put("ImageNumber", Long.toString(imageNumber));
            tags.put("ElapsedTime-ms", Double.toString(elapsedMs));
            tags.put("Camera", camera);
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
        images.add(new TaggedImage(pix, tags));
        return this;
    }

    /** Queues an image whose pixels are {@code pix} as given (any type, for error tests). */
    synchronized RecordingCMMCore addImageObject(final Object pix, final long imageNumber) {
        final JSONObject tags = new JSONObject();
        try {
            tags.put("ImageNumber", Long.toString(imageNumber));
        } catch (final Exception e) {
            throw new IllegalStateException(e);
        }
        images.add(new TaggedImage(pix, tags));
        return this;
    }

    /** Marks the circular buffer overflowed and the sequence stopped (stop-on-overflow). */
    void overflow() {
        overflowed = true;
        running = false;
    }

    /** Ends the sequence as a camera does after its frame count. */
    void finish() {
        running = false;
    }

    @Override
    public String getCameraDevice() {
        calls.add("getCameraDevice");
        return camera;
    }

    @Override
    public long getImageWidth() {
        calls.add("getImageWidth");
        return width;
    }

    @Override
    public long getImageHeight() {
        calls.add("getImageHeight");
        return height;
    }

    @Override
    public long getBytesPerPixel() {
        calls.add("getBytesPerPixel");
        return bytesPerPixel;
    }

    @Override
    public long getNumberOfCameraChannels() {
        calls.add("getNumberOfCameraChannels");
        return channels;
    }

    @Override
    public void startSequenceAcquisition(final String label, final int numImages, final double intervalMs,
            final boolean stopOnOverflow) {
        calls.add("startSequenceAcquisition(" + label + "," + numImages + "," + intervalMs + "," + stopOnOverflow + ")");
        sequenceLength = numImages;
        running = true;
    }

    @Override
    public void startSequenceAcquisition(final int numImages, final double intervalMs, final boolean stopOnOverflow) {
        calls.add("startSequenceAcquisition(" + numImages + "," + intervalMs + "," + stopOnOverflow + ")");
        running = true;
    }

    @Override
    public void stopSequenceAcquisition(final String label) {
        calls.add("stopSequenceAcquisition(" + label + ")");
        running = false;
    }

    @Override
    public void stopSequenceAcquisition() {
        calls.add("stopSequenceAcquisition()");
        running = false;
    }

    @Override
    public boolean isSequenceRunning(final String label) {
        return running;
    }

    @Override
    public boolean isSequenceRunning() {
        return running;
    }

    @Override
    public synchronized int getRemainingImageCount() {
        return images.size();
    }

    @Override
    public synchronized TaggedImage popNextTaggedImage() {
        calls.add("popNextTaggedImage");
        final TaggedImage image = images.poll();
        if (image == null) {
            throw new IllegalStateException("Circular buffer is empty.");
        }
        if (++popped >= sequenceLength) {
            running = false; // the camera has acquired its frame count
        }
        return image;
    }

    @Override
    public TaggedImage popNextTaggedImage(final int channel) {
        return popNextTaggedImage();
    }

    @Override
    public boolean isBufferOverflowed() {
        return overflowed;
    }

    @Override
    public int getBufferTotalCapacity() {
        return 100;
    }
}
