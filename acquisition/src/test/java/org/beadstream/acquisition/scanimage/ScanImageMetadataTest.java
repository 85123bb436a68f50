package org.beadstream.acquisition.scanimage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.beadstream.acquisition.tiff.SharedData;
import org.beadstream.acquisition.tiff.TiffReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanImageMetadataTest {

    static final String SI2021 = "scanimage/si2021-single-roi/hostpixelcorr_noavg_00001_00001.tif";
    static final String SI38 = "scanimage/si38-legacy/Blank-IPA_1s_16r_032.tif";
    static final String MESO = "scanimage/mesoscope-multiroi/scanimage-header.json";

    @TempDir
    Path dir;

    @Test
    void shouldParseTheScanImage2021HeaderFromTheSoftwareAndArtistTags() {
        try (TiffReader r = TiffReader.open(SharedData.file(SI2021))) {
            final ScanImageMetadata m = ScanImageMetadata.read(r);
            assertEquals(ScanImageMetadata.Generation.SCANIMAGE_2016_PLUS, m.generation());
            assertEquals("2021.0.0", m.version());
            assertArrayEquals(new int[] {1, 2}, m.channelsSaved());
            assertEquals(2, m.planes());
            assertEquals(30.0169, m.frameRateHz(), 1e-9);
            assertEquals(30.0169, m.volumeRateHz(), 1e-9);
            assertTrue(m.bidirectional());
            assertFalse(m.multiRoi());
            assertEquals(512, m.linesPerFrame());
            assertEquals(1, m.scanFields().size());
            final ScanField f = m.scanFields().get(0);
            assertEquals(512, f.pixelsX());
            assertEquals(512, f.pixelsY());
            assertEquals(18, f.sizeX(), 1e-12);
            assertEquals(List.of(new RoiStrip(0, 0, 512, 512, 0, 0.0)), m.strips(512, 512));
            assertEquals(0, m.flyToLines(512));
        }
    }

    @Test
    void shouldMatchTheSavedSoftwareTagText() throws IOException {
        final String saved = Files.readString(SharedData.file("scanimage/si2021-single-roi/software_tag.txt"));
        final String json = Files.readString(SharedData.file("scanimage/si2021-single-roi/artist_tag.json"));
        final ScanImageMetadata m = ScanImageMetadata.parse("saved", saved, "", json);
        try (TiffReader r = TiffReader.open(SharedData.file(SI2021))) {
            assertEquals(ScanImageMetadata.read(r).values(), m.values());
        }
    }

    @Test
    void shouldReadATemplateHeaderFromATiffAJsonExportOrASavedSoftwareTag() {
        assertEquals("2021.0.0", ScanImageMetadata.readHeader(SharedData.file(SI2021)).version());
        assertEquals("2015.4", ScanImageMetadata.readHeader(SharedData.file(MESO)).version());
        final ScanImageMetadata txt = ScanImageMetadata.readHeader(
                SharedData.file("scanimage/si2021-single-roi/software_tag.txt"));
        assertEquals(30.0169, txt.frameRateHz(), 1e-9);
        final ScanImageFormatException e = assertThrows(ScanImageFormatException.class,
                () -> ScanImageMetadata.readHeader(SharedData.file("scanimage/si38-legacy/ORIGIN.txt")));
        assertTrue(e.getMessage().contains("no ScanImage metadata"), e.getMessage());
    }

    @Test
    void shouldParseTheLegacyScanImage3StateHeader() {
        try (TiffReader r = TiffReader.open(SharedData.file(SI38))) {
            final ScanImageMetadata m = ScanImageMetadata.read(r);
            assertEquals(ScanImageMetadata.Generation.SCANIMAGE_3, m.generation());
            assertEquals("3.8", m.version());
            assertEquals(8.13802083333333, m.frameRateHz(), 1e-12);
            assertEquals(8.13802083333333, m.volumeRateHz(), 1e-12);
            assertArrayEquals(new int[] {2}, m.channelsSaved());
            assertTrue(m.bidirectional());
            assertEquals(64, m.linesPerFrame());
            assertEquals(64, m.pixelsPerLine());
            assertTrue(m.scanFields().isEmpty());
        }
    }

    @Test
    void shouldReadTheMesoscopeJsonHeaderWithNineRoisAnd122FlyToLines() {
        final ScanImageMetadata m = ScanImageMetadata.fromHeaderJson(SharedData.file(MESO));
        assertEquals("2015.4", m.version());
        assertEquals(9, m.scanFields().size());
        for (final ScanField f : m.scanFields()) {
            assertEquals(64, f.pixelsX());
            assertEquals(464, f.pixelsY());
        }
        assertTrue(m.multiRoi());
        assertTrue(m.bidirectional());
        assertEquals(4.558404558, m.frameRateHz(), 1e-9);
        assertEquals(4.558404558, m.volumeRateHz(), 1e-9);
        assertEquals(122, m.flyToLinesFromTiming());
        final int pageHeight = 9 * 464 + 8 * 122;
        assertEquals(122, m.flyToLines(pageHeight));
        final List<RoiStrip> strips = m.strips(64, pageHeight);
        assertEquals(9, strips.size());
        assertEquals(586, strips.get(1).firstRow());
        // ROI 0 is centred near x = 0: fifth from the left; ROI 2 (x = 15.4) is rightmost, ROI 7 (x = -15.5) leftmost
        assertEquals(4, strips.get(0).column());
        assertEquals(8, strips.get(2).column());
        assertEquals(0, strips.get(7).column());
        assertArrayEquals(new int[] {1}, m.channelsSaved());
    }

    @Test
    void shouldRejectStripsThatDoNotFitThePage() {
        final ScanImageMetadata m = ScanImageMetadata.fromHeaderJson(SharedData.file(MESO));
        final ScanImageFormatException e = assertThrows(ScanImageFormatException.class, () -> m.strips(64, 4000));
        assertTrue(e.getMessage().contains("do not fit pages of 4000 lines"), e.getMessage());
        final ScanImageFormatException odd = assertThrows(ScanImageFormatException.class, () -> m.flyToLines(4177));
        assertTrue(odd.getMessage().contains("equal fly-to gaps"), odd.getMessage());
    }

    @Test
    void shouldRejectMissingScanImageMetadata() {
        final ScanImageFormatException e = assertThrows(ScanImageFormatException.class,
                () -> ScanImageMetadata.parse("plain.tif", "ImageJ", "ImageJ=1.52\nimages=3", ""));
        assertTrue(e.getMessage().contains("plain.tif"), e.getMessage());
        assertTrue(e.getMessage().contains("no ScanImage metadata"), e.getMessage());
    }

    @Test
    void shouldRejectGarbledRoiJsonAndValues() {
        final ScanImageFormatException json = assertThrows(ScanImageFormatException.class,
                () -> ScanImageMetadata.parse("bad.tif", "SI.VERSION_MAJOR = 2021\n", "",
                        "{\"RoiGroups\": {\"imagingRoiGroup\": {\"rois\": [ {\"scanfields\": "));
        assertTrue(json.getMessage().contains("bad.tif: garbled ROI JSON"), json.getMessage());
        final ScanImageFormatException res = assertThrows(ScanImageFormatException.class,
                () -> ScanImageMetadata.parse("bad.tif", "SI.VERSION_MAJOR = 2021\n", "",
                        "{\"RoiGroups\": {\"imagingRoiGroup\": {\"rois\": {\"scanfields\": "
                                + "{\"pixelResolutionXY\": [64, -3]}}}}}"));
        assertTrue(res.getMessage().contains("pixelResolutionXY"), res.getMessage());
        final ScanImageMetadata m = ScanImageMetadata.parse("bad.tif",
                "SI.hChannels.channelSave = [1 x]\nSI.hRoiManager.scanFrameRate = fast\n", "", "");
        final ScanImageFormatException ch = assertThrows(ScanImageFormatException.class, m::channelsSaved);
        assertTrue(ch.getMessage().contains("SI.hChannels.channelSave = [1 x] is not numeric"), ch.getMessage());
        assertThrows(ScanImageFormatException.class, m::frameRateHz);
    }

    @Test
    void shouldParseMatlabValueSyntax() {
        final ScanImageMetadata m = ScanImageMetadata.parse("x",
                "SI.a = [1;2;3]\nSI.b = 'text'\nSI.c = true\nSI.d = Inf\nSI.e = {16 16}\nSI.f = []\n", "", "");
        assertArrayEquals(new double[] {1, 2, 3}, m.numbers("SI.a"));
        assertEquals("text", m.string("SI.b").orElseThrow());
        assertEquals(1.0, m.number("SI.c").orElseThrow());
        assertEquals(Double.POSITIVE_INFINITY, m.number("SI.d").orElseThrow());
        assertArrayEquals(new double[] {16, 16}, m.numbers("SI.e"));
        assertEquals(0, m.numbers("SI.f").length);
        assertTrue(m.number("SI.absent").isEmpty());
    }
}
