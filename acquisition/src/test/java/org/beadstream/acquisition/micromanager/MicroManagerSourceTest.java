package org.beadstream.acquisition.micromanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.record.RawRecorder;
import org.beadstream.acquisition.record.RawRecordingSource;
import org.beadstream.acquisition.ring.FrameRing;
import org.beadstream.acquisition.ring.RingSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MicroManagerSourceTest {

    private static final long MS = 1_000_000;

    private static short[] page(final int width, final int height, final long k) {
        final short[] pix = new short[width * height];
        for (int i = 0; i < pix.length; i++) {
            pix[i] = (short) (k * 1009 + i);
        }
        return pix;
    }

    private static MicroManagerSource openedSource(final RecordingCMMCore core, final int planes) {
        final MicroManagerSource s = MicroManagerSource.builder(core).planesPerVolume(planes).volumeRateHz(5)
                .stallTimeout(Duration.ofMillis(300)).build();
        s.open();
        return s;
    }

    @Test
    void shouldCallMmCoreInOrderFromOpenToStop() {
        final RecordingCMMCore core = new RecordingCMMCore("LBM-Digitiser", 6, 4);
        core.addImage(page(6, 4, 0), 0, 0.0).addImage(page(6, 4, 1), 1, 10.0);
        final MicroManagerSource s = openedSource(core, 2);
        s.start();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        assertEquals(ReadStatus.FRAME, s.read(slot, 10 * MS));
        assertEquals(ReadStatus.FRAME, s.read(slot, 10 * MS));
        s.stop();
        assertEquals(ReadStatus.END_OF_STREAM, s.read(slot, 10 * MS));
        s.close();
        assertEquals(List.of("getCameraDevice", "getBytesPerPixel", "getImageWidth", "getImageHeight",
                "getNumberOfCameraChannels", "startSequenceAcquisition(LBM-Digitiser,2147483647,0.0,true)",
                "popNextTaggedImage", "popNextTaggedImage", "stopSequenceAcquisition(LBM-Digitiser)"), core.calls);
        assertEquals("micromanager camera 'LBM-Digitiser'", s.name());
        assertTrue(s.isLive());
    }

    @Test
    void shouldMapImageNumbersToVolumePlaneTimestampAndPixels() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 5, 3);
        for (int k = 0; k < 9; k++) {
            core.addImage(page(5, 3, k), 100 + k, 12.5 * k);
        }
        final MicroManagerSource s = openedSource(core, 3);
        s.start();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        for (int k = 0; k < 9; k++) {
            assertEquals(ReadStatus.FRAME, s.read(slot, 10 * MS));
            assertEquals(k / 3, slot.volume(), "volume of image " + k);
            assertEquals(k % 3, slot.plane(), "plane of image " + k);
            assertEquals(100 + k, slot.sourceFrameNumber());
            assertEquals(Math.round(12.5 * k * 1e6), slot.timestampNanos(), "ElapsedTime-ms in ns");
            assertEquals(5, slot.width());
            assertEquals(3, slot.height());
            final short[] expected = page(5, 3, k);
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 5; x++) {
                    assertEquals(expected[y * 5 + x], slot.pixel(x, y), "pixel " + x + "," + y + " of image " + k);
                }
            }
        }
        assertEquals(0, s.framesLostAtSource());
    }

    @Test
    void shouldCountImageNumberGapsAsFramesLostAndKeepPlanesAligned() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 2, 2);
        core.addImage(page(2, 2, 0), 0, 0).addImage(page(2, 2, 1), 1, 1).addImage(page(2, 2, 5), 5, 5);
        final MicroManagerSource s = openedSource(core, 4);
        s.start();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        s.read(slot, MS);
        s.read(slot, MS);
        s.read(slot, MS);
        assertEquals(3, s.framesLostAtSource());
        assertEquals(1, slot.volume());
        assertEquals(1, slot.plane());
    }

    @Test
    void shouldFailNamingTheCameraAndLostFramesWhenTheCircularBufferOverflows() {
        final RecordingCMMCore core = new RecordingCMMCore("Hamamatsu", 2, 2);
        core.addImage(page(2, 2, 0), 0, 0).addImage(page(2, 2, 1), 1, 1).addImage(page(2, 2, 3), 3, 3);
        final MicroManagerSource s = openedSource(core, 2);
        s.start();
        core.overflow();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        // images still in the buffer are delivered first
        assertEquals(ReadStatus.FRAME, s.read(slot, MS));
        assertEquals(ReadStatus.FRAME, s.read(slot, MS));
        assertEquals(ReadStatus.FRAME, s.read(slot, MS));
        final FrameSourceException e = assertThrows(FrameSourceException.class, () -> s.read(slot, MS));
        assertEquals("micromanager camera 'Hamamatsu': MMCore circular buffer overflowed after image 3 (buffer holds"
                + " 100 images): MMCore stopped the sequence; at least 1 frame was lost there (2 lost in this"
                + " acquisition, 3 delivered). Enlarge the circular buffer (setCircularBufferMemoryFootprint) or lower"
                + " the frame rate", e.getMessage());
        assertEquals(2, s.framesLostAtSource());
    }

    @Test
    void shouldFailWithAClearTimeoutNamingTheCameraWhenNoImageArrives() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 2, 2);
        core.addImage(page(2, 2, 0), 0, 0);
        final MicroManagerSource s = openedSource(core, 1);
        s.start();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        assertEquals(ReadStatus.FRAME, s.read(slot, MS));
        assertEquals(ReadStatus.TIMEOUT, s.read(slot, 20 * MS), "a short read times out quietly");
        final FrameSourceException e = assertThrows(FrameSourceException.class, () -> {
            while (true) {
                s.read(slot, 100 * MS);
            }
        });
        assertTrue(e.getMessage().startsWith("micromanager camera 'Cam': no image for 0."), e.getMessage());
        assertTrue(e.getMessage().endsWith("s (stall timeout 0.3 s) after 1 images (last image number 0); is the camera"
                + " triggered?"), e.getMessage());
    }

    @Test
    void shouldEndWhenAFiniteSequenceIsCompleteAndFailWhenItStopsShort() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 2, 2);
        core.addImage(page(2, 2, 0), 0, 0).addImage(page(2, 2, 1), 1, 1);
        final MicroManagerSource complete = MicroManagerSource.builder(core).frames(2).build();
        complete.open();
        complete.start();
        core.finish();
        final FrameSlot slot = FrameSlot.forGeometry(complete.geometry());
        assertEquals(ReadStatus.FRAME, complete.read(slot, MS));
        assertEquals(ReadStatus.FRAME, complete.read(slot, MS));
        assertEquals(ReadStatus.END_OF_STREAM, complete.read(slot, MS));

        final RecordingCMMCore core2 = new RecordingCMMCore("Cam", 2, 2);
        core2.addImage(page(2, 2, 0), 0, 0);
        final MicroManagerSource shortRun = MicroManagerSource.builder(core2).frames(5).build();
        shortRun.open();
        shortRun.start();
        core2.finish();
        assertEquals(ReadStatus.FRAME, shortRun.read(slot, MS));
        assertEquals("micromanager camera 'Cam': the sequence acquisition stopped after 1 of 5 images"
                + " (isSequenceRunning() is false, no overflow reported)",
                assertThrows(FrameSourceException.class, () -> shortRun.read(slot, MS)).getMessage());
    }

    @Test
    void shouldRejectCamerasThatCannotFeedTheRing() {
        assertEquals("micromanager camera 'Cam8': delivers 1 bytes per pixel; BeadStream records 16-bit pages"
                + " (2 bytes per pixel): set the camera's pixel type to 16 bit",
                assertThrows(FrameSourceException.class,
                        () -> openedSource(new RecordingCMMCore("Cam8", 4, 4).bytesPerPixel(1), 1)).getMessage());
        assertEquals("micromanager: no camera is configured in MMCore (getCameraDevice() is empty); load a hardware"
                + " configuration or name the camera",
                assertThrows(FrameSourceException.class,
                        () -> openedSource(new RecordingCMMCore("", 4, 4), 1)).getMessage());
        assertTrue(assertThrows(FrameSourceException.class,
                () -> openedSource(new RecordingCMMCore("Multi", 4, 4).channels(2), 1)).getMessage()
                .startsWith("micromanager camera 'Multi': has 2 camera channels"));
    }

    @Test
    void shouldRefuseImagesOfTheWrongSizeTypeOrOrder() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 4, 4);
        core.addImage(page(4, 3, 0), 0, 0);
        final MicroManagerSource wrongSize = openedSource(core, 1);
        wrongSize.start();
        final FrameSlot slot = FrameSlot.forGeometry(wrongSize.geometry());
        assertEquals("micromanager camera 'Cam': delivered an image of 12 pixels, expected 4 x 4 (did the ROI or"
                + " binning change during acquisition?)",
                assertThrows(FrameSourceException.class, () -> wrongSize.read(slot, MS)).getMessage());

        final RecordingCMMCore bytes = new RecordingCMMCore("Cam", 2, 2);
        bytes.addImageObject(new byte[4], 0);
        final MicroManagerSource wrongType = openedSource(bytes, 1);
        wrongType.start();
        assertEquals("micromanager camera 'Cam': the first image has pixels of type byte[], expected short[] (16-bit)",
                assertThrows(FrameSourceException.class, () -> wrongType.read(slot, MS)).getMessage());

        final RecordingCMMCore order = new RecordingCMMCore("Cam", 2, 2);
        order.addImage(page(2, 2, 0), 7, 0).addImage(page(2, 2, 1), 5, 1);
        final MicroManagerSource outOfOrder = openedSource(order, 1);
        outOfOrder.start();
        final FrameSlot small = FrameSlot.forGeometry(outOfOrder.geometry());
        assertEquals(ReadStatus.FRAME, outOfOrder.read(small, MS));
        assertEquals("micromanager camera 'Cam': delivered image number 5 after 7 (out of order or repeated)",
                assertThrows(FrameSourceException.class, () -> outOfOrder.read(small, MS)).getMessage());
    }

    @Test
    void shouldRejectInvalidSettingsWithClearMessages() {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 2, 2);
        assertEquals("planes per volume must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> MicroManagerSource.builder(core).planesPerVolume(0)).getMessage());
        assertEquals("volume rate must be a finite rate >= 0 Hz, was -2.0", assertThrows(IllegalArgumentException.class,
                () -> MicroManagerSource.builder(core).volumeRateHz(-2)).getMessage());
        assertEquals("stall timeout must be positive, was -1 ms", assertThrows(IllegalArgumentException.class,
                () -> MicroManagerSource.builder(core).stallTimeout(Duration.ofMillis(-1))).getMessage());
        assertEquals("frame count must be at least 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> MicroManagerSource.builder(core).frames(0)).getMessage());
        assertEquals("frame interval must be a finite time >= 0 ms, was -1.0",
                assertThrows(IllegalArgumentException.class,
                        () -> MicroManagerSource.builder(core).intervalMs(-1)).getMessage());
    }

    @Test
    void shouldRecordTheImagesStillInMmCoresBufferWhenTheRingIsStopped(@TempDir final Path dir) {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 16, 8);
        for (int k = 0; k < 40; k++) {
            core.addImage(page(16, 8, k), k, k);
        }
        final MicroManagerSource source = MicroManagerSource.builder(core).planesPerVolume(4).build();
        source.open();
        final FrameRing[] holder = new FrameRing[1];
        final FrameRing ring = FrameRing.builder(source).ringSize(64)
                .recorder("raw", RawRecorder.builder(dir, source.geometry()).build())
                .processor("stopper", (slot, sequence, endOfBatch) -> {
                    holder[0].stop(); // the user presses stop at the first frame, with images still in MMCore's buffer
                }).build();
        holder[0] = ring;
        ring.start();
        final RingSnapshot snap = ring.awaitCompletion(Duration.ofSeconds(20));
        assertEquals(40, snap.framesProduced(), "every image MMCore had buffered is read after stop");
        assertEquals(40, snap.framesRecorded());
        assertEquals(40, RawRecordingSource.scan(dir, true).frames());
        assertTrue(core.calls.contains("stopSequenceAcquisition(Cam)"));
    }

    @Test
    void shouldRecordEveryCameraImageThroughTheRing(@TempDir final Path dir) {
        final RecordingCMMCore core = new RecordingCMMCore("Cam", 16, 8);
        for (int k = 0; k < 60; k++) {
            core.addImage(page(16, 8, k), k, k * 2.0);
        }
        final MicroManagerSource source = MicroManagerSource.builder(core).planesPerVolume(3).volumeRateHz(5)
                .frames(60).build();
        source.open();
        final RawRecorder recorder = RawRecorder.builder(dir, source.geometry()).build();
        // MMCore hands over a burst of 60 buffered images at once: the ring must hold them.
        final FrameRing ring = FrameRing.builder(source).ringSize(64).recorder("raw", recorder).build();
        ring.start();
        final RingSnapshot snap = ring.awaitCompletion(Duration.ofSeconds(20));
        assertEquals(60, snap.framesProduced());
        assertEquals(60, snap.framesRecorded());
        assertEquals(0, snap.framesLostAtSource());
        assertTrue(core.calls.contains("stopSequenceAcquisition(Cam)"), core.calls.toString());
        try (RawRecordingSource back = new RawRecordingSource(dir)) {
            back.open();
            back.start();
            final FrameSlot slot = FrameSlot.forGeometry(back.geometry());
            for (int k = 0; k < 60; k++) {
                assertEquals(ReadStatus.FRAME, back.read(slot, 0));
                assertEquals(k, slot.sourceFrameNumber());
                assertEquals(k / 3, slot.volume());
                assertEquals((short) (k * 1009 + 17), slot.pixel(1, 1));
            }
            assertEquals(ReadStatus.END_OF_STREAM, back.read(slot, 0));
        }
    }
}
