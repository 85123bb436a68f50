package org.beadstream.acquisition.ring;

/**
 * Decides what happens when a ring worker fails (an extension point; inject one with
 * {@link FrameRing.Builder#errorHandler}). Every failure is also kept by the ring and reported by
 * {@link FrameRing#failures()} and {@link RingSnapshot#failures()}, whatever the handler answers.
 *
 * <p>Called on the failing worker's thread; implementations must be thread-safe (several workers may fail at once).
 */
public interface RingErrorHandler {

    /**
     * Called once per failure.
     *
     * @param failure the failure, with worker, sequence, volume and plane
     * @return what the ring does next; {@link FailureAction#DETACH_CONSUMER} is only honoured for processing consumers
     */
    FailureAction onFailure(RingFailure failure);

    /** The default: every failure stops the run. */
    static RingErrorHandler stopOnFailure() {
        return failure -> FailureAction.STOP_RUN;
    }

    /**
     * Keeps recording when processing fails: a failing processing consumer is detached; producer and recorder
     * failures still stop the run.
     */
    static RingErrorHandler detachFailedProcessors() {
        return failure -> failure.role() == ConsumerRole.PROCESSOR ? FailureAction.DETACH_CONSUMER
                : FailureAction.STOP_RUN;
    }
}
