package org.beadstream.acquisition.ring;

/**
 * Counters of one consumer at one moment.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name               the consumer's name
 * @param role               recorder or processor
 * @param frames             frames delivered to it (for the recorder: frames recorded)
 * @param bytes              page bytes delivered to it
 * @param volumesSkipped     whole volumes it skipped because it fell behind (live policy only)
 * @param framesSkipped      frames not delivered because of those skips
 * @param overwritesDetected slots found overwritten while it held them (each one made its volume skipped)
 * @param lag                published frames it has not finished (producer cursor minus its sequence)
 * @param state              running, finished, or failed
 */
public record ConsumerSnapshot(String name, ConsumerRole role, long frames, long bytes, long volumesSkipped,
        long framesSkipped, long overwritesDetected, long lag, State state) {

    /** Where a consumer stands. */
    public enum State {
        /** Not yet started. */
        NEW,
        /** Receiving frames. */
        RUNNING,
        /** Drained and ended normally. */
        FINISHED,
        /** Failed (detached or stopped the run). */
        FAILED
    }
}
