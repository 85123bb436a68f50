package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class InspectCommandTest {

    private static Path shared(final String relative) {
        final String prop = System.getProperty("beadstream.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).resolve(relative);
        }
        return Files.isDirectory(Path.of("../shared/data")) ? Path.of("../shared/data").resolve(relative)
                : Path.of("../../shared/data").resolve(relative);
    }

    @Test
    void shouldPrintEveryRealScanImageFileAsJsonWithItsGeometryFramesAndRate() throws IOException {
        final StringWriter out = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        final int code = cl.execute("inspect", "--json",
                shared("scanimage/si2021-single-roi/hostpixelcorr_noavg_00001_00001.tif").toString(),
                shared("scanimage/si38-legacy/Blank-IPA_1s_16r_032.tif").toString(),
                shared("scanimage/mesoscope-multiroi/scanimage-header.json").toString(),
                shared("scanimage/mesoscope-multiroi/image-00000.tif").toString(),
                shared("scanimage/mesoscope-multiroi/image-00003.tif").toString());
        assertEquals(0, code, out.toString());
        final JsonNode j = new ObjectMapper().readTree(out.toString());
        assertEquals(4, j.size(), "the two stitched frames belong to one recording");
        assertEquals(512, j.get(0).get("pageWidth").asInt());
        assertEquals(2, j.get(0).get("pages").asInt());
        assertEquals(30.0169, j.get(0).get("frameRateHz").asDouble(), 1e-9);
        assertEquals(30, j.get(1).get("volumes").asInt());
        assertEquals(8.13802083333333, j.get(1).get("volumeRateHz").asDouble(), 1e-12);
        assertEquals(9, j.get(2).get("rois").size());
        assertEquals(122, j.get(2).get("flyToLines").asInt());
        assertEquals(5, j.get(3).get("pages").asInt());
    }

    @Test
    void shouldPrintAHumanReadableReport() {
        final StringWriter out = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        final int code = cl.execute("inspect",
                shared("scanimage/si2021-single-roi/hostpixelcorr_noavg_00001_00001.tif").toString());
        assertEquals(0, code);
        assertTrue(out.toString().contains("ScanImage 2021.0.0 (BigTIFF, little-endian), int16"), out.toString());
        assertTrue(out.toString().contains("frame 30.0169 Hz"), out.toString());
    }

    @Test
    void shouldExitWithBadInputNamingTheFileAndProblem(@TempDir final Path tmp) throws IOException {
        final Path bad = tmp.resolve("notes.tif");
        Files.writeString(bad, "not an image");
        final StringWriter err = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("inspect", bad.toString()));
        assertTrue(err.toString().contains("notes.tif: not a TIFF file"), err.toString());
    }
}
