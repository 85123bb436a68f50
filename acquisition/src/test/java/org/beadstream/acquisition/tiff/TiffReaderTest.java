package org.beadstream.acquisition.tiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TiffReaderTest {

    @TempDir
    Path dir;

    private static long sum(final FrameSlot s) {
        long t = 0;
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                t += s.pixel(x, y);
            }
        }
        return t;
    }

    private static short[] pixels(final FrameSlot s) {
        final short[] p = new short[s.width() * s.height()];
        for (int i = 0; i < p.length; i++) {
            p[i] = s.buffer().getShort(i * 2, ByteOrder.LITTLE_ENDIAN);
        }
        return p;
    }

    @Test
    void shouldReadTheScanImage2021BigTiffExactly() {
        try (TiffReader r = TiffReader.open(
                SharedData.file("scanimage/si2021-single-roi/hostpixelcorr_noavg_00001_00001.tif"))) {
            assertTrue(r.isBigTiff());
            assertEquals(2, r.pageCount());
            assertEquals(512, r.page(0).width());
            assertEquals(512, r.page(0).height());
            assertEquals(PixelType.INT16, r.page(0).pixelType());
            final FrameSlot slot = new FrameSlot(512 * 512 * 2);
            r.readPage(0, slot);
            assertEquals(254_789_341L, sum(slot), "page 0 sum computed with numpy");
            assertEquals(417, slot.pixel(0, 0));
            assertEquals(603, slot.pixel(1, 0));
            r.readPage(1, slot);
            assertEquals(271_787_600L, sum(slot), "page 1 sum computed with numpy");
            assertTrue(r.text(0, TiffReader.SOFTWARE).startsWith("SI.LINE_FORMAT_VERSION = 1"));
            assertTrue(r.text(0, TiffReader.ARTIST).contains("RoiGroups"));
            assertTrue(r.text(1, TiffReader.DESCRIPTION).startsWith("frameNumbers = 1"));
        }
    }

    @Test
    void shouldReadLegacyScanImage3Uint16PagesInTwoStrips() {
        try (TiffReader r = TiffReader.open(SharedData.file("scanimage/si38-legacy/Blank-IPA_1s_16r_032.tif"))) {
            assertFalse(r.isBigTiff());
            assertEquals(30, r.pageCount());
            assertEquals(PixelType.UINT16, r.page(0).pixelType());
            assertEquals(2, r.page(0).segmentCount());
            final FrameSlot slot = new FrameSlot(64 * 64 * 2);
            long total = 0;
            for (int p = 0; p < r.pageCount(); p++) {
                r.readPage(p, slot);
                total += sum(slot);
            }
            assertEquals(5_767_841L, total, "sum of all pages computed with numpy");
            assertEquals(0, r.saturatedPixels());
        }
    }

    @Test
    void shouldReadAPlainStackWithEightStripsPerPage() {
        try (TiffReader r = TiffReader.open(SharedData.file("movies/sima-ca1-20x128x256.tif"))) {
            assertEquals(20, r.pageCount());
            assertEquals(256, r.page(0).width());
            assertEquals(128, r.page(0).height());
            assertEquals(8, r.page(0).segmentCount());
            final FrameSlot slot = new FrameSlot(256 * 128 * 2);
            long total = 0;
            for (int p = 0; p < r.pageCount(); p++) {
                r.readPage(p, slot);
                total += sum(slot);
                if (p == 0) {
                    assertEquals(36_379_098L, total);
                }
            }
            assertEquals(718_163_711L, total);
        }
    }

    @Test
    void shouldMatchTheNumpyCopyOfTheThunderMovie() throws IOException {
        final Path npy = SharedData.file("movies/thunder-mouse-500x64x64.npy");
        final ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
        final int headerLen = b.getShort(8) & 0xFFFF;
        final int dataAt = 10 + headerLen;
        try (TiffReader r = TiffReader.open(SharedData.file("movies/thunder-mouse-500x64x64.tif"))) {
            assertEquals(500, r.pageCount());
            final FrameSlot slot = new FrameSlot(64 * 64 * 2);
            for (int p = 0; p < 500; p += 37) {
                r.readPage(p, slot);
                for (int i = 0; i < 64 * 64; i++) {
                    assertEquals(b.getShort(dataAt + (p * 4096 + i) * 2), slot.buffer().getShort(i * 2,
                            ByteOrder.LITTLE_ENDIAN), "page " + p + " pixel " + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "big={0} order={1} bits={2} signed={3} rowsPerStrip={4} tile={5} reversed={6}")
    @CsvSource({
        "false, LE, 16, true, 0, 0, false",
        "true, LE, 16, true, 0, 0, false",
        "false, BE, 16, true, 0, 0, false",
        "true, BE, 16, false, 0, 0, false",
        "false, LE, 16, false, 7, 0, false",
        "false, LE, 16, true, 5, 0, true",
        "true, BE, 16, true, 3, 0, true",
        "false, LE, 8, false, 0, 0, false",
        "true, BE, 8, true, 4, 0, false",
        "false, LE, 16, true, 0, 16, false",
        "true, BE, 16, false, 0, 16, true",
        "false, LE, 8, true, 0, 16, false",
    })
    void shouldReadEveryLayoutAndSampleTypeIdentically(final boolean big, final String order, final int bits,
            final boolean signed, final int rowsPerStrip, final int tile, final boolean reversed) throws IOException {
        final TiffBuilder b = big ? TiffBuilder.bigTiff() : TiffBuilder.classic();
        b.order = order.equals("LE") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        b.bits = bits;
        b.sampleFormat = signed ? 2 : 1;
        b.rowsPerStrip = rowsPerStrip;
        b.tileWidth = tile;
        b.tileHeight = tile;
        b.reverseSegments = reversed;
        final int w = 37;
        final int h = 23;
        final short[] p0 = TiffBuilder.pattern(w, h, 1, bits, signed);
        final short[] p1 = TiffBuilder.pattern(w, h, 2, bits, signed);
        final Path f = dir.resolve("t.tif");
        Files.write(f, b.build(w, h, p0, p1));
        try (TiffReader r = TiffReader.open(f)) {
            assertEquals(2, r.pageCount());
            assertEquals(big, r.isBigTiff());
            final FrameSlot slot = new FrameSlot(w * h * 2);
            r.readPage(0, slot);
            assertArrayEquals(p0, pixels(slot));
            r.readPage(1, slot);
            assertArrayEquals(p1, pixels(slot));
            if (rowsPerStrip == 0 && tile == 0) {
                assertTrue(r.page(0).contiguousOffset() >= 0, "single strip is one read");
            }
        }
    }

    @Test
    void shouldSaturateUnsigned16BitValuesAboveTheInt16RangeAndCountThem() throws IOException {
        final TiffBuilder b = TiffBuilder.classic();
        b.sampleFormat = 1;
        final short[] p = {0, 1, 32767, (short) 32768, (short) 65535, 100};
        final Path f = dir.resolve("u.tif");
        Files.write(f, b.build(3, 2, p));
        try (TiffReader r = TiffReader.open(f)) {
            final FrameSlot slot = new FrameSlot(12);
            r.readPage(0, slot);
            assertArrayEquals(new short[] {0, 1, 32767, 32767, 32767, 100}, pixels(slot));
            assertEquals(2, r.saturatedPixels());
        }
    }

    @Test
    void shouldReadIntoACallersHeapBufferAndLeaveItsPositionAlone() throws IOException {
        final short[] p = TiffBuilder.pattern(8, 4, 3, 16, true);
        final Path f = dir.resolve("h.tif");
        Files.write(f, TiffBuilder.classic().build(8, 4, p));
        try (TiffReader r = TiffReader.open(f)) {
            final ByteBuffer dst = ByteBuffer.allocate(100).order(ByteOrder.LITTLE_ENDIAN);
            dst.position(5).limit(70);
            r.readPage(0, dst);
            assertEquals(5, dst.position());
            assertEquals(70, dst.limit());
            for (int i = 0; i < p.length; i++) {
                assertEquals(p[i], dst.getShort(i * 2));
            }
        }
    }

    @Test
    void shouldRoundTripPagesThroughTheWriterInBothFlavours() throws IOException {
        for (final boolean big : new boolean[] {false, true}) {
            final Path f = dir.resolve("w" + big + ".tif");
            final FrameSlot slot = new FrameSlot(40 * 30 * 2);
            slot.setShape(40, 30);
            try (TiffWriter w = TiffWriter.create(f, big, null)) {
                for (int k = 0; k < 3; k++) {
                    for (int y = 0; y < 30; y++) {
                        for (int x = 0; x < 40; x++) {
                            slot.setPixel(x, y, (short) (x * 100 - y * 7 + k * 1000 - 2000));
                        }
                    }
                    w.writePage(slot, k == 1 ? null : "page " + k);
                }
            }
            try (TiffReader r = TiffReader.open(f)) {
                assertEquals(big, r.isBigTiff());
                assertEquals(3, r.pageCount());
                final FrameSlot in = new FrameSlot(40 * 30 * 2);
                for (int k = 0; k < 3; k++) {
                    r.readPage(k, in);
                    assertEquals(40, in.width());
                    for (int y = 0; y < 30; y++) {
                        for (int x = 0; x < 40; x++) {
                            assertEquals((short) (x * 100 - y * 7 + k * 1000 - 2000), in.pixel(x, y));
                        }
                    }
                }
                assertEquals("page 0", r.text(0, TiffReader.DESCRIPTION));
                assertEquals("", r.text(1, TiffReader.DESCRIPTION));
                assertEquals("page 2", r.text(2, TiffReader.DESCRIPTION));
            }
        }
    }
}
