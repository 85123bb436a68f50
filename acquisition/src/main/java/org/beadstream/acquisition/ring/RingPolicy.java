package org.beadstream.acquisition.ring;

/**
 * How the ring treats a consumer that is slower than the source.
 *
 * <p>Immutable and thread-safe.
 */
public enum RingPolicy {
    /**
     * The source cannot be paused (a camera): the producer never waits for processing. Only the recorder gates slot
     * reuse; processing consumers that fall behind skip whole volumes (counted). If the ring fills in front of the
     * recorder, the frame that cannot be stored is dropped (counted) and the run fails loudly.
     */
    LIVE,
    /** The source can wait (files, recordings): every consumer gates slot reuse (back-pressure); nothing is skipped. */
    OFFLINE;

    /** The policy a source asks for: {@link #LIVE} when {@code live}, else {@link #OFFLINE}. */
    public static RingPolicy forSource(final boolean live) {
        return live ? LIVE : OFFLINE;
    }
}
