package org.beadstream.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.beadstream.engine.cli.BeadStreamCommand;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.OfflineEngine;
import org.beadstream.traces.sink.NpyFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * The offline pipeline on Spark in local mode gives the same files as the single-machine {@code reprocess} on the same
 * simulated ScanImage recording, with 1 and 2 worker threads, and when a pass-2 task fails half-way and is retried.
 */
class SparkReprocessTest {

    /**
     * 30 s of the small preset at 10 volumes/s: 300 volumes of 6 planes; an 8 s bootstrap (80 volumes: two
     * registration batches, so chunk boundaries and batch grouping inside the window are exercised).
     */
    static final Map<String, String> SETTINGS = Map.of("detection.bootstrap_seconds", "8", "output.nwb", "false",
            "acquisition.ring_seconds", "0.5");

    @TempDir
    static Path dir;

    static Path sim;
    static Path reference;

    @BeforeAll
    static void simulateAndProcessOnOneMachine() {
        sim = dir.resolve("sim");
        final Result s = run("simulate", "--preset", "small", "--seconds", "30", "--neurons", "300", "--seed", "11",
                "--format", "scanimage", "--no-truth", "--out", sim.toString());
        assertEquals(0, s.code, s.err);
        reference = dir.resolve("reference");
        final Result r = run(args("reprocess", sim.toString(), "--out", reference.toString()));
        assertEquals(0, r.code, r.err);
    }

    @Test
    void shouldGiveTheSameTracesAsTheSingleMachineRunWithTwoWorkers() throws Exception {
        final Path out = dir.resolve("spark2");
        final Result r = run(args("reprocess", "--engine", "spark", "--master", "local[2]", "--chunk-volumes", "48",
                sim.toString(), "--out", out.toString()));
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("tasks"), r.out);
        final JsonNode j = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertEquals("spark", j.path("engine").asText());
        assertEquals(300, j.path("volumes_processed").asLong());
        assertEquals(64, j.path("chunk_volumes").asLong(), "48 rounded up to whole registration batches");
        assertEquals(j.path("planes").asLong() * 5, j.path("pass2_tasks").asLong(), "planes x ceil(300 / 64) chunks");
        assertTrue(j.path("rois").asLong() > 20, "cells found: " + j.path("rois"));
        assertSameTraces(reference, out);
        assertTrue(Files.exists(out.resolve("report.html")), "report written");
        assertTrue(Files.exists(out.resolve("config.json")), "config written");
        assertFalse(Files.exists(out.resolve(SparkReprocess.WORK_DIR)), "intermediate files removed");
    }

    @Test
    void shouldGiveTheSameTracesAsTheSingleMachineRunWhenPlanesAreOffset() throws Exception {
        // Calibration offsets move every plane and leave blank bands along its edges, which pass 1 must keep out of
        // detection exactly as the single-machine bootstrap does.
        final Path cal = Files.writeString(dir.resolve("offsets.json"), "{\"offsetsPx\": [[3, -2], [3, -2], [-2.5, "
                + "1], [-2.5, 1], [0, 4], [0, 4]]}");
        final String set = "assembly.plane_offsets_file=" + cal;
        final Path local = dir.resolve("offset-local");
        final Result l = run(args("reprocess", sim.toString(), "--out", local.toString(), "--set", set));
        assertEquals(0, l.code, l.err);
        final Path spark = dir.resolve("offset-spark");
        final Result r = run(args("reprocess", "--engine", "spark", "--master", "local[2]", sim.toString(), "--out",
                spark.toString(), "--set", set));
        assertEquals(0, r.code, r.err);
        assertSameTraces(local, spark);
    }

    @Test
    void shouldGiveTheSameTracesWithOneWorkerAsWithTwo() throws Exception {
        final Path one = dir.resolve("spark1");
        final RunResult a = runSpark("local[1]", one, 64, null);
        assertEquals(0, a.failedAttempts);
        assertSameTraces(reference, one);
    }

    @Test
    void shouldGiveTheSameTracesWithExecutorsInSeparateJvms() throws Exception {
        final String home = System.getenv("SPARK_HOME");
        Assumptions.assumeTrue(home != null, "SPARK_HOME is set by the module's Surefire configuration");
        Files.createDirectories(Path.of(home, "jars"));
        final Path out = dir.resolve("cluster");
        // Spark's one-machine cluster: a master and two workers in this JVM, each worker starting an executor JVM
        // (1 core, 1 GiB), so tasks, results and the bootstrap state cross process boundaries as on a real cluster.
        final RunResult r = runSpark("local-cluster[2,1,1024]", out, 128, null);
        assertEquals(0, r.failedAttempts);
        assertEquals(6 * 3, r.chunks.size());
        assertSameTraces(reference, out);
    }

    @Test
    void shouldRetryATaskKilledHalfWayAndLeaveTheResultUnchanged() throws Exception {
        final Path out = dir.resolve("retried");
        // local[2,2]: two worker threads, two attempts per task. Plane 1, chunk 0 (volumes 0..127) fails on its first
        // attempt after 64 volumes are in its file, as an executor killed mid-task would.
        final RunResult r = runSpark("local[2,2]", out, 128, new int[] {1, 0});
        assertTrue(r.failedAttempts >= 1, "Spark saw the failed attempt: " + r.failedAttempts);
        final PlaneTasks.ChunkOutcome retried = r.chunks.stream().filter(c -> c.plane() == 1 && c.chunk() == 0)
                .findFirst().orElseThrow();
        assertEquals(1, retried.attempt(), "the chunk's output came from the second attempt");
        assertTrue(r.chunks.stream().filter(c -> c != retried).allMatch(c -> c.attempt() == 0));
        final Path chunkDir = ChunkFile.path(out.resolve(SparkReprocess.WORK_DIR), 1, 0).getParent();
        try (Stream<Path> s = Files.list(chunkDir)) {
            final List<Path> partial = s.filter(p -> p.toString().endsWith(".tmp")).toList();
            assertEquals(1, partial.size(), "the killed attempt left its partial file under its own name");
            assertTrue(Files.size(partial.get(0)) < ChunkFile.bytes(128, r.chunks.stream()
                    .filter(c -> c.plane() == 1).findFirst().orElseThrow().rois()), "partial, not complete");
        }
        assertEquals(1, new ObjectMapper().readTree(out.resolve("run.json").toFile()).path("pass2_tasks_retried")
                .asLong());
        assertSameTraces(reference, out);
    }

    @Test
    void shouldResumeAnInterruptedRunRedoingOnlyTheChunksNotFinished() throws Exception {
        final Path out = dir.resolve("resumed");
        runSpark("local[2]", out, 64, null, true, false);
        final Path work = out.resolve(SparkReprocess.WORK_DIR);
        assertTrue(Files.exists(work.resolve("bootstrap.bin")), "intermediate files kept (output.keep_checkpoint)");
        // As if interrupted: two chunks never written, one cut short by a crash, and the outputs not yet written.
        Files.delete(ChunkFile.path(work, 0, 4));
        Files.delete(ChunkFile.path(work, 5, 0));
        final Path torn = ChunkFile.path(work, 3, 2);
        try (var ch = java.nio.channels.FileChannel.open(torn, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        deleteTreeQuietly(out.resolve("suite2p"));
        Files.delete(out.resolve("run.json"));

        final Result refused = run(args("reprocess", "--engine", "spark", "--master", "local[1]", sim.toString(),
                "--out", out.toString()));
        assertEquals(2, refused.code, "a folder with an interrupted run is not overwritten");
        assertTrue(refused.err.contains("--resume"), refused.err);

        final Result r = run("reprocess", "--engine", "spark", "--master", "local[2]", "--chunk-volumes", "64",
                "--resume", sim.toString(), "--out", out.toString());
        assertEquals(0, r.code, r.err);
        final JsonNode j = new ObjectMapper().readTree(out.resolve("run.json").toFile());
        assertTrue(j.path("resumed").asBoolean());
        assertEquals(0, j.path("pass1_tasks").asLong(), "the bootstrap is not done again");
        assertEquals(3, j.path("pass2_tasks").asLong(), "only the missing and the torn chunks are done again");
        assertEquals(6 * 5 - 3, j.path("pass2_chunks_reused").asLong());
        assertSameTraces(reference, out);
    }

    private static void deleteTreeQuietly(final Path p) throws Exception {
        SparkReprocess.deleteTree(p);
    }

    @Test
    void shouldGiveTheSameTracesAsTheSingleMachineRunOnARawRecording() throws Exception {
        // A BeadStream raw recording (the lossless recording of `acquire`), its frames read by index on the workers
        final Path raw = dir.resolve("raw");
        assertEquals(0, run("simulate", "--preset", "small", "--seconds", "12", "--neurons", "150", "--seed", "4",
                "--format", "raw", "--no-truth", "--out", raw.toString()).code);
        final Path local = dir.resolve("raw-local");
        final Result l = run(args("reprocess", raw.toString(), "--out", local.toString()));
        assertEquals(0, l.code, l.err);
        final Path spark = dir.resolve("raw-spark");
        final Result r = run(args("reprocess", "--engine", "spark", "--master", "local[2]", raw.toString(), "--out",
                spark.toString()));
        assertEquals(0, r.code, r.err);
        assertSameTraces(local, spark);
    }

    @Test
    void shouldNameTheFileAndPageWhenAWorkerCannotReadAPage() throws Exception {
        final Path copy = dir.resolve("truncated");
        Files.createDirectories(copy);
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(sim)) {
            for (final Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".tif")).sorted()::iterator) {
                files.add(Files.copy(p, copy.resolve(p.getFileName())));
            }
        }
        final Path last = files.get(files.size() - 1);
        final long size = Files.size(last);
        try (var ch = java.nio.channels.FileChannel.open(last, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(size - size / 10);
        }
        final ResolvedConfig cfg = config(Map.of());
        final Path out = dir.resolve("truncated-out");
        final JobSpec spec = new JobSpec("test-truncated", files.stream().map(Path::toString).toList(), 0, 0,
                cfg.writeTo(out).toString(), out.resolve(SparkReprocess.WORK_DIR).toString(), 6, 136, 128, 10,
                new double[0], 3, 3, 64, JobSpec.Fault.NONE);
        final RuntimeException e = assertThrows(RuntimeException.class, () -> {
            try (PageReader r = new PageReader(spec, cfg)) {
                final float[] frame = new float[136 * 128];
                for (long v = 0; v < 300; v++) {
                    r.readPlane(v, 0, frame);
                }
            }
        });
        assertTrue(e.getMessage().contains(last.toString()) && e.getMessage().contains("page"), e.getMessage());
    }

    @Test
    void shouldBatchRegistrationAsTheSingleMachineRunAndRoundChunksToWholeBatches() {
        final JobSpec spec = new JobSpec("batches", List.of("x.tif"), 0, 0, "c", "w", 2, 4, 4, 10, new double[0], 500,
                150, 64, JobSpec.Fault.NONE);
        assertEquals(64, PlaneTasks.groupLength(spec, 0, 64), "window batches of 64 from volume 0");
        assertEquals(22, PlaneTasks.groupLength(spec, 128, 192), "the window's last batch ends with the window");
        assertEquals(1, PlaneTasks.groupLength(spec, 150, 192), "after the window: one volume at a time");
        assertEquals(10, PlaneTasks.groupLength(spec, 54, 64), "a chunk ending early ends the batch");
        final PrintWriter log = new PrintWriter(new StringWriter());
        assertEquals(64, SparkReprocess.chunkVolumes(48, 150, log));
        assertEquals(128, SparkReprocess.chunkVolumes(100, 150, log));
        assertEquals(200, SparkReprocess.chunkVolumes(200, 150, log), "a chunk holding the whole window is kept");
        assertEquals(512, SparkReprocess.chunkVolumes(512, 150, log));
    }

    @Test
    void shouldRefuseFlinkAndAMissingInputWithClearMessages() {
        final Result flink = run(args("reprocess", "--engine", "flink", sim.toString(), "--out",
                dir.resolve("flink").toString()));
        assertEquals(2, flink.code);
        assertTrue(flink.err.contains("--engine flink is not supported") && flink.err.contains("Spark"), flink.err);
        final Result noSuch = run(args("reprocess", "--engine", "spark", "--master", "local[1]",
                dir.resolve("missing.tif").toString(), "--out", dir.resolve("missing").toString()));
        assertEquals(2, noSuch.code);
        assertTrue(noSuch.err.contains("missing.tif") && noSuch.err.contains("no such file"), noSuch.err);
        final Result badMaster = run(args("reprocess", "--engine", "spark", "--master", "yarn-please", sim.toString(),
                "--out", dir.resolve("bad-master").toString()));
        assertEquals(2, badMaster.code);
        assertTrue(badMaster.err.contains("--master yarn-please"), badMaster.err);
        assertFalse(Files.exists(dir.resolve("bad-master").resolve(SparkReprocess.WORK_DIR)),
                "a run that never started leaves nothing to resume");
        final Result masterWithoutEngine = run(args("reprocess", "--master", "local[2]", sim.toString(), "--out",
                dir.resolve("x").toString()));
        assertEquals(2, masterWithoutEngine.code);
        assertTrue(masterWithoutEngine.err.contains("--engine spark"), masterWithoutEngine.err);
    }

    @Test
    void shouldNameTheInputFileWhenAWorkerCannotReadIt() throws Exception {
        final Path copy = dir.resolve("vanishing");
        Files.createDirectories(copy);
        final List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(sim)) {
            for (final Path p : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".tif")).sorted()::iterator) {
                files.add(Files.copy(p, copy.resolve(p.getFileName())));
            }
        }
        final ResolvedConfig cfg = config(Map.of());
        final Path out = dir.resolve("vanishing-out");
        final JobSpec spec = new JobSpec("test-vanishing", files.stream().map(Path::toString).toList(), 0, 0,
                cfg.writeTo(out).toString(), out.resolve(SparkReprocess.WORK_DIR).toString(), 3, 1, 1, 10,
                new double[0], 10, 3, 8, JobSpec.Fault.NONE);
        Files.delete(files.get(0));
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PlaneTasks.bootstrapPlane(spec, 0));
        assertTrue(e.getMessage().contains(files.get(0).toString()) && e.getMessage().contains("worker"),
                e.getMessage());
    }

    /**
     * Every .npy file of the suite2p layout (F, Fneu, dF/F, spikes, motion offsets, iscell, stat...) of every plane and
     * of the combined folder is byte-identical: same kernels, templates, footprints, registration batches and volume
     * order, so the tolerance is 0.
     */
    static void assertSameTraces(final Path expected, final Path actual) throws Exception {
        final List<Path> files;
        try (Stream<Path> s = Files.walk(expected.resolve("suite2p"))) {
            files = s.filter(p -> p.toString().endsWith(".npy")).sorted().toList();
        }
        assertTrue(files.size() >= 20, "suite2p files written: " + files);
        for (final Path a : files) {
            final String rel = expected.relativize(a).toString();
            final Path b = actual.resolve(rel);
            assertTrue(Files.exists(b), b + " missing");
            if (Files.mismatch(a, b) == -1) {
                continue;
            }
            final String descr = NpyFiles.header(a).descr();
            if (!"<f4".equals(descr)) {
                throw new AssertionError(rel + " differs (" + descr + ")");
            }
            assertEquals(NpyFiles.header(a).toString(), NpyFiles.header(b).toString(), rel);
            final float[] x = NpyFiles.readFloat32(a);
            final float[] y = NpyFiles.readFloat32(b);
            for (int i = 0; i < x.length; i++) {
                if (Float.floatToIntBits(x[i]) != Float.floatToIntBits(y[i])) {
                    throw new AssertionError(rel + " element " + i + " of " + x.length + ": " + x[i]
                            + " (single machine) vs " + y[i] + " (spark)");
                }
            }
        }
    }

    record RunResult(int failedAttempts, List<PlaneTasks.ChunkOutcome> chunks) {
    }

    static RunResult runSpark(final String master, final Path out, final int chunk, final int[] fault) {
        return runSpark(master, out, chunk, fault, fault != null, false);
    }

    static RunResult runSpark(final String master, final Path out, final int chunk, final int[] fault,
            final boolean keep, final boolean resume) {
        final StringWriter log = new StringWriter();
        final Map<String, String> settings = new java.util.HashMap<>(SETTINGS);
        if (keep) {
            settings.put("output.keep_checkpoint", "true");
        }
        final SparkReprocess job = new SparkReprocess(new OfflineEngine.Request(List.of(sim), out, 0, 0,
                config(settings), master, chunk, resume, new PrintWriter(log)));
        if (fault != null) {
            job.injectFailure(fault[0], fault[1]);
        }
        job.run();
        return new RunResult(job.failedAttempts(), job.chunkOutcomes());
    }

    static ResolvedConfig config(final Map<String, String> settings) {
        final Map<String, String> m = new java.util.HashMap<>(settings);
        m.put("recording.enabled", "false");
        return ConfigSchema.standard().resolve(null, m, "test");
    }

    static String[] args(final String... a) {
        final List<String> l = new ArrayList<>(List.of(a));
        for (final Map.Entry<String, String> e : SETTINGS.entrySet()) {
            l.add("--set");
            l.add(e.getKey() + "=" + e.getValue());
        }
        return l.toArray(new String[0]);
    }

    record Result(int code, String out, String err) {
    }

    static Result run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        final int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
