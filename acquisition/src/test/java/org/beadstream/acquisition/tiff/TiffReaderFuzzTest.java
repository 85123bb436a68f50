package org.beadstream.acquisition.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.scanimage.FrameDescription;
import org.beadstream.acquisition.scanimage.ScanImageFormatException;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the TIFF parser and the ScanImage metadata parsers with Jazzer. In a normal {@code mvn test} each
 * {@code @FuzzTest} runs once per seed in {@code src/test/resources/.../TiffReaderFuzzTestInputs/<method>/} (valid
 * files of every layout, plus what fuzzing found); with {@code JAZZER_FUZZ=1} it fuzzes. The property: any input is
 * either read or rejected with our format exception, never another exception, a hang or an OutOfMemoryError.
 */
class TiffReaderFuzzTest {

    private static Path file;

    @BeforeAll
    static void makeFile() throws IOException {
        file = Files.createTempFile("fuzz", ".tif");
    }

    @AfterAll
    static void removeFile() throws IOException {
        Files.deleteIfExists(file);
    }

    @FuzzTest(maxDuration = "3m")
    void anyFileIsReadOrRejectedWithAFormatException(final byte[] data) throws IOException {
        Files.write(file, data);
        try (TiffReader r = TiffReader.open(file)) {
            for (int p = 0; p < Math.min(r.pageCount(), 16); p++) {
                final TiffPage page = r.page(p);
                final FrameSlot slot = new FrameSlot(page.width() * page.height() * 2);
                r.readPage(p, slot);
                r.text(p, TiffReader.DESCRIPTION);
                r.text(p, TiffReader.SOFTWARE);
                r.text(p, TiffReader.ARTIST);
            }
            if (ScanImageMetadata.isScanImage(r)) {
                final ScanImageMetadata m = ScanImageMetadata.read(r);
                m.version();
                m.channelsSaved();
                m.frameRateHz();
                m.volumeRateHz();
                m.strips(r.page(0).width(), r.page(0).height());
            }
        } catch (TiffFormatException | ScanImageFormatException expected) {
            // a clear rejection is the correct outcome for malformed input
        }
    }

    @FuzzTest(maxDuration = "3m")
    void anyHeaderTextIsParsedOrRejectedWithAFormatException(final byte[] data) {
        final String text = new String(data, StandardCharsets.ISO_8859_1);
        final int cut = text.indexOf('\u0001');
        final String software = cut >= 0 ? text.substring(0, cut) : text;
        final String artist = cut >= 0 ? text.substring(cut + 1) : "";
        try {
            final ScanImageMetadata m = ScanImageMetadata.parse("fuzz", software, software, artist);
            m.version();
            m.channelsSaved();
            m.frameRateHz();
            m.volumeRateHz();
            m.bidirectional();
            m.averageFactor();
            m.flyToLinesFromTiming();
            m.strips(512, 4096);
            m.toSoftwareText();
        } catch (ScanImageFormatException expected) {
            // garbled metadata must be rejected with a clear message
        }
        final ByteBuffer b = ByteBuffer.allocate(data.length);
        b.put(data);
        new FrameDescription().parse(b, data.length);
    }
}
