package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.junit.jupiter.api.Test;

class SimulatedLbmSourceTest {

    private static final long WAIT = TimeUnit.SECONDS.toNanos(5);

    static short[] pageOf(final FrameSlot slot) {
        final short[] out = new short[slot.width() * slot.height()];
        for (int y = 0; y < slot.height(); y++) {
            for (int x = 0; x < slot.width(); x++) {
                out[y * slot.width() + x] = slot.pixel(x, y);
            }
        }
        return out;
    }

    private static short[][] firstPages(final SimulationParameters p, final int frames) {
        try (SimulatedLbmSource src = SimulatedLbmSource.offline(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            final short[][] pages = new short[frames][];
            for (int k = 0; k < frames; k++) {
                assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
                pages[k] = pageOf(slot);
            }
            return pages;
        }
    }

    @Test
    void shouldProduceByteIdenticalPagesForTheSameSeed() {
        final SimulationParameters p = SimulationParameters.builder("small").seed(7).build();
        final short[][] a = firstPages(p, 14);
        final short[][] b = firstPages(p, 14);
        for (int k = 0; k < a.length; k++) {
            assertArrayEquals(a[k], b[k], "page " + k);
        }
    }

    @Test
    void shouldProduceDifferentPagesForADifferentSeed() {
        final short[][] a = firstPages(SimulationParameters.builder("small").seed(7).build(), 3);
        final short[][] b = firstPages(SimulationParameters.builder("small").seed(8).build(), 3);
        for (int k = 0; k < a.length; k++) {
            int differing = 0;
            for (int i = 0; i < a[k].length; i++) {
                if (a[k][i] != b[k][i]) {
                    differing++;
                }
            }
            assertTrue(differing > a[k].length / 2, "page " + k + " differs in only " + differing + " pixels");
        }
    }

    @Test
    void shouldProduceTheSamePagesLiveAsOffline() {
        final SimulationParameters p = SimulationParameters.builder("small").seed(9).volumeRateHz(200).build();
        final short[][] offline = firstPages(p, 12);
        try (SimulatedLbmSource src = SimulatedLbmSource.live(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            for (int k = 0; k < offline.length; k++) {
                assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
                assertEquals(k, slot.sourceFrameNumber(), "no frame lost at 1200 frames/s");
                assertArrayEquals(offline[k], pageOf(slot), "page " + k);
            }
        }
    }

    @Test
    void shouldAllocateNothingPerFrame() {
        final java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (!(threads instanceof com.sun.management.ThreadMXBean counting)
                || !counting.isThreadAllocatedMemorySupported()) {
            org.junit.jupiter.api.Assumptions.abort("this JVM cannot count allocated bytes per thread");
            return;
        }
        try (SimulatedLbmSource src = SimulatedLbmSource.offline(SimulationParameters.preset("small"))) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            for (int k = 0; k < 600; k++) { // warm up: let the JIT compile the frame path
                src.read(slot, 0);
            }
            final long tid = Thread.currentThread().getId();
            final long before = counting.getThreadAllocatedBytes(tid);
            for (int k = 0; k < 600; k++) {
                src.read(slot, 0);
            }
            final long allocated = counting.getThreadAllocatedBytes(tid) - before;
            // 600 frames; a single boxed value or view per frame would already exceed 9 KB
            assertTrue(allocated < 4096, allocated + " bytes allocated for 600 frames");
        }
    }

    @Test
    void shouldInterleavePlanesFastestWithNominalTimestamps() {
        final SimulationParameters p = SimulationParameters.builder("small").volumes(3).build();
        try (SimulatedLbmSource src = SimulatedLbmSource.offline(p)) {
            assertFalse(src.isLive());
            src.open();
            final FrameGeometry g = src.geometry();
            assertEquals(new FrameGeometry(68, 264, 6, 10.0), g);
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(g);
            for (int k = 0; k < 18; k++) {
                assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
                assertEquals(k / 6, slot.volume(), "volume of frame " + k);
                assertEquals(k % 6, slot.plane(), "plane of frame " + k);
                assertEquals(k, slot.sourceFrameNumber());
                assertEquals(k * 1e9 / 60, slot.timestampNanos(), 1.0, "timestamp of frame " + k);
                assertEquals(68, slot.width());
                assertEquals(264, slot.height());
            }
            assertEquals(ReadStatus.END_OF_STREAM, src.read(slot, WAIT), "3 volumes end the stream");
            assertEquals(0, src.framesLostAtSource());
        }
    }

    @Test
    void shouldRenderEachPageFromItsOwnPlaneAndVolume() {
        // Interleaving by content: page k must be plane k % P of volume k / P of the truth.
        final SimulationParameters p = SimulationParameters.builder("small").noise(false).build();
        final LbmSimulation sim = new LbmSimulation(p);
        final LbmLayout lay = sim.layout();
        final float[] truth = new float[lay.planeWidth() * lay.planeHeight()];
        try (SimulatedLbmSource src = new SimulatedLbmSource(sim, false)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            for (int k = 0; k < 12; k++) {
                src.read(slot, WAIT);
                sim.renderAssembledPlane(k / 6, k % 6, truth, RenderOptions.MOTION);
                // even rows carry no scan phase: they are the truth, rounded
                for (int s = 0; s < lay.strips(); s++) {
                    for (int r = 0; r < lay.stripHeight(); r += 2) {
                        for (int j = lay.trimLeft(); j < lay.stripWidth() - lay.trimRight(); j++) {
                            final float t = truth[r * lay.planeWidth() + lay.assembledColumn(s, j)];
                            assertEquals(PlaneRenderer.quantise(t), slot.pixel(j, lay.stripFirstLine(s) + r),
                                    "frame " + k + " strip " + s + " row " + r + " column " + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void shouldPaceLiveFramesAtTheNominalRate() {
        final SimulationParameters p = SimulationParameters.builder("small").volumes(2).build();
        try (SimulatedLbmSource src = SimulatedLbmSource.live(p)) {
            assertTrue(src.isLive());
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            long first = Long.MIN_VALUE;
            long previous = Long.MIN_VALUE;
            for (int k = 0; k < 12; k++) {
                assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
                if (previous != Long.MIN_VALUE) {
                    assertEquals(1e9 / 60, slot.timestampNanos() - previous, 2.0, "frame period at 60 frames/s");
                }
                previous = slot.timestampNanos();
                first = k == 0 ? previous : first;
                assertTrue(System.nanoTime() >= slot.timestampNanos(), "a frame is never delivered before it is due");
            }
            final double elapsed = (System.nanoTime() - first) / 1e9;
            assertTrue(elapsed >= 11 / 60.0, "12 frames at 60/s take at least 11 periods, took " + elapsed);
            assertEquals(ReadStatus.END_OF_STREAM, src.read(slot, WAIT));
        }
    }

    @Test
    void shouldTimeOutWhenTheNextLiveFrameIsNotDueYet() {
        final SimulationParameters p = SimulationParameters.builder("small").volumeRateHz(0.01).build();
        try (SimulatedLbmSource src = SimulatedLbmSource.live(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            assertEquals(ReadStatus.FRAME, src.read(slot, WAIT), "frame 0 is due at once");
            assertEquals(ReadStatus.TIMEOUT, src.read(slot, TimeUnit.MILLISECONDS.toNanos(5)));
            assertEquals(0, slot.sourceFrameNumber(), "a timeout leaves the slot unchanged");
        }
    }

    @Test
    void shouldCountFramesLostByALiveReaderThatFallsBehind() throws InterruptedException {
        final SimulationParameters p = SimulationParameters.builder("small").volumeRateHz(100).liveBufferFrames(4)
                .build();
        try (SimulatedLbmSource src = SimulatedLbmSource.live(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
            Thread.sleep(100); // 60 frames are due meanwhile; the camera holds 4
            assertEquals(ReadStatus.FRAME, src.read(slot, WAIT));
            final long lost = src.framesLostAtSource();
            assertTrue(lost >= 50, "lost " + lost + " frames");
            assertEquals(lost + 1, slot.sourceFrameNumber(), "the frame number jumps over the lost frames");
            assertEquals(slot.sourceFrameNumber() / 6, slot.volume());
        }
    }

    @Test
    void shouldEndAWaitingLiveReadWhenStoppedFromAnotherThread() throws Exception {
        final SimulationParameters p = SimulationParameters.builder("small").volumeRateHz(0.01).build();
        try (SimulatedLbmSource src = SimulatedLbmSource.live(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            src.read(slot, WAIT);
            final CompletableFuture<ReadStatus> pending = CompletableFuture.supplyAsync(
                    () -> src.read(slot, TimeUnit.SECONDS.toNanos(30)));
            Thread.sleep(50);
            src.stop();
            assertEquals(ReadStatus.END_OF_STREAM, pending.get(2, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldEnforceTheLifecycleNamingTheSource() {
        final SimulatedLbmSource src = SimulatedLbmSource.offline(SimulationParameters.builder("small").seed(3).build());
        assertEquals("sim:small(seed=3)", src.name());
        final IllegalStateException early = assertThrows(IllegalStateException.class, src::geometry);
        assertEquals("sim:small(seed=3): geometry() needs an open source, state is NEW", early.getMessage());
        src.open();
        final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
        final IllegalStateException notStarted = assertThrows(IllegalStateException.class, () -> src.read(slot, 0));
        assertEquals("sim:small(seed=3): read() called in state OPEN, expected RUNNING", notStarted.getMessage());
        assertThrows(IllegalStateException.class, src::open);
        src.start();
        final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> src.read(new FrameSlot(1024), 0));
        assertEquals("sim:small(seed=3): slot of 1024 bytes cannot hold a page of 35904 bytes", small.getMessage());
        src.stop();
        assertEquals(ReadStatus.END_OF_STREAM, src.read(slot, 0));
        src.close();
        src.close();
        assertThrows(IllegalStateException.class, () -> src.read(slot, 0));
    }

    @Test
    void shouldPutOnlyReadNoiseOnFlyToLinesAndLightOnStrips() {
        final SimulationParameters p = SimulationParameters.builder("small").noise(false).build();
        try (SimulatedLbmSource src = SimulatedLbmSource.offline(p)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            src.read(slot, WAIT);
            final LbmLayout lay = src.simulation().layout();
            for (int line = 0; line < lay.pageHeight(); line++) {
                double sum = 0;
                for (int x = 0; x < lay.pageWidth(); x++) {
                    sum += slot.pixel(x, line);
                }
                final double mean = sum / lay.pageWidth();
                if (lay.stripOfLine(line) < 0) {
                    assertEquals(80.0, mean, 0.0, "fly-to line " + line + " holds the offset only");
                } else {
                    assertTrue(mean > 80 + 20, "strip line " + line + " collects light, mean " + mean);
                }
            }
            assertEquals(-1, lay.stripOfLine(128));
            assertEquals(-1, lay.stripOfLine(135));
            assertEquals(1, lay.stripOfLine(136));
        }
    }
}
