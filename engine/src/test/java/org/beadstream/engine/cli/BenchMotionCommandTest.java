package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class BenchMotionCommandTest {

    @Test
    void shouldPrintAndWriteFramesPerSecondShiftErrorsAndTheDevice(@TempDir final Path dir) throws IOException {
        final StringWriter out = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        final Path json = dir.resolve("motion.json");
        final int code = cl.execute("bench", "motion", "--size", "128", "--frames", "8", "--repeats", "1",
                "--batch", "4", "--block-size", "64", "--ideal-template", "--json", json.toString());
        assertEquals(0, code, out.toString());
        assertTrue(out.toString().contains("frames/s"), out.toString());
        final JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertTrue(j.get("frames_per_second").asDouble() > 0);
        assertTrue(j.get("device").asText().length() > 0);
        // 128 x 128 frames at 10 photons: a loose bound; the accuracy targets are tested in gpu-kernels
        assertTrue(j.get("rigid_rms_error_px").asDouble() < 0.3, j.toString());
        assertTrue(j.get("block_rms_error_px").asDouble() < 0.5, j.toString());
    }

    @Test
    void shouldRejectAMalformedSizeWithExitCodeTwo() {
        final StringWriter err = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setErr(new PrintWriter(err));
        assertEquals(2, cl.execute("bench", "motion", "--size", "5x5x5"));
        assertTrue(err.toString().contains("HEIGHTxWIDTH"), err.toString());
    }
}
