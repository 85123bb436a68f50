package org.beadstream.acquisition.ring;

/**
 * What the ring does after a worker failed, as decided by a {@link RingErrorHandler}.
 *
 * <p>Immutable and thread-safe.
 */
public enum FailureAction {
    /**
     * Stop the run: the source is stopped, the other consumers drain what was already published (the recorder keeps
     * every published frame), and {@link FrameRing#awaitCompletion} throws a {@link FrameRingException}.
     */
    STOP_RUN,
    /**
     * Detach the failed processing consumer and carry on without it (it no longer gates the producer). Only honoured
     * for {@link ConsumerRole#PROCESSOR}s; producer and recorder failures always stop the run.
     */
    DETACH_CONSUMER
}
