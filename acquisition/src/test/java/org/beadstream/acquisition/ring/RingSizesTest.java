package org.beadstream.acquisition.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.junit.jupiter.api.Test;

class RingSizesTest {

    /** Config A: 30 planes of 145 x 2478 int16 at 9.608 volumes/s (288 frames/s, 718,620 bytes per page). */
    private static final FrameGeometry CONFIG_A = new FrameGeometry(145, 2478, 30, 9.608);

    @Test
    void shouldRoundTwoSecondsOfConfigAUpToAPowerOfTwo() {
        // 2 s x 288.24 frames/s = 577 frames -> 1024 slots (735 MB).
        assertEquals(1024, RingSizes.slotsForSeconds(CONFIG_A, 2.0, 1L << 31));
        assertEquals(1024 * 718_620L, RingSizes.bytesFor(CONFIG_A, 1024));
        assertEquals(1024 / (9.608 * 30), RingSizes.secondsHeld(CONFIG_A, 1024), 1e-9);
    }

    @Test
    void shouldCapTheRingAtTheMemoryBudget() {
        // 512 MiB holds 747 pages -> 512 slots.
        assertEquals(512, RingSizes.slotsForSeconds(CONFIG_A, 10.0, 512L << 20));
    }

    @Test
    void shouldNeverGoBelowTwoVolumes() {
        assertEquals(64, RingSizes.slotsForSeconds(CONFIG_A, 0.001, 1L << 31));
    }

    @Test
    void shouldRejectACapThatCannotHoldTwoVolumes() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RingSizes.slotsForSeconds(CONFIG_A, 2.0, 10_000_000));
        assertEquals("a ring memory cap of 10000000 bytes holds 13 pages of 718620 bytes, fewer than two volumes of 30"
                + " planes (60 pages); raise the cap", e.getMessage());
    }

    @Test
    void shouldRejectNegativeSecondsAndUnknownRates() {
        assertEquals("ring seconds must be a positive finite number, was -1.0",
                assertThrows(IllegalArgumentException.class,
                        () -> RingSizes.slotsForSeconds(CONFIG_A, -1, 1L << 30)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RingSizes.slotsForSeconds(new FrameGeometry(8, 8, 2, 0), 1, 1L << 30)).getMessage()
                .startsWith("cannot size a ring in seconds for a source with an unknown volume rate"));
    }

    @Test
    void shouldRecognisePowersOfTwo() {
        assertTrue(RingSizes.isPowerOfTwo(1024));
        assertFalse(RingSizes.isPowerOfTwo(1000));
        assertFalse(RingSizes.isPowerOfTwo(0));
        assertFalse(RingSizes.isPowerOfTwo(-4));
    }
}
