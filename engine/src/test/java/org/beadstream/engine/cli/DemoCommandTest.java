package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** The embedded default end to end, shortened: live simulation, recording, pipeline, files, report, accuracy. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldRecordEveryFrameAndFindTheSimulatedCellsWithTheirTraces() throws Exception {
        final StringWriter text = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(text));
        final int code = cl.execute("demo", "--seconds", "24", "--out", dir.toString(),
                "--set", "detection.bootstrap_seconds=12");
        assertEquals(0, code, text.toString());
        final JsonNode j = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(j.path("frames_produced").asLong(), j.path("frames_recorded").asLong());
        assertEquals(24 * 10 * 6, j.path("frames_produced").asLong());
        assertEquals(0, j.path("frames_dropped").asLong());
        assertEquals(240, j.path("volumes_processed").asLong() + j.path("volumes_skipped").asLong()
                + j.path("volumes_skipped_in_bootstrap").asLong());
        // accuracy against the simulator's ground truth (bounds from docs/benchmarks.md, with margin for a short run)
        assertTrue(j.path("detection_precision").asDouble() >= 0.8, "precision " + j.path("detection_precision"));
        assertTrue(j.path("median_trace_r").asDouble() >= 0.8, "median trace r " + j.path("median_trace_r"));
        assertTrue(j.has("latency_p99_ms") && j.has("real_time_factor"), j.toString());
        for (final String stage : new String[] {"assembly", "registration", "extraction", "traces"}) {
            final double p50 = j.path("stage_ms").path(stage).path("p50").asDouble(-1);
            assertTrue(p50 > 0 && p50 <= j.path("latency_p99_ms").asDouble() * 10, stage + " p50 " + p50 + " ms");
        }
        for (final String f : new String[] {"report.html", "config.json", "suite2p/combined/F.npy",
            "suite2p/combined/dff.npy", "suite2p/combined/spks.npy", "suite2p/ophys.nwb", "truth/truth.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " written");
        }
        final String out = text.toString();
        for (final String line : new String[] {"frames recorded", "skipped", "latency p50 / p99", "detection",
            "median trace r", "MB/s", "stages, p50 ms"}) {
            assertTrue(out.contains(line), "demo prints '" + line + "':\n" + out);
        }
    }
}
