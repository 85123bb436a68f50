package org.beadstream.acquisition.scanimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.tiff.SharedData;
import org.beadstream.acquisition.tiff.TiffStackSource;
import org.beadstream.acquisition.tiff.TiffWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanImageSourceTest {

    @TempDir
    Path dir;

    private static ScanImageSource open(final Path f) {
        final ScanImageSource s = new ScanImageSource(f);
        s.open();
        s.start();
        return s;
    }

    @Test
    void shouldReadTheScanImage2021FileAsOneVolumeOfTwoPlanes() {
        try (ScanImageSource s = open(SharedData.file(ScanImageMetadataTest.SI2021))) {
            assertEquals(new FrameGeometry(512, 512, 2, 30.0169), s.geometry());
            final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
            assertEquals(ReadStatus.FRAME, s.read(slot, 0));
            assertEquals(0, slot.volume());
            assertEquals(0, slot.plane());
            assertEquals(1, slot.sourceFrameNumber());
            assertEquals(0, slot.timestampNanos());
            assertEquals(417, slot.pixel(0, 0));
            assertEquals(ReadStatus.FRAME, s.read(slot, 0));
            assertEquals(1, slot.plane());
            assertEquals(ReadStatus.END_OF_STREAM, s.read(slot, 0));
            assertEquals(0, s.framesLostAtSource());
        }
    }

    @Test
    void shouldReadTheLegacyFileWithTimesFromItsFrameRate() {
        try (ScanImageSource s = open(SharedData.file(ScanImageMetadataTest.SI38))) {
            assertEquals(new FrameGeometry(64, 64, 1, 8.13802083333333), s.geometry());
            final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
            int n = 0;
            while (s.read(slot, 0) == ReadStatus.FRAME) {
                assertEquals(n, slot.volume());
                assertEquals(Math.round(n / 8.13802083333333 * 1e9), slot.timestampNanos());
                assertEquals(FrameSlot.NO_FRAME_NUMBER, slot.sourceFrameNumber());
                n++;
            }
            assertEquals(30, n);
        }
    }

    @Test
    void shouldCountGapsInFrameNumbersAcrossFiles() {
        final FrameGeometry g = new FrameGeometry(16, 10, 3, 5.0);
        final ScanImageMetadata header = ScanImageWriter.lbmHeader(null, g,
                ScanImageWriter.sideBySideStrips(2, 16, 4), 2, true);
        final FrameSlot slot = FrameSlot.forGeometry(g);
        final long[] frameNumbers = {1, 2, 5, 6, 8};
        try (ScanImageWriter w = ScanImageWriter.create(dir, "gap", header, g, 2)) {
            for (int v = 0; v < frameNumbers.length; v++) {
                for (int p = 0; p < 3; p++) {
                    slot.setPixel(0, 0, (short) (v * 10 + p));
                    slot.setHeader(v, p, (frameNumbers[v] - 1) * 200_000_000L, frameNumbers[v]);
                    w.write(slot);
                }
            }
            assertEquals(3, w.files().size());
        }
        try (ScanImageSource s = open(dir.resolve("gap_00001_00003.tif"))) {
            assertEquals(15, s.pageCount());
            assertEquals(3, s.geometry().planes());
            assertEquals(List.of(0, 1), s.metadata().strips(16, 10).stream().map(RoiStrip::column).toList());
            final FrameSlot in = FrameSlot.forGeometry(s.geometry());
            int k = 0;
            while (s.read(in, 0) == ReadStatus.FRAME) {
                assertEquals(k / 3, in.volume());
                assertEquals(k % 3, in.plane());
                assertEquals(frameNumbers[k / 3], in.sourceFrameNumber());
                assertEquals((frameNumbers[k / 3] - 1) * 200_000_000L, in.timestampNanos());
                assertEquals((short) ((k / 3) * 10 + k % 3), in.pixel(0, 0));
                k++;
            }
            assertEquals(15, k);
            assertEquals(3, s.scanImageFramesLost(), "2 -> 5 loses 3 and 4, 6 -> 8 loses 7");
            assertEquals(9, s.framesLostAtSource(), "3 lost frames of 3 planes each");
        }
    }

    @Test
    void shouldStopPromptlyAndEnforceTheLifecycle() {
        final ScanImageSource s = new ScanImageSource(SharedData.file(ScanImageMetadataTest.SI38));
        assertThrows(IllegalStateException.class, s::geometry);
        s.open();
        final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
        assertThrows(IllegalStateException.class, () -> s.read(slot, 0));
        s.start();
        assertEquals(ReadStatus.FRAME, s.read(slot, 0));
        s.stop();
        assertEquals(ReadStatus.END_OF_STREAM, s.read(slot, 0));
        s.close();
        s.close();
    }

    @Test
    void shouldRejectAPlainTiffWithoutScanImageMetadata() {
        final ScanImageSource s = new ScanImageSource(SharedData.file("movies/sima-ca1-20x128x256.tif"));
        final ScanImageFormatException e = assertThrows(ScanImageFormatException.class, s::open);
        assertTrue(e.getMessage().contains("sima-ca1-20x128x256.tif"), e.getMessage());
        assertTrue(e.getMessage().contains("no ScanImage metadata"), e.getMessage());
        s.close();
    }

    @Test
    void shouldRejectGarbledRoiJsonInTheArtistTag() throws IOException {
        final Path f = dir.resolve("garbled.tif");
        final byte[] sw = "SI.VERSION_MAJOR = 2021\nSI.hChannels.channelSave = 1\n\0".getBytes(StandardCharsets.UTF_8);
        final byte[] art = "{\"RoiGroups\": {\"imagingRoiGroup\": [[[\0".getBytes(StandardCharsets.UTF_8);
        final byte[] prelude = new byte[sw.length + art.length];
        System.arraycopy(sw, 0, prelude, 0, sw.length);
        System.arraycopy(art, 0, prelude, sw.length, art.length);
        try (TiffWriter w = TiffWriter.create(f, true, prelude)) {
            w.shareText(305, w.preludeOffset(), sw.length);
            w.shareText(315, w.preludeOffset() + sw.length, art.length);
            w.writePage(ByteBuffer.allocate(32), 4, 4, "frameNumbers = 1\n");
        }
        final ScanImageSource s = new ScanImageSource(f);
        final FrameSourceException e = assertThrows(ScanImageFormatException.class, s::open);
        assertTrue(e.getMessage().contains("garbled.tif: garbled ROI JSON"), e.getMessage());
        s.close();
        assertTrue(Files.exists(f));
    }

    @Test
    void shouldStreamAPlainStackWithInterleavedPlanes() {
        final TiffStackSource s = new TiffStackSource(List.of(SharedData.file("movies/sima-ca1-20x128x256.tif")), 4,
                2.0);
        s.open();
        s.start();
        try {
            assertEquals(new FrameGeometry(256, 128, 4, 2.0), s.geometry());
            final FrameSlot slot = FrameSlot.forGeometry(s.geometry());
            int k = 0;
            while (s.read(slot, 0) == ReadStatus.FRAME) {
                assertEquals(k / 4, slot.volume());
                assertEquals(k % 4, slot.plane());
                assertEquals(Math.round((k / 4) / 2.0 * 1e9), slot.timestampNanos());
                k++;
            }
            assertEquals(20, k);
        } finally {
            s.close();
        }
        final TiffStackSource sought = new TiffStackSource(List.of(SharedData.file("movies/sima-ca1-20x128x256.tif")),
                4, 2.0);
        sought.open();
        try {
            sought.seek(12);
            sought.start();
            final FrameSlot slot = FrameSlot.forGeometry(sought.geometry());
            assertEquals(ReadStatus.FRAME, sought.read(slot, 0));
            assertEquals(3, slot.volume(), "page 12 starts volume 3");
            assertEquals(0, slot.plane());
            assertThrows(IllegalArgumentException.class, () -> sought.seek(21));
        } finally {
            sought.close();
        }
        final TiffStackSource bad = new TiffStackSource(List.of(SharedData.file("movies/sima-ca1-20x128x256.tif")), 3,
                0);
        final FrameSourceException e = assertThrows(FrameSourceException.class, bad::open);
        assertTrue(e.getMessage().contains("not a whole number of volumes of 3 planes"), e.getMessage());
    }
}
