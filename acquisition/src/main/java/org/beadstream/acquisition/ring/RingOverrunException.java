package org.beadstream.acquisition.ring;

/**
 * The ring filled up in front of the recorder under the live policy: a frame from the source could not be stored and
 * was dropped. The message says how far behind the recorder was; the run stops.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public final class RingOverrunException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long framesBehind;

    /** An overrun with the recorder {@code framesBehind} frames behind the producer. */
    public RingOverrunException(final String message, final long framesBehind) {
        super(message);
        this.framesBehind = framesBehind;
    }

    /** How many published frames the recorder had not yet released when the frame was dropped. */
    public long framesBehind() {
        return framesBehind;
    }
}
