package org.beadstream.acquisition.ring;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;

/**
 * A stage that receives every published frame (the recorder) or every frame of the volumes it keeps up with
 * (a processing stage under the live policy). An extension point, in the spirit of the Disruptor's
 * {@code EventHandler}.
 *
 * <h2>Threads and slot validity</h2>
 * Each consumer runs on its own named thread ({@code beadstream-ring-<name>}); all methods are called on that thread,
 * so implementations need no locking for their own state. The slot is shared with the other consumers: read it, never
 * write it (use {@link FrameSlot#byteBuffer()}{@code .duplicate()} made once, or copy, if you need positions). A slot
 * stays valid until the consumer returns from the call that has {@code endOfBatch == true}; batch work there (a large
 * write, a device upload), as the Disruptor does.
 *
 * <h2>Live policy</h2>
 * A processing consumer may be told through {@link #onVolumesSkipped} that volumes were skipped; it then discards any
 * partial state of those volumes. Under the live policy a batch never spans two volumes.
 *
 * <h2>Errors</h2>
 * An exception thrown from any method goes to the ring's {@link RingErrorHandler} with the sequence, volume and plane.
 */
public interface FrameConsumer {

    /** Called once on the consumer's thread before the first frame. */
    default void onStart(final FrameGeometry geometry) {
    }

    /**
     * One frame.
     *
     * @param slot       the frame (read only)
     * @param sequence   its ring sequence (0-based count of frames published by the producer)
     * @param endOfBatch true when no further frame is available right now (or the batch limit is reached): flush here
     */
    void onFrame(FrameSlot slot, long sequence, boolean endOfBatch);

    /**
     * Volumes {@code firstVolume..lastVolume} (inclusive) will not be delivered, or not completely: discard any partial
     * state of them. Called only for processing consumers under the live policy.
     */
    default void onVolumesSkipped(final long firstVolume, final long lastVolume) {
    }

    /** Called once on the consumer's thread after the last frame (also after a failure): flush and release here. */
    default void onEnd() {
    }
}
