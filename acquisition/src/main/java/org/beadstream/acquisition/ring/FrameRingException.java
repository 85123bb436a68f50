package org.beadstream.acquisition.ring;

import java.util.List;

/**
 * A ring run that failed: the source failed, the ring overran in front of the recorder under the live policy, or a
 * consumer failed and its failure stopped the run. The message lists every failure; the first one's cause is the
 * cause, the others are suppressed exceptions.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public final class FrameRingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<RingFailure> failures;

    /** A failed run with its failures (at least one). */
    public FrameRingException(final String message, final List<RingFailure> failures) {
        super(message, failures.isEmpty() ? null : failures.get(0).cause());
        this.failures = List.copyOf(failures);
        for (int i = 1; i < failures.size(); i++) {
            addSuppressed(failures.get(i).cause());
        }
    }

    /** Every failure of the run, first first. */
    public List<RingFailure> failures() {
        return failures;
    }
}
