package org.beadstream.acquisition.ring;

import org.beadstream.acquisition.frame.FrameGeometry;

/**
 * Sizing helpers for a {@link FrameRing}: how many slots hold a given number of seconds of data, rounded up to a
 * power of two and capped by a memory budget.
 *
 * <p>Stateless and thread-safe.
 */
public final class RingSizes {

    /** Largest ring the Disruptor can index with an int, and far more than any rig needs. */
    public static final int MAX_SLOTS = 1 << 24;

    private RingSizes() {
    }

    /** True when {@code n} is a positive power of two. */
    public static boolean isPowerOfTwo(final long n) {
        return n > 0 && (n & (n - 1)) == 0;
    }

    /**
     * The slot count that holds {@code seconds} of frames of {@code geometry} at its nominal frame rate, rounded up to a
     * power of two, at least two volumes, and at most {@code maxBytes} of page memory (then the largest power of two
     * that fits).
     *
     * @param geometry stream geometry with a known (positive) volume rate
     * @param seconds  seconds of data the ring should absorb, positive
     * @param maxBytes memory budget for the slots in bytes, positive
     * @return a power-of-two slot count
     * @throws IllegalArgumentException when an argument is invalid, or when the memory cap cannot hold two volumes
     */
    public static int slotsForSeconds(final FrameGeometry geometry, final double seconds, final long maxBytes) {
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("ring seconds must be a positive finite number, was " + seconds);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("ring memory cap must be positive, was " + maxBytes + " bytes");
        }
        if (!(geometry.volumeRateHz() > 0)) {
            throw new IllegalArgumentException("cannot size a ring in seconds for a source with an unknown volume rate"
                    + " (0 Hz); give a slot count instead");
        }
        final long minSlots = 2L * geometry.planes();
        final double wanted = Math.ceil(seconds * geometry.frameRateHz());
        long slots = roundUpToPowerOfTwo((long) Math.max(minSlots, Math.min(wanted, MAX_SLOTS)));
        final long bytesPerSlot = geometry.bytesPerPage();
        final long fitting = Math.min(MAX_SLOTS, maxBytes / bytesPerSlot);
        if (slots > fitting) {
            slots = Long.highestOneBit(Math.max(1, fitting));
        }
        if (slots < minSlots || fitting < 1) {
            throw new IllegalArgumentException("a ring memory cap of " + maxBytes + " bytes holds " + fitting
                    + " pages of " + bytesPerSlot + " bytes, fewer than two volumes of " + geometry.planes()
                    + " planes (" + minSlots + " pages); raise the cap");
        }
        return (int) slots;
    }

    /** Seconds of data a ring of {@code slots} holds at the nominal rate of {@code geometry} (infinite if unknown). */
    public static double secondsHeld(final FrameGeometry geometry, final int slots) {
        final double rate = geometry.frameRateHz();
        return rate > 0 ? slots / rate : Double.POSITIVE_INFINITY;
    }

    /** Bytes of page memory a ring of {@code slots} slots takes for {@code geometry}. */
    public static long bytesFor(final FrameGeometry geometry, final int slots) {
        return (long) slots * geometry.bytesPerPage();
    }

    private static long roundUpToPowerOfTwo(final long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }
}
