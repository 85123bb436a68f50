package org.beadstream.traces.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.beadstream.traces.sink.VolumeTraces;
import org.junit.jupiter.api.Test;

class LiveTraceStreamTest {

    private static void publish(final LiveTraceStream s, final VolumeTraces vt, final long v) {
        vt.f()[0] = v;
        vt.set(v, v * 0.1, -1);
        s.onVolume(vt);
    }

    @Test
    void shouldDeliverEveryVolumeInOrderToAFastConsumer() throws Exception {
        final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(100);
        try (LiveTraceStream s = new LiveTraceStream(3)) {
            final LiveTraceStream.Subscription sub = s.subscribe("fast", 128, t -> {
                assertEquals(t.volume(), (long) t.f()[0]);
                seen.add(t.volume());
                done.countDown();
            });
            final VolumeTraces vt = new VolumeTraces(3);
            for (long v = 0; v < 100; v++) {
                publish(s, vt, v);
            }
            assertTrue(done.await(10, TimeUnit.SECONDS), "delivered " + seen.size());
            assertEquals(0, sub.dropped());
            assertEquals(100, sub.delivered());
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void shouldDropAndCountWhenAConsumerIsSlowWithoutBlockingThePipeline() throws Exception {
        final CountDownLatch release = new CountDownLatch(1);
        try (LiveTraceStream s = new LiveTraceStream(2)) {
            final LiveTraceStream.Subscription sub = s.subscribe("slow", 4, t -> {
                try {
                    release.await();
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            final VolumeTraces vt = new VolumeTraces(2);
            final long start = System.nanoTime();
            for (long v = 0; v < 1000; v++) {
                publish(s, vt, v);
            }
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs < 2000, "publishing 1000 volumes took " + elapsedMs + " ms");
            // ring of 4: at most 4 buffered plus the one in the consumer's hands
            assertTrue(sub.dropped() >= 1000 - 5, "dropped " + sub.dropped());
            // the blocked consumer never advances: every volume is either buffered (at most 4) or dropped
            final long backlog = sub.backlog();
            assertTrue(backlog <= 4, "backlog " + backlog);
            assertEquals(1000, sub.dropped() + backlog);
            release.countDown();
        }
    }

    @Test
    void shouldRejectARingThatIsNotAPowerOfTwo() {
        try (LiveTraceStream s = new LiveTraceStream(1)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.subscribe("bad", 6, t -> { }));
            assertEquals("live ring capacity must be a power of two >= 2, was 6", e.getMessage());
        }
    }
}
