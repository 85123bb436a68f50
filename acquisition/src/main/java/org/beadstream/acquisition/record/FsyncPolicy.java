package org.beadstream.acquisition.record;

/**
 * When the {@link RawRecorder} forces written data to the storage device ({@code FileChannel.force(false)}, i.e.
 * fdatasync). Data handed to the operating system survives a crash of the JVM (kill -9) under every policy; the policy
 * only bounds what a power failure or kernel crash can lose.
 *
 * <p>Immutable and thread-safe.
 */
public enum FsyncPolicy {
    /** Force only when a file is finished (rollover, close): fastest; a power cut loses what the OS had not written. */
    ON_CLOSE,
    /** Also force after a batch when at least one second has passed since the last force: loses at most ~1 s. */
    EVERY_SECOND,
    /** Force after every batch: safest and slowest (each batch waits for the device). */
    EVERY_BATCH
}
