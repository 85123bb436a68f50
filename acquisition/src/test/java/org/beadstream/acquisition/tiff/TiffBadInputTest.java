package org.beadstream.acquisition.tiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.beadstream.acquisition.frame.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TiffBadInputTest {

    @TempDir
    Path dir;

    private Path write(final String name, final byte[] bytes) throws IOException {
        final Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private TiffFormatException failsToOpen(final Path f) {
        return assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(TiffFormatException.class, () -> TiffReader.open(f).close()));
    }

    private static void assertMessage(final TiffFormatException e, final String file, final String... parts) {
        assertTrue(e.getMessage().contains(file), "names the file: " + e.getMessage());
        for (final String p : parts) {
            assertTrue(e.getMessage().contains(p), "says '" + p + "': " + e.getMessage());
        }
    }

    private static byte[] twoPages() {
        return TiffBuilder.classic().build(16, 8, TiffBuilder.pattern(16, 8, 1, 16, true),
                TiffBuilder.pattern(16, 8, 2, 16, true));
    }

    @Test
    void shouldRejectAMissingFileByName() {
        final TiffFormatException e = failsToOpen(dir.resolve("absent.tif"));
        assertMessage(e, "absent.tif", "no such file");
    }

    @Test
    void shouldRejectAnEmptyFileAndAFileThatIsNotATiff() throws IOException {
        assertMessage(failsToOpen(write("empty.tif", new byte[0])), "empty.tif", "not a TIFF file");
        assertMessage(failsToOpen(write("text.tif", "hello, this is not an image".getBytes())), "text.tif",
                "does not start with II or MM");
        final byte[] wrongVersion = {'I', 'I', 44, 0, 8, 0, 0, 0, 0, 0};
        assertMessage(failsToOpen(write("v44.tif", wrongVersion)), "v44.tif", "version 44");
    }

    @Test
    void shouldRejectAnIfdChainThatLoopsBackInsteadOfHanging() throws IOException {
        final TiffBuilder b = TiffBuilder.classic();
        final byte[] f = b.build(16, 8, TiffBuilder.pattern(16, 8, 1, 16, true),
                TiffBuilder.pattern(16, 8, 2, 16, true));
        // point page 1's next-IFD at page 0's IFD
        final long ifd1 = b.ifdOffsets.get(1);
        final ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        final int n = bb.getShort((int) ifd1) & 0xFFFF;
        bb.putInt((int) ifd1 + 2 + n * 12, b.ifdOffsets.get(0).intValue());
        assertMessage(failsToOpen(write("loop.tif", f)), "loop.tif", "page 2", "loops");
        // and an IFD pointing at itself
        bb.putInt((int) ifd1 + 2 + n * 12, (int) ifd1);
        assertMessage(failsToOpen(write("self.tif", f)), "self.tif", "loops");
    }

    @Test
    void shouldRejectATruncatedFileNamingThePage() throws IOException {
        final TiffBuilder b = TiffBuilder.bigTiff();
        final byte[] f = b.build(64, 32, TiffBuilder.pattern(64, 32, 1, 16, true),
                TiffBuilder.pattern(64, 32, 2, 16, true));
        // cut inside page 1's pixel data: its IFD (after its data) is gone too, so page 0's next pointer dangles
        final byte[] cut = Arrays.copyOf(f, (int) (b.firstSegment.get(1) + 100));
        assertMessage(failsToOpen(write("cut.tif", cut)), "cut.tif", "past the end of the file");
        // cut just before the end: page 1's IFD is complete but its next pointer is lost
        final byte[] cut2 = Arrays.copyOf(f, f.length - 3);
        final TiffFormatException e = failsToOpen(write("cut2.tif", cut2));
        assertMessage(e, "cut2.tif", "page 1");
    }

    @Test
    void shouldRejectStripOffsetsPastTheEnd() throws IOException {
        final TiffBuilder b = TiffBuilder.classic();
        final byte[] f = b.build(16, 8, TiffBuilder.pattern(16, 8, 1, 16, true));
        final ByteBuffer bb = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
        final int ifd = b.ifdOffsets.get(0).intValue();
        final int n = bb.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < n; i++) {
            if ((bb.getShort(ifd + 2 + i * 12) & 0xFFFF) == 273) {
                bb.putInt(ifd + 2 + i * 12 + 8, f.length - 10);
            }
        }
        assertMessage(failsToOpen(write("off.tif", f)), "off.tif", "page 0", "strip 0", "past the end of the file");
    }

    @Test
    void shouldRejectAFirstIfdOffsetPastTheEnd() throws IOException {
        final byte[] f = twoPages();
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0x7FFFFFF0);
        assertMessage(failsToOpen(write("ifd.tif", f)), "ifd.tif", "past the end of the file");
    }

    @Test
    void shouldRejectCompressedPagesNamingTheCompression() throws IOException {
        final TiffBuilder b = TiffBuilder.classic();
        b.compression = 5;
        assertMessage(failsToOpen(write("lzw.tif", b.build(16, 8, TiffBuilder.pattern(16, 8, 1, 16, true)))),
                "lzw.tif", "page 0", "compressed", "LZW");
    }

    @Test
    void shouldRejectUnsupportedSampleTypesAndColour() throws IOException {
        final TiffBuilder f32 = TiffBuilder.classic();
        f32.bits = 16;
        f32.sampleFormat = 3;
        assertMessage(failsToOpen(write("float.tif", f32.build(4, 4, new short[16]))), "float.tif",
                "unsupported sample type");
        final TiffBuilder rgb = TiffBuilder.classic();
        rgb.samplesPerPixel = 3;
        assertMessage(failsToOpen(write("rgb.tif", rgb.build(4, 4, new short[16]))), "rgb.tif",
                "3 samples per pixel");
    }

    @Test
    void shouldRejectAPageThatTheSlotCannotHold() throws IOException {
        final Path f = write("big.tif", twoPages());
        try (TiffReader r = TiffReader.open(f)) {
            final FrameSlot small = new FrameSlot(16);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> r.readPage(0, small));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        }
    }

    @Test
    void shouldReportAFileThatShrankAfterOpening() throws IOException {
        final Path f = write("shrink.tif", twoPages());
        try (TiffReader r = TiffReader.open(f)) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(20);
            }
            final FrameSlot slot = new FrameSlot(16 * 8 * 2);
            final TiffFormatException e = assertThrows(TiffFormatException.class, () -> r.readPage(1, slot));
            assertMessage(e, "shrink.tif", "page 1", "file ends");
        }
    }

    @Test
    void shouldRejectInconsistentPageSizesAcrossFilesNamingTheOddFile() throws IOException {
        final Path a = write("rec_00001.tif", twoPages());
        final Path b = write("rec_00002.tif", TiffBuilder.classic().build(16, 9, new short[16 * 9]));
        final Path c = write("rec_00010.tif", twoPages());
        assertEquals(List.of(a, b, c), TiffStack.recordingFiles(c).stream().map(p -> dir.resolve(p.getFileName()))
                .toList(), "numeric order, not lexical");
        final TiffFormatException e = assertThrows(TiffFormatException.class, () -> TiffStack.openRecording(a));
        assertMessage(e, "rec_00002.tif", "page 0", "16 x 9", "inconsistent page sizes");
    }

    @Test
    void shouldReadASplitRecordingAsOneSequence() throws IOException {
        write("s_00001.tif", twoPages());
        write("s_00002.tif", TiffBuilder.classic().build(16, 8, TiffBuilder.pattern(16, 8, 7, 16, true)));
        try (TiffStack s = TiffStack.openRecording(dir.resolve("s_00002.tif"))) {
            assertEquals(3, s.pageCount());
            assertEquals(2, s.fileCount());
            assertEquals(1, s.fileIndexOf(2));
            final FrameSlot slot = new FrameSlot(16 * 8 * 2);
            s.readPage(2, slot);
            final short[] expect = TiffBuilder.pattern(16, 8, 7, 16, true);
            for (int i = 0; i < expect.length; i++) {
                assertEquals(expect[i], slot.pixel(i % 16, i / 16));
            }
        }
    }
}
