package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.NpyHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stopping a live run from outside (SIGTERM, what Ctrl-C's SIGINT also does) loses nothing: the run ends cleanly and
 * every output is written before the process exits.
 */
class CleanStopTest {

    @TempDir
    Path dir;

    @Test
    void shouldFlushEveryOutputWhenALiveRunIsStoppedBySignal() throws Exception {
        final Path out = dir.resolve("run");
        final Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xss4m",
                "-cp", System.getProperty("java.class.path"), BeadStreamCommand.class.getName(), "demo",
                "--seconds", "120", "--out", out.toString(), "--set", "detection.bootstrap_seconds=4")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
        try {
            // wait until traces are being written (bootstrap done), then a few seconds more
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.exists(out.resolve("suite2p/combined/F.npy")) && System.nanoTime() < deadline) {
                assertTrue(p.isAlive(), "demo ended early: " + Files.readString(dir.resolve("log.txt")));
                Thread.sleep(200);
            }
            assertTrue(Files.exists(out.resolve("suite2p/combined/F.npy")), "traces started");
            Thread.sleep(3000);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "stopped within 2 minutes");
        } finally {
            p.destroyForcibly();
        }
        final JsonNode j = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals(j.path("frames_produced").asLong(), j.path("frames_recorded").asLong(), j.toString());
        assertEquals(0, j.path("frames_dropped").asLong());
        assertTrue(j.path("frames_produced").asLong() < 120 * 60, "stopped before the end");
        final long volumes = j.path("volumes_processed").asLong();
        assertTrue(volumes >= 40, "volumes processed: " + volumes);
        final NpyHeader f = NpyFiles.header(out.resolve("suite2p/combined/F.npy"));
        assertEquals(volumes, f.shape()[1], "every processed volume is in F.npy");
        assertTrue(Files.size(out.resolve("report.html")) > 10_000, "report written");
        assertTrue(Files.exists(out.resolve("suite2p/ophys.nwb")), "NWB written");
    }
}
