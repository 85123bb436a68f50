package org.beadstream.acquisition.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FrameRingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Remembers every sequence and checks every frame against the pattern. */
    static final class CheckingConsumer implements FrameConsumer {
        final List<Long> sequences = Collections.synchronizedList(new ArrayList<>());
        final List<Long> volumesDelivered = new ArrayList<>();
        final Set<Long> skipped = new TreeSet<>();
        final Set<Long> corruptVolumes = new TreeSet<>();
        final long sleepNanosPerFrame;
        volatile boolean ended;
        int planesSeen;
        long currentVolume = -1;
        final int planes;

        CheckingConsumer(final int planes, final long sleepNanosPerFrame) {
            this.planes = planes;
            this.sleepNanosPerFrame = sleepNanosPerFrame;
        }

        @Override
        public void onFrame(final FrameSlot slot, final long sequence, final boolean endOfBatch) {
            sequences.add(sequence);
            final long k = slot.sourceFrameNumber() - 1000;
            if (slot.volume() != currentVolume) {
                currentVolume = slot.volume();
                planesSeen = 0;
            }
            if (sleepNanosPerFrame > 0) {
                LockSupport.parkNanos(sleepNanosPerFrame);
            }
            if (!CounterPatternSource.matches(slot, k) || slot.plane() != planesSeen) {
                corruptVolumes.add(currentVolume);
            }
            planesSeen++;
            if (planesSeen == planes) {
                volumesDelivered.add(currentVolume);
            }
        }

        @Override
        public void onVolumesSkipped(final long firstVolume, final long lastVolume) {
            for (long v = firstVolume; v <= lastVolume; v++) {
                skipped.add(v);
            }
        }

        @Override
        public void onEnd() {
            ended = true;
        }
    }

    private static CounterPatternSource open(final CounterPatternSource s) {
        s.open();
        return s;
    }

    private static void assertContiguous(final List<Long> sequences, final long count) {
        assertEquals(count, sequences.size(), "frames delivered");
        for (int i = 0; i < sequences.size(); i++) {
            assertEquals(i, sequences.get(i).longValue(), "sequence at position " + i);
        }
    }

    @Test
    void shouldSkipWholeVolumesForASlowProcessorWhileTheRecorderGetsEveryFrameUnderTheLivePolicy() {
        final RingSnapshot s = runLiveWithSlowProcessor(1024, 64, 2_000_000);
        assertTrue(s.consumers().get(1).volumesSkipped() > 0, "the slow processor must skip volumes");
    }

    @Test
    void shouldCountAVolumeAsSkippedWhenItsSlotIsOverwrittenUnderASlowProcessor() {
        // A lag threshold just below the ring: the producer laps the processor inside a volume.
        final RingSnapshot s = runLiveWithSlowProcessor(512, 508, 6_000_000);
        final ConsumerSnapshot cs = s.consumers().get(1);
        assertTrue(cs.overwritesDetected() > 0, "expected overwrites to be detected, got " + cs);
        assertTrue(cs.volumesSkipped() >= cs.overwritesDetected(), cs.toString());
    }

    private static RingSnapshot runLiveWithSlowProcessor(final int ringSize, final int lagThreshold,
            final long processorNanosPerFrame) {
        final FrameGeometry g = new FrameGeometry(32, 16, 4, 1000);
        final long total = 3000;
        // 2000 frames/s (0.5 ms per frame) for 1.5 s; the processor is 4 to 12 times too slow.
        final CounterPatternSource source = open(new CounterPatternSource(g, total, true, 500_000));
        final CheckingConsumer recorder = new CheckingConsumer(4, 0);
        final CheckingConsumer slow = new CheckingConsumer(4, processorNanosPerFrame);
        final FrameRing ring = FrameRing.builder(source).ringSize(ringSize).lagThreshold(lagThreshold)
                .recorder("rec", recorder).processor("slow", slow).build();
        assertEquals(RingPolicy.LIVE, ring.policy());
        ring.start();
        final RingSnapshot s = ring.awaitCompletion(WAIT);

        assertEquals(total, s.framesProduced());
        assertEquals(total, s.framesRecorded(), "the recorder must get every frame");
        assertEquals(0, s.framesDropped());
        assertContiguous(recorder.sequences, total);
        assertTrue(recorder.corruptVolumes.isEmpty(), "recorder saw corrupt frames in " + recorder.corruptVolumes);

        final ConsumerSnapshot cs = s.consumers().get(1);
        assertEquals(cs.volumesSkipped(), slow.skipped.size(), "counted skips equal the volumes reported skipped");
        assertEquals(slow.sequences.size(), cs.frames(), "frames counted equal the frames delivered");
        assertEquals(total, cs.frames() + cs.framesSkipped(), "every frame is delivered or counted as skipped");
        assertEquals(s.volumesSkipped(), cs.volumesSkipped());
        // Every volume is either delivered whole and intact, or reported skipped; never both, never neither.
        final Set<Long> accounted = new TreeSet<>(slow.skipped);
        for (final long v : slow.volumesDelivered) {
            if (!slow.skipped.contains(v)) {
                assertTrue(accounted.add(v), "volume " + v + " delivered twice");
                assertFalse(slow.corruptVolumes.contains(v), "volume " + v + " delivered corrupt but not skipped");
            }
        }
        for (final long v : slow.corruptVolumes) {
            assertTrue(slow.skipped.contains(v), "corrupt volume " + v + " was not reported skipped");
        }
        assertEquals(total / 4, accounted.size(), "volumes delivered + skipped = all volumes; " + accounted);
        assertTrue(slow.ended && recorder.ended);
        return s;
    }

    @Test
    void shouldApplyBackPressureAndSkipNothingUnderTheOfflinePolicy() {
        final FrameGeometry g = new FrameGeometry(32, 16, 3, 0);
        final long total = 600;
        final CounterPatternSource source = open(new CounterPatternSource(g, total, false, 0));
        final CheckingConsumer fast = new CheckingConsumer(3, 0);
        final CheckingConsumer slow = new CheckingConsumer(3, 200_000);
        final FrameRing ring = FrameRing.builder(source).ringSize(8)
                .processor("fast", fast).processor("slow", slow).build();
        assertEquals(RingPolicy.OFFLINE, ring.policy());
        ring.start();
        final RingSnapshot s = ring.awaitCompletion(WAIT);

        assertEquals(total, s.framesProduced());
        assertEquals(0, s.volumesSkipped());
        assertEquals(0, s.framesDropped());
        assertContiguous(fast.sequences, total);
        assertContiguous(slow.sequences, total);
        assertTrue(slow.corruptVolumes.isEmpty(), "offline frames must never be overwritten: " + slow.corruptVolumes);
        assertEquals(total / 3, slow.volumesDelivered.size());
        for (final ConsumerSnapshot c : s.consumers()) {
            assertEquals(total, c.frames(), c.name());
            assertEquals(total * g.bytesPerPage(), c.bytes(), c.name());
            assertEquals(ConsumerSnapshot.State.FINISHED, c.state());
        }
        assertEquals(0, s.ringFill());
    }

    @Test
    void shouldFailLoudlyNamingTheLagWhenTheRecorderFallsBehindUnderTheLivePolicy() {
        final FrameGeometry g = new FrameGeometry(16, 16, 2, 1000);
        final CounterPatternSource source = open(new CounterPatternSource(g, 100_000, true, 100_000));
        final CheckingConsumer slowRecorder = new CheckingConsumer(2, 5_000_000);
        final FrameRing ring = FrameRing.builder(source).ringSize(16).recorder("raw", slowRecorder).build();
        ring.start();
        final FrameRingException e = assertThrows(FrameRingException.class, () -> ring.awaitCompletion(WAIT));

        assertTrue(e.getMessage().contains("recorder 'raw' is 16 frames behind the source"), e.getMessage());
        assertTrue(e.getMessage().contains("dropped"), e.getMessage());
        assertInstanceOf(RingOverrunException.class, e.getCause());
        assertEquals(16, ((RingOverrunException) e.getCause()).framesBehind());
        final RingSnapshot s = ring.snapshot();
        assertEquals(1, s.framesDropped());
        // No unrecorded slot was overwritten: the recorder drained every published frame, in order.
        assertEquals(s.framesProduced(), s.framesRecorded());
        assertContiguous(slowRecorder.sequences, s.framesProduced());
        assertTrue(slowRecorder.corruptVolumes.isEmpty());
    }

    @Test
    void shouldDrainEveryPublishedFrameOnStop() throws InterruptedException {
        final FrameGeometry g = new FrameGeometry(16, 8, 2, 1000);
        final CounterPatternSource source = open(new CounterPatternSource(g, Long.MAX_VALUE, true, 1_000_000));
        final CheckingConsumer rec = new CheckingConsumer(2, 0);
        final FrameRing ring = FrameRing.builder(source).ringSize(1024).recorder("rec", rec).build();
        ring.start();
        Thread.sleep(200);
        assertTrue(ring.isRunning(), () -> "still running; failures: " + ring.failures());
        assertTrue(ring.snapshot().framesProduced() > 0, "frames are counted while running");
        ring.stop();
        final RingSnapshot s = ring.awaitCompletion(WAIT);
        assertFalse(ring.isRunning());
        assertTrue(s.framesProduced() > 10);
        assertEquals(s.framesProduced(), s.framesRecorded());
        assertContiguous(rec.sequences, s.framesProduced());
        assertTrue(rec.ended);
    }

    @Test
    void shouldReportAConsumerFailureWithSequenceVolumeAndPlaneAndKeepRecording() {
        final FrameGeometry g = new FrameGeometry(8, 8, 4, 0);
        final CounterPatternSource source = open(new CounterPatternSource(g, 200, false, 0));
        final CheckingConsumer rec = new CheckingConsumer(4, 0);
        final FrameConsumer bad = (slot, sequence, endOfBatch) -> {
            if (sequence == 21) {
                throw new IllegalStateException("synthetic processing failure");
            }
        };
        final FrameRing ring = FrameRing.builder(source).ringSize(16).recorder("rec", rec).processor("bad", bad).build();
        ring.start();
        final FrameRingException e = assertThrows(FrameRingException.class, () -> ring.awaitCompletion(WAIT));
        assertTrue(e.getMessage().contains(
                "consumer 'bad' failed at sequence 21 (volume 5, plane 1): synthetic processing failure"),
                e.getMessage());
        final RingSnapshot s = ring.snapshot();
        assertEquals(s.framesProduced(), s.framesRecorded(), "the recorder keeps every published frame");
        assertContiguous(rec.sequences, s.framesProduced());
    }

    @Test
    void shouldDetachAFailedProcessorAndFinishTheRunWhenTheHandlerSaysSo() {
        final FrameGeometry g = new FrameGeometry(8, 8, 4, 0);
        final CounterPatternSource source = open(new CounterPatternSource(g, 400, false, 0));
        final CheckingConsumer rec = new CheckingConsumer(4, 0);
        final List<RingFailure> seen = Collections.synchronizedList(new ArrayList<>());
        final FrameConsumer bad = (slot, sequence, endOfBatch) -> {
            if (sequence == 5) {
                throw new IllegalStateException("boom");
            }
        };
        final FrameRing ring = FrameRing.builder(source).ringSize(16)
                .errorHandler(f -> {
                    seen.add(f);
                    return RingErrorHandler.detachFailedProcessors().onFailure(f);
                })
                .recorder("rec", rec).processor("bad", bad).build();
        ring.start();
        final RingSnapshot s = ring.awaitCompletion(WAIT);
        assertEquals(400, s.framesRecorded());
        assertEquals(1, seen.size());
        assertEquals("bad", seen.get(0).worker());
        assertEquals(5, seen.get(0).sequence());
        assertEquals(1, seen.get(0).volume());
        assertEquals(1, seen.get(0).plane());
        assertEquals(1, s.failures().size());
        assertEquals(ConsumerSnapshot.State.FAILED, s.consumers().get(1).state());
    }

    @Test
    void shouldSurfaceASourceFailureNamingTheSource() {
        final FrameGeometry g = new FrameGeometry(8, 8, 2, 0);
        final CounterPatternSource source = open(new CounterPatternSource(g, 100, false, 0).failAt(7));
        final CheckingConsumer rec = new CheckingConsumer(2, 0);
        final FrameRing ring = FrameRing.builder(source).ringSize(8).recorder("rec", rec).build();
        ring.start();
        final FrameRingException e = assertThrows(FrameRingException.class, () -> ring.awaitCompletion(WAIT));
        assertInstanceOf(FrameSourceException.class, e.getCause());
        assertTrue(e.getMessage().contains("producer failed at sequence 7: counter-pattern: synthetic failure at frame 7"),
                e.getMessage());
        assertEquals(7, ring.snapshot().framesRecorded());
    }

    @Test
    void shouldExportCountersAsSnakeCaseForRunJson() {
        final FrameGeometry g = new FrameGeometry(8, 8, 2, 0);
        final CounterPatternSource source = open(new CounterPatternSource(g, 10, false, 0));
        final FrameRing ring = FrameRing.builder(source).ringSize(8).recorder("rec", new CheckingConsumer(2, 0))
                .build();
        ring.start();
        final var map = ring.awaitCompletion(WAIT).toMap();
        assertEquals(10L, map.get("frames_produced"));
        assertEquals(10L, map.get("frames_recorded"));
        assertEquals(0L, map.get("frames_dropped"));
        assertEquals(0L, map.get("volumes_skipped"));
        assertEquals(10L * 8 * 8 * 2, map.get("bytes_recorded"));
        assertTrue(map.containsKey("mb_per_s") && map.containsKey("seconds"));
        assertTrue(ring.counters().toString() != null);
    }
}
