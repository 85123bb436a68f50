package org.beadstream.acquisition.frame;

/**
 * A stream of raw int16 pages: a camera, raw files, a recording, or the simulator. The role every acquisition
 * front-end plays (an extension point).
 *
 * <h2>Lifecycle</h2>
 * <pre>
 *   new --open()--> OPEN --start()--> RUNNING --stop()--> STOPPED --close()--> CLOSED
 *                    |  geometry() valid from here          read() only while RUNNING
 *                    +-------------------------------------------------------> close() from any state
 * </pre>
 * Calls out of order throw {@link IllegalStateException}; {@link #close()} is idempotent.
 *
 * <h2>Errors</h2>
 * Failures are {@link FrameSourceException}s whose message names the source ({@link #name()}), the frame and what is
 * wrong. A source never returns a partial frame.
 *
 * <h2>Threads</h2>
 * One thread (the ring's producer) calls {@link #read}; lifecycle calls may come from another thread, so
 * {@link #stop()} must be safe to call while a read is blocked (it makes the read return {@link ReadStatus#END_OF_STREAM}
 * promptly). Implementations document anything beyond that.
 */
public interface FrameSource extends AutoCloseable {

    /** A short human name for messages and reports, e.g. {@code "sim:config-a(seed=1)"} or a file path. */
    String name();

    /**
     * True when the source cannot be paused (a camera, or a paced simulation): the ring must never block it and skips
     * processing instead. False when the reader may wait (files, recordings): the ring applies back-pressure.
     */
    boolean isLive();

    /** Connects, reads headers, validates; after this {@link #geometry()} is valid. */
    void open();

    /** The geometry of every page; valid after {@link #open()}. */
    FrameGeometry geometry();

    /** Starts acquisition (for files: nothing to do beyond positioning at the first page). */
    void start();

    /**
     * Fills {@code slot} with the next frame (data, shape and header except the ring sequence).
     *
     * @param slot         a slot with capacity for one page of {@link #geometry()}
     * @param timeoutNanos how long a live source may wait for a frame; offline sources may ignore it
     * @return {@link ReadStatus#FRAME} when the slot holds a new frame, otherwise why not
     * @throws FrameSourceException on any failure, naming the source and the frame
     */
    ReadStatus read(FrameSlot slot, long timeoutNanos);

    /** Stops acquisition; pending {@link #read} calls return {@link ReadStatus#END_OF_STREAM}. */
    void stop();

    /** Releases every resource. Idempotent. */
    @Override
    void close();

    /**
     * Frames the source itself lost before they reached us (a camera buffer overflow, a gap in ScanImage frame
     * numbers), counted; 0 for sources that cannot lose frames.
     */
    default long framesLostAtSource() {
        return 0;
    }
}
