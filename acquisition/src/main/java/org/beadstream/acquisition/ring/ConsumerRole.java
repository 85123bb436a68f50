package org.beadstream.acquisition.ring;

/**
 * What a consumer is to the ring: the recorder (lossless, gates slot reuse under both policies) or a processing stage
 * (gates only under {@link RingPolicy#OFFLINE}; skips whole volumes under {@link RingPolicy#LIVE} when behind).
 *
 * <p>Immutable and thread-safe.
 */
public enum ConsumerRole {
    /** The lossless raw recorder; at most one per ring. */
    RECORDER,
    /** A processing stage (volume assembly, registration, extraction, display). */
    PROCESSOR
}
