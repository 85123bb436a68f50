package org.beadstream.acquisition.scanimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.tiff.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every real file in shared/data/scanimage is inspected with geometry, frame count and rate matching the file. */
class RecordingInspectionTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportTheScanImage2021File() {
        final RecordingInspection r = RecordingInspection.inspect(SharedData.file(ScanImageMetadataTest.SI2021));
        final JsonNode j = r.json();
        assertEquals("ScanImage", j.get("format").asText());
        assertEquals("2021.0.0", j.get("scanImageVersion").asText());
        assertEquals(512, j.get("pageWidth").asInt());
        assertEquals(512, j.get("pageHeight").asInt());
        assertEquals(2, j.get("pages").asInt());
        assertEquals(2, j.get("planes").asInt());
        assertEquals(1, j.get("volumes").asInt());
        assertEquals(30.0169, j.get("frameRateHz").asDouble(), 1e-9);
        assertEquals(1, j.get("firstFrameNumber").asInt());
        assertEquals(0, j.get("framesLost").asInt());
        assertEquals(0, j.get("anomalies").size());
        assertTrue(r.text().contains("ScanImage 2021.0.0 (BigTIFF, little-endian), int16"), r.text());
    }

    @Test
    void shouldReportTheLegacyFile() {
        final JsonNode j = RecordingInspection.inspect(SharedData.file(ScanImageMetadataTest.SI38)).json();
        assertEquals("3.8", j.get("scanImageVersion").asText());
        assertEquals(64, j.get("pageWidth").asInt());
        assertEquals(64, j.get("pageHeight").asInt());
        assertEquals(30, j.get("pages").asInt());
        assertEquals(30, j.get("volumes").asInt());
        assertEquals(8.13802083333333, j.get("volumeRateHz").asDouble(), 1e-12);
        assertEquals(30 / 8.13802083333333, j.get("durationSeconds").asDouble(), 1e-9);
    }

    @Test
    void shouldReportTheMesoscopeHeaderAndItsStitchedFrames() {
        final JsonNode h = RecordingInspection.inspect(SharedData.file(ScanImageMetadataTest.MESO)).json();
        assertEquals("2015.4", h.get("scanImageVersion").asText());
        assertEquals(9, h.get("rois").size());
        assertEquals(122, h.get("flyToLines").asInt());
        assertEquals(9 * 464 + 8 * 122, h.get("pageHeight").asInt());
        assertEquals(576, h.get("assembledWidth").asInt());
        assertEquals(464, h.get("assembledHeight").asInt());
        assertEquals(4.558404558, h.get("volumeRateHz").asDouble(), 1e-9);
        final JsonNode s = RecordingInspection.inspect(SharedData.file("scanimage/mesoscope-multiroi/image-00002.tif"))
                .json();
        assertEquals("TIFF", s.get("format").asText());
        assertEquals(5, s.get("files").size(), "the five numbered stitched frames form one recording");
        assertEquals(5, s.get("pages").asInt());
        assertEquals(576, s.get("pageWidth").asInt());
        assertEquals(464, s.get("pageHeight").asInt());
    }

    @Test
    void shouldReportDroppedFramesAndAMeasuredRateAsAnomalies() {
        final FrameGeometry g = new FrameGeometry(8, 5, 2, 10.0);
        final ScanImageMetadata header = ScanImageWriter.lbmHeader(null, g,
                ScanImageWriter.sideBySideStrips(2, 8, 2), 1, true);
        final FrameSlot slot = FrameSlot.forGeometry(g);
        final long[] frames = {1, 2, 3, 7, 8, 9, 10};
        try (ScanImageWriter w = ScanImageWriter.create(dir, "drop", header, g, 3)) {
            for (int v = 0; v < frames.length; v++) {
                for (int p = 0; p < 2; p++) {
                    slot.setHeader(v, p, (frames[v] - 1) * 100_000_000L, frames[v]);
                    w.write(slot);
                }
            }
        }
        final RecordingInspection r = RecordingInspection.inspect(dir.resolve("drop_00001_00002.tif"));
        final JsonNode j = r.json();
        assertEquals(3, j.get("files").size());
        assertEquals(14, j.get("pages").asInt());
        assertEquals(7, j.get("volumes").asInt());
        assertEquals(3, j.get("framesLost").asInt());
        assertEquals(3, j.get("gaps").get(0).get("afterFrame").asInt());
        assertEquals(3, j.get("gaps").get(0).get("missing").asInt());
        assertEquals(10.0, j.get("measuredVolumeRateHz").asDouble(), 1e-6);
        assertEquals(1.0, j.get("durationSeconds").asDouble(), 1e-6);
        assertEquals(1, j.get("flyToLines").asInt());
        assertTrue(j.get("anomalies").get(0).asText().contains("3 frames missing"), j.toString());
        assertTrue(r.text().contains("3 frames lost in 1 gap: after 3 (3)"), r.text());
    }
}
