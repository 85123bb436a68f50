package org.beadstream.acquisition.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.junit.jupiter.api.Test;

class FrameRingValidationTest {

    private static final FrameConsumer NOTHING = (slot, sequence, endOfBatch) -> { };

    private static CounterPatternSource openSource(final int planes, final boolean live) {
        final CounterPatternSource s = new CounterPatternSource(new FrameGeometry(8, 8, planes, 10), 10, live, 0);
        s.open();
        return s;
    }

    private static void assertMessage(final String expected, final Runnable r) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void shouldRejectARingSizeThatIsNotAPowerOfTwo() {
        assertMessage("ring size must be a power of two of at least 2, was 1000",
                () -> FrameRing.builder(openSource(2, false)).ringSize(1000));
        assertMessage("ring size must be a power of two of at least 2, was 0",
                () -> FrameRing.builder(openSource(2, false)).ringSize(0));
        assertMessage("ring size must be a power of two of at least 2, was -8",
                () -> FrameRing.builder(openSource(2, false)).ringSize(-8));
    }

    @Test
    void shouldRejectZeroPlanesAndNegativeRatesInTheGeometry() {
        assertMessage("planes per volume must be at least 1, was 0", () -> new FrameGeometry(8, 8, 0, 10));
        assertMessage("volume rate must be a finite rate >= 0 Hz, was -1.0", () -> new FrameGeometry(8, 8, 2, -1));
    }

    @Test
    void shouldRejectBadTimeoutsThresholdsAndSeconds() {
        assertMessage("read timeout must be positive, was -5 ms",
                () -> FrameRing.builder(openSource(2, false)).readTimeout(Duration.ofMillis(-5)));
        assertMessage("lag threshold must be at least 1 frame, was 0",
                () -> FrameRing.builder(openSource(2, false)).lagThreshold(0));
        assertMessage("ring seconds must be a positive finite number, was -2.0",
                () -> FrameRing.builder(openSource(2, false)).ringSeconds(-2));
        assertMessage("ring memory cap must be positive, was -1 bytes",
                () -> FrameRing.builder(openSource(2, false)).maxRingBytes(-1));
        assertMessage("lag threshold must be below the ring size of 16 frames, was 16",
                () -> FrameRing.builder(openSource(2, false)).ringSize(16).lagThreshold(16).processor("p", NOTHING)
                        .build());
        assertMessage("lag threshold must be at least one volume (8 frames) under the live policy, was 4",
                () -> FrameRing.builder(openSource(8, true)).ringSize(32).lagThreshold(4).processor("p", NOTHING)
                        .build());
    }

    @Test
    void shouldRejectARingTooSmallForTwoVolumesUnderTheLivePolicy() {
        assertMessage("ring of 16 slots holds fewer than two volumes of 30 planes; the live policy needs at least 60",
                () -> FrameRing.builder(openSource(30, true)).ringSize(16).recorder("r", NOTHING).build());
    }

    @Test
    void shouldRejectBadConsumerSets() {
        assertMessage("a ring needs at least one consumer (a recorder or a processor)",
                () -> FrameRing.builder(openSource(2, false)).ringSize(8).build());
        assertMessage("a ring has at most one recorder; 'a' is already the recorder, cannot add 'b'",
                () -> FrameRing.builder(openSource(2, false)).recorder("a", NOTHING).recorder("b", NOTHING));
        assertMessage("consumer name 'p' is already used",
                () -> FrameRing.builder(openSource(2, false)).processor("p", NOTHING).processor("p", NOTHING));
        assertMessage("consumer name must be letters, digits, '_', '.' or '-', was 'a b'",
                () -> FrameRing.builder(openSource(2, false)).processor("a b", NOTHING));
    }

    @Test
    void shouldRejectARingOverItsMemoryCap() {
        assertMessage("ring of 1024 slots of 128 bytes needs 131072 bytes, more than the cap of 100000 bytes;"
                + " use fewer slots or raise the cap",
                () -> FrameRing.builder(openSource(2, false)).ringSize(1024).maxRingBytes(100_000)
                        .processor("p", NOTHING).build());
    }

    @Test
    void shouldRefuseASourceThatIsNotOpen() {
        final CounterPatternSource closed = new CounterPatternSource(new FrameGeometry(8, 8, 2, 10), 10, false, 0);
        final IllegalStateException e = assertThrows(IllegalStateException.class, () -> FrameRing.builder(closed));
        assertEquals("source counter-pattern must be opened before building a ring: counter-pattern is not open",
                e.getMessage());
    }
}
