package org.beadstream.acquisition.ring;

import java.util.Objects;

/**
 * One failure of a ring worker (the producer, the recorder or a processing consumer) with the context needed to act
 * on it: which worker, at which ring sequence, on which volume and plane.
 *
 * <p>Immutable and thread-safe.
 *
 * @param worker   the worker's name: {@code "producer"} or the consumer's name
 * @param role     the consumer's role, or {@code null} for the producer
 * @param sequence ring sequence being handled, or -1 when none
 * @param volume   volume of the frame being handled, or -1 when unknown
 * @param plane    plane of the frame being handled, or -1 when unknown
 * @param cause    what went wrong
 */
public record RingFailure(String worker, ConsumerRole role, long sequence, long volume, int plane, Throwable cause) {

    /** Checks that the worker and cause are given. */
    public RingFailure {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(cause, "cause");
    }

    /** True when the failing worker is the producer (the source failed or the ring overran). */
    public boolean isProducer() {
        return role == null;
    }

    /** A one-line description: who failed, where, and the cause's message. */
    public String describe() {
        final StringBuilder sb = new StringBuilder(128);
        sb.append(role == null ? "producer" : role == ConsumerRole.RECORDER ? "recorder" : "consumer");
        if (role != null) {
            sb.append(" '").append(worker).append('\'');
        }
        sb.append(" failed");
        if (sequence >= 0) {
            sb.append(" at sequence ").append(sequence);
        }
        if (volume >= 0) {
            sb.append(" (volume ").append(volume).append(", plane ").append(plane).append(')');
        }
        final String message = cause.getMessage();
        // an Error's message alone ("Java heap space") does not say what happened: name the error too
        sb.append(": ").append(message == null ? cause.getClass().getName()
                : cause instanceof Error ? cause.getClass().getSimpleName() + ": " + message : message);
        return sb.toString();
    }
}
