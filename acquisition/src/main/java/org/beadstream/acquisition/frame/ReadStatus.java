package org.beadstream.acquisition.frame;

/**
 * What {@link FrameSource#read(FrameSlot, long)} did with the slot it was given.
 *
 * <p>Immutable and thread-safe.
 */
public enum ReadStatus {
    /** The slot now holds a complete frame with its header. */
    FRAME,
    /** No frame arrived within the timeout; the slot is unchanged. Live sources only. */
    TIMEOUT,
    /** The stream has ended (a file's last page, a stopped acquisition); no further frames will come. */
    END_OF_STREAM
}
