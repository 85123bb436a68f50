package org.beadstream.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.beadstream.engine.cli.BeadStreamCommand;
import org.beadstream.engine.cli.Cli;
import org.beadstream.engine.cli.Cli.Result;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.NpyHeader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * An offline run stopped part-way (and with a torn tail on its trace files, as after a crash) and then resumed with
 * {@code reprocess --resume} gives the same files as a run that was never interrupted, without registering or
 * extracting the finished volumes again.
 */
class ResumeTest {

    private static final String[] SETTINGS = {"--set", "detection.bootstrap_seconds=4", "--set", "output.report=false",
        "--set", "output.nwb=false", "--set", "output.checkpoint_seconds=1", "--set", "acquisition.ring_seconds=0.5"};

    @TempDir
    static Path dir;

    private static Path sim;
    private static Path reference;

    @BeforeAll
    static void simulateAndProcessOnce() {
        sim = dir.resolve("sim");
        assertEquals(0, run("simulate", "--preset", "small", "--seconds", "40", "--neurons", "150", "--seed", "5",
                "--format", "scanimage", "--no-truth", "--out", sim.toString()).code());
        reference = dir.resolve("reference");
        final Result r = run(concat(new String[] {"reprocess", sim.toString(), "--out", reference.toString()},
                SETTINGS));
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(reference.resolve(PipelineRun.CHECKPOINT)), "a complete run removes its checkpoint");
    }

    @Test
    void shouldResumeAnInterruptedRunToTheSameTracesAsAnUninterruptedOne() throws Exception {
        final Path part = dir.resolve("interrupted");
        final RunSummary first = stopAfter(sim, part, 50);
        final long stoppedAt = first.json().path("volumes_processed").asLong();
        assertFalse(first.json().path("complete").asBoolean(true), "an interrupted run says so in run.json");
        assertTrue(stoppedAt >= 50 && stoppedAt < 400, "stopped part-way, at " + stoppedAt);
        assertTrue(Files.exists(part.resolve("checkpoint/bootstrap.bin")), "checkpoint kept");
        assertCorruptCheckpointsAreNamed(part.resolve("checkpoint"));
        // A crash would also leave a torn last column: cut half a column off two trace files.
        cutHalfAColumn(part.resolve("suite2p/combined/F.npy"));
        cutHalfAColumn(part.resolve("suite2p/plane" + busiestPlane(part) + "/dff.npy"));

        final Result refused = run(concat(new String[] {"reprocess", sim.toString(), "--out", part.toString()},
                SETTINGS));
        assertEquals(2, refused.code(), "a folder with an interrupted run is not overwritten");
        assertTrue(refused.err().contains("--resume"), refused.err());

        final Result resumed = run("reprocess", sim.toString(), "--out", part.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        final JsonNode summary = new ObjectMapper().readTree(part.resolve("run.json").toFile());
        final long resumedAt = summary.path("resumed_at_volume").asLong();
        assertTrue(summary.path("complete").asBoolean(), "resumed run completes");
        assertEquals(stoppedAt - 1, resumedAt, "resumed after the last complete volume (torn one redone)");
        assertEquals(400, summary.path("volumes_processed").asLong());
        assertFalse(Files.exists(part.resolve(PipelineRun.CHECKPOINT)), "checkpoint removed at completion");
        assertSameFiles(reference, part);
    }

    @Test
    void shouldResumeARawRecordingSkippingTheFinishedFramesByTheirHeaders() throws Exception {
        final Path raw = dir.resolve("raw");
        assertEquals(0, run("simulate", "--preset", "small", "--seconds", "20", "--neurons", "150", "--seed", "6",
                "--format", "raw", "--no-truth", "--out", raw.toString()).code());
        final Path whole = dir.resolve("raw-reference");
        final Result r = run(concat(new String[] {"reprocess", raw.toString(), "--out", whole.toString()}, SETTINGS));
        assertEquals(0, r.code(), r.err());
        final Path part = dir.resolve("raw-interrupted");
        final long stoppedAt = stopAfter(raw, part, 60).json().path("volumes_processed").asLong();
        assertTrue(stoppedAt >= 60 && stoppedAt < 200, "stopped part-way, at " + stoppedAt);
        final Result resumed = run("reprocess", raw.toString(), "--out", part.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        final JsonNode summary = new ObjectMapper().readTree(part.resolve("run.json").toFile());
        assertEquals(stoppedAt, summary.path("resumed_at_volume").asLong());
        assertEquals(200, summary.path("volumes_processed").asLong());
        // the recording was not re-read: only the volumes after the stop reached the ring
        assertEquals((200 - stoppedAt) * summary.path("planes").asLong(), summary.path("frames_produced").asLong());
        assertSameFiles(whole, part);
    }

    /** Runs {@code reprocess} of {@code input} into {@code out} in this JVM and stops it (as Ctrl-C) after
     * {@code volumes} volumes. */
    private static RunSummary stopAfter(final Path input, final Path out, final int volumes) {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("detection.bootstrap_seconds", "4",
                "output.report", "false", "output.nwb", "false", "output.checkpoint_seconds", "1",
                "acquisition.ring_seconds", "0.5", "recording.enabled", "false"), "test");
        final Inputs.Input in = Inputs.open(List.of(input), cfg, 0, 0);
        try (var src = in.source()) {
            final PipelineRun pr = new PipelineRun("reprocess", src, in.layout(), in.calibration(), cfg, out)
                    .status(null).checkpoint(true);
            final Thread stopper = new Thread(() -> {
                while (pr.pipeline() == null || pr.pipeline().volumesProcessed() < volumes) {
                    Thread.onSpinWait();
                }
                pr.stop();
            });
            stopper.setDaemon(true);
            stopper.start();
            return pr.run();
        }
    }

    @Test
    void shouldResumeARunKilledWithSigkillToTheSameTraces() throws Exception {
        final Path part = dir.resolve("killed");
        final String[] args = concat(new String[] {ProcessHandle.current().info().command().orElse("java"), "-Xss4m",
            "-cp", System.getProperty("java.class.path"), BeadStreamCommand.class.getName(), "reprocess",
            sim.toString(), "--out", part.toString()}, SETTINGS);
        final ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(dir.resolve("killed.log").toFile());
        // PoCL caches compiled kernels in a folder every process shares; a process killed while PoCL writes an entry
        // can leave it torn, and a later process that loads it crashes. The child killed here gets its own cache.
        pb.environment().put("POCL_CACHE_DIR", dir.resolve("pocl-cache-of-killed-child").toString());
        final Process p = pb.start();
        final Path f = part.resolve("suite2p/combined/F.npy");
        long columns = 0;
        try {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (columns < 100 && System.nanoTime() < deadline) {
                assertTrue(p.isAlive(), "reprocess ended before it could be killed: "
                        + Files.readString(dir.resolve("killed.log")));
                if (Files.exists(f) && Files.size(f) >= NpyHeader.SIZE) {
                    columns = NpyFiles.header(f).shape()[1];
                }
                Thread.sleep(5);
            }
            assertTrue(columns >= 100, "traces of 100 volumes written within 2 minutes, had " + columns);
        } finally {
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0, "killed, not finished");
        assertFalse(Files.exists(part.resolve("run.json")) && new ObjectMapper().readTree(
                part.resolve("run.json").toFile()).path("complete").asBoolean(), "the killed run did not complete");
        final Result resumed = run("reprocess", sim.toString(), "--out", part.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        final JsonNode summary = new ObjectMapper().readTree(part.resolve("run.json").toFile());
        assertTrue(summary.path("resumed_at_volume").asLong() >= 90, "resumed at volume "
                + summary.path("resumed_at_volume").asLong() + " after " + columns + " columns were seen");
        assertEquals(400, summary.path("volumes_processed").asLong());
        assertSameFiles(reference, part);
    }

    /** Every trace and motion file of {@code part} equals the uninterrupted {@code reference}'s, bit for bit. */
    private static void assertSameFiles(final Path reference, final Path part) throws Exception {
        for (final String folder : List.of("combined", "plane0", "plane2")) {
            for (final String name : List.of("F.npy", "Fneu.npy", "dff.npy", "spks.npy", "xoff.npy", "yoff.npy")) {
                if (folder.equals("combined") && name.endsWith("off.npy")) {
                    continue;
                }
                final Path a = reference.resolve("suite2p").resolve(folder).resolve(name);
                final Path b = part.resolve("suite2p").resolve(folder).resolve(name);
                assertEquals(NpyFiles.header(a).toString(), NpyFiles.header(b).toString(), folder + "/" + name);
                final float[] x = NpyFiles.readFloat32(a);
                final float[] y = NpyFiles.readFloat32(b);
                // same kernels, same order of arithmetic: bit-identical
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToIntBits(x[i]), Float.floatToIntBits(y[i]),
                            folder + "/" + name + " element " + i + ": " + x[i] + " vs " + y[i]);
                }
            }
        }
    }

    @Test
    void shouldRefuseToResumeWithANewConfigurationOrWithoutACheckpoint() {
        final Result noCheckpoint = run("reprocess", sim.toString(), "--out", reference.toString(), "--resume");
        assertEquals(2, noCheckpoint.code());
        assertTrue(noCheckpoint.err().contains("nothing to resume"), noCheckpoint.err());
        final Result newConfig = run("reprocess", sim.toString(), "--out", reference.toString(), "--resume",
                "--set", "traces.tau_s=0.5");
        assertEquals(2, newConfig.code());
        assertTrue(newConfig.err().contains("drop --config and --set"), newConfig.err());
    }

    /** A damaged or cut checkpoint is refused with the file and the damage named; the whole one reads back. */
    private void assertCorruptCheckpointsAreNamed(final Path checkpoint) throws Exception {
        final BootstrapState whole = BootstrapState.read(checkpoint);
        assertTrue(whole.footprints().roiCount() > 10, "ROIs in the checkpoint: " + whole.footprints().roiCount());
        final byte[] bytes = Files.readAllBytes(checkpoint.resolve(BootstrapState.FILE));
        final Path flipped = dir.resolve("flipped");
        Files.createDirectories(flipped);
        final byte[] f = bytes.clone();
        f[f.length / 2] ^= 0x10;
        Files.write(flipped.resolve(BootstrapState.FILE), f);
        final java.io.IOException e1 = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> BootstrapState.read(flipped));
        assertTrue(e1.getMessage().contains(flipped.resolve(BootstrapState.FILE).toString()), e1.getMessage());
        final Path cut = dir.resolve("cut");
        Files.createDirectories(cut);
        Files.write(cut.resolve(BootstrapState.FILE), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        final java.io.IOException e2 = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> BootstrapState.read(cut));
        assertTrue(e2.getMessage().contains("cut short") || e2.getMessage().contains("corrupt"), e2.getMessage());
    }

    private static void cutHalfAColumn(final Path file) throws Exception {
        final long rows = NpyFiles.header(file).shape()[0];
        assertTrue(rows > 0, file + " has ROIs");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - (4 * rows + 1) / 2);
        }
    }

    private static int busiestPlane(final Path run) throws Exception {
        int best = 0;
        long most = -1;
        for (int p = 0; Files.exists(run.resolve("suite2p/plane" + p)); p++) {
            final long rows = NpyFiles.header(run.resolve("suite2p/plane" + p + "/dff.npy")).shape()[0];
            if (rows > most) {
                most = rows;
                best = p;
            }
        }
        return best;
    }

    private static Result run(final String... args) {
        return Cli.run(args);
    }

    private static String[] concat(final String[] a, final String[] b) {
        final String[] c = new String[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
