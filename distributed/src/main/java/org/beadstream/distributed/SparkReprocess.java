package org.beadstream.distributed;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.ScanPhaseEstimator;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.tiff.TiffStack;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.BootstrapState;
import org.beadstream.engine.pipeline.InMemoryTraces;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.pipeline.PlaneBootstrap;
import org.beadstream.engine.pipeline.RunOutputs;
import org.beadstream.engine.report.PipelineReport;
import org.beadstream.engine.pipeline.TraceStage;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.OfflineEngine;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * The offline pipeline on Apache Spark, in three passes (see docs/distributed.md):
 * <ol>
 *   <li>pass 1, one task per plane: the plane's frames of the bootstrap window (the same first volumes as the
 *       single-machine run) -&gt; template, registered window, summary images, detections; the driver merges the
 *       planes ({@link VolumeSegmenter#merge}) into the footprints and writes the {@link BootstrapState} to shared
 *       storage;</li>
 *   <li>pass 2, one task per (plane, chunk of volumes): registration against the plane's template and extraction of
 *       the plane's ROIs, written to a chunk file (atomically renamed into place, so a retried task cannot corrupt
 *       it);</li>
 *   <li>pass 3 on the driver: F and neuropil in volume order -&gt; dF/F, OASIS and the sinks ({@link TraceStage}),
 *       motion offsets, NWB, report, run.json and config.json, as {@code reprocess} writes them.</li>
 * </ol>
 * The scan phase is estimated on the driver from the first volumes, as the single-machine consumer does. Input and
 * output must be on storage every worker sees at the same path.
 *
 * <p>Not thread-safe: configure and {@link #run()} from one thread.
 */
public final class SparkReprocess {

    /** Volumes per pass-2 chunk when none is given. */
    public static final int DEFAULT_CHUNK_VOLUMES = 512;

    /** The run's intermediate folder inside the output folder (bootstrap state and chunk files). */
    public static final String WORK_DIR = ".spark";

    private final OfflineEngine.Request request;
    private JobSpec.Fault fault = JobSpec.Fault.NONE;
    private final AtomicInteger failedAttempts = new AtomicInteger();
    private final AtomicInteger succeededAttempts = new AtomicInteger();
    private List<PlaneTasks.ChunkOutcome> lastChunks = List.of();

    /** A run of {@code request} (its master is Spark's: {@code local[N]}, {@code local[N,F]}, {@code spark://...}). */
    public SparkReprocess(final OfflineEngine.Request request) {
        this.request = request;
    }

    /** Injects one failure into pass-2 task ({@code plane}, {@code chunk}) on its first attempt (for tests). */
    SparkReprocess injectFailure(final int plane, final int chunk) {
        this.fault = new JobSpec.Fault(plane, chunk);
        return this;
    }

    /** Task attempts that failed in the last run (as Spark's scheduler reported them). */
    int failedAttempts() {
        return failedAttempts.get();
    }

    /** The pass-2 outcomes of the last run, by plane then chunk. */
    List<PlaneTasks.ChunkOutcome> chunkOutcomes() {
        return lastChunks;
    }

    /**
     * Runs the three passes and writes the outputs.
     *
     * @return the summary, also written as run.json
     * @throws IllegalArgumentException naming the file when the input cannot be processed
     * @throws IllegalStateException    with the failing task's own message when a task fails for good
     */
    public RunSummary run() {
        final long t0 = System.nanoTime();
        final PrintWriter log = request.log();
        final ResolvedConfig cfg = request.config();
        final Path out = request.out().toAbsolutePath().normalize();
        final List<Path> files = InputFiles.expand(request.inputs());
        final Prepared prep = prepare(files, cfg);
        final Path work = out.resolve(WORK_DIR);
        if (!request.resume()) {
            deleteTree(work);
        }
        final BootstrapState resumed = request.resume() ? resumable(work, prep) : null;
        try {
            Files.createDirectories(work);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create " + work + ": " + e.getMessage(), e);
        }
        final Path configFile = cfg.writeTo(out);
        final int chunkVolumes = chunkVolumes(request.chunkVolumes() > 0 ? request.chunkVolumes()
                : DEFAULT_CHUNK_VOLUMES, prep.window, log);
        final JobSpec spec = new JobSpec(UUID.randomUUID().toString(), files.stream().map(Path::toString).toList(),
                request.planes(), request.rateHz(), configFile.toString(), work.toString(), prep.planes, prep.width,
                prep.height, prep.rate, resumed != null ? resumed.scanPhase() : prep.scanPhase, prep.volumes,
                prep.window, chunkVolumes, fault);
        log.printf(Locale.ROOT, "spark: %s, %d volumes of %d planes (%d x %d), bootstrap %d volumes, chunks of %d "
                + "volumes: %d pass-1 and %d pass-2 tasks%n", request.master(), prep.volumes, prep.planes,
                prep.width, prep.height, prep.window, chunkVolumes, prep.planes, (long) prep.planes * spec.chunks());
        log.flush();
        failedAttempts.set(0);
        succeededAttempts.set(0);
        final RunSummary s = new RunSummary("reprocess");
        final JavaSparkContext context;
        try {
            context = startSpark();
        } catch (final IllegalArgumentException e) {
            if (!request.resume()) {
                deleteTree(work); // nothing was done: leave no interrupted run behind
            }
            throw e;
        }
        try (JavaSparkContext sc = context) {
            sc.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(final SparkListenerTaskEnd end) {
                    if (end.taskInfo().successful()) {
                        succeededAttempts.incrementAndGet();
                    } else {
                        failedAttempts.incrementAndGet();
                    }
                }
            });
            s.put("spark_version", sc.version());
            s.put("spark_default_parallelism", sc.defaultParallelism());
            runPasses(sc, spec, cfg, out, prep, resumed, s, log);
        } finally {
            ExecutorSlot.releaseRun(spec.jobId());
        }
        if (!cfg.getBoolean("output.keep_checkpoint")) {
            deleteTree(work);
        }
        s.put("seconds", (System.nanoTime() - t0) / 1e9);
        s.write(out);
        return s;
    }

    private void runPasses(final JavaSparkContext sc, final JobSpec spec, final ResolvedConfig cfg, final Path out,
            final Prepared prep, final BootstrapState resumed, final RunSummary s, final PrintWriter log) {
        final long t1 = System.nanoTime();
        final BootstrapState state;
        final long t2;
        int pass1Tasks = 0;
        long pass1Bytes = 0;
        double pass1TaskSeconds = 0;
        long stateBytes = 0;
        if (resumed != null) {
            // An interrupted run's bootstrap: same templates and footprints, pass 1 not run again.
            state = resumed;
            t2 = System.nanoTime();
            log.printf(Locale.ROOT, "spark: resuming: bootstrap state of the interrupted run reused (%d ROIs)%n",
                    state.footprints().roiCount());
        } else {
            // Pass 1: one task per plane.
            final List<Integer> planes = IntStream.range(0, spec.planes()).boxed().toList();
            final List<PlaneTasks.PlaneOutcome> boot = collect("pass 1 (templates and detection per plane)",
                    () -> sc.parallelize(planes, planes.size()).map(p -> PlaneTasks.bootstrapPlane(spec, p))
                            .collect());
            t2 = System.nanoTime();
            final List<PlaneBootstrap.Result> results = new ArrayList<>(boot.size());
            final List<PlaneDetection> detections = new ArrayList<>(boot.size());
            for (final PlaneTasks.PlaneOutcome o : boot.stream()
                    .sorted(Comparator.comparingInt(o -> o.result().plane())).toList()) {
                results.add(o.result());
                detections.add(o.result().detection());
                pass1Bytes += o.bytesRead();
                pass1TaskSeconds += o.nanos() / 1e9;
            }
            pass1Tasks = boot.size();
            final int threads = Math.max(1, Math.min(spec.planes(), Runtime.getRuntime().availableProcessors()));
            final VolumeSegmenter seg = PlaneBootstrap.segmenter(cfg, threads, spec.window(), spec.volumeRateHz());
            final long td = System.nanoTime();
            final Footprints merged = seg.merge(detections, spec.width(), spec.height(), new double[spec.planes()],
                    new double[spec.planes()], td).footprints();
            final long[] windowVolumes = new long[spec.window()];
            Arrays.setAll(windowVolumes, i -> i);
            state = BootstrapState.of(results, merged, spec.width(), spec.height(), spec.volumeRateHz(),
                    windowVolumes, spec.scanPhase());
            try {
                stateBytes = Files.size(state.write(Path.of(spec.workDir())));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write the bootstrap state into " + spec.workDir() + ": "
                        + e.getMessage(), e);
            }
        }
        final Footprints fp = state.footprints();
        final long t3 = System.nanoTime();
        log.printf(Locale.ROOT, "spark: pass 1 %.1f s (%d planes), merge %.1f s: %d ROIs%n", (t2 - t1) / 1e9,
                pass1Tasks, (t3 - t2) / 1e9, fp.roiCount());
        log.flush();

        // Pass 2: one task per (plane, chunk), plane-major so an executor keeps its plane's processor.
        final List<PlaneTasks.ChunkTask> tasks = new ArrayList<>();
        int reused = 0;
        final Path work = Path.of(spec.workDir());
        for (int p = 0; p < spec.planes(); p++) {
            final int rois = fp.roisOnPlane(p).length;
            for (int c = 0; c < spec.chunks(); c++) {
                if (resumed != null && ChunkFile.isComplete(ChunkFile.path(work, p, c), p, c, spec.firstVolume(c),
                        spec.volumesIn(c), rois)) {
                    reused++;
                    continue;
                }
                tasks.add(new PlaneTasks.ChunkTask(p, c, spec.firstVolume(c), spec.volumesIn(c)));
            }
        }
        if (resumed != null) {
            log.printf(Locale.ROOT, "spark: resuming: %d finished chunks reused, %d to do%n", reused, tasks.size());
        }
        s.put("resumed", resumed != null);
        s.put("pass2_chunks_reused", reused);
        final List<PlaneTasks.ChunkOutcome> chunks = tasks.isEmpty() ? List.of()
                : collect("pass 2 (registration and extraction per plane and chunk)",
                        () -> sc.parallelize(tasks, tasks.size()).map(t -> PlaneTasks.processChunk(spec, t))
                                .collect());
        lastChunks = chunks.stream().sorted(Comparator.comparingInt(PlaneTasks.ChunkOutcome::plane)
                .thenComparingInt(PlaneTasks.ChunkOutcome::chunk)).toList();
        final long t4 = System.nanoTime();
        log.printf(Locale.ROOT, "spark: pass 2 %.1f s (%d tasks)%n", (t4 - t3) / 1e9, tasks.size());
        log.flush();

        // Pass 3 on the driver: traces in volume order into the sinks.
        final Pass3 p3 = new Pass3(spec, cfg, out, fp);
        p3.run();
        final long t5 = System.nanoTime();
        log.printf(Locale.ROOT, "spark: pass 3 %.1f s (dF/F, OASIS, files)%n", (t5 - t4) / 1e9);
        log.flush();

        describe(s, spec, cfg, prep, fp, state, pass1Tasks, pass1Bytes, pass1TaskSeconds, stateBytes, t1, t2, t3,
                t4, t5);
        if (cfg.getBoolean("output.suite2p")) {
            RunOutputs.writePlaneArrays(out, p3.dx(), p3.dy(), state.summaries());
        }
        if (cfg.getBoolean("output.nwb") && cfg.getBoolean("output.suite2p") && fp.roiCount() > 0) {
            s.put("nwb", RunOutputs.writeNwb(out, cfg).toString());
        }
        if (cfg.getBoolean("output.report")) {
            s.put("report", PipelineReport.write(out, "BeadStream reprocess on Spark: " + prep.name, fp,
                    state.summaries(), p3.dx(), p3.dy(), p3.inMemory(), s, null).toString());
        }
    }

    private void describe(final RunSummary s, final JobSpec spec, final ResolvedConfig cfg, final Prepared prep,
            final Footprints fp, final BootstrapState state, final int pass1Tasks, final long pass1Bytes,
            final double pass1TaskSeconds, final long stateBytes, final long t1, final long t2, final long t3,
            final long t4, final long t5) {
        s.put("engine", "spark");
        s.put("master", request.master());
        s.put("input", prep.name);
        s.put("output", request.out().toString());
        s.put("complete", true);
        s.put("volume_rate_hz", spec.volumeRateHz());
        s.put("planes", spec.planes());
        s.put("plane_width", spec.width());
        s.put("plane_height", spec.height());
        s.put("volumes_processed", spec.volumes());
        s.put("volumes_skipped", 0L);
        s.put("bootstrap_volumes", spec.window());
        s.put("rois", fp.roiCount());
        s.put("cells", fp.cells(cfg.getDouble("detection.iscell_threshold")).length);
        for (int i = 0; i < spec.scanPhase().length; i++) {
            s.section("scan_phase_px").put("strip_" + i, spec.scanPhase()[i]);
        }
        s.put("chunk_volumes", spec.chunkVolumes());
        s.put("pass1_tasks", pass1Tasks);
        s.put("pass2_tasks", lastChunks.size());
        s.put("task_attempts_failed", failedAttempts.get());
        s.put("pass2_tasks_retried", lastChunks.stream().filter(c -> c.attempt() > 0).count());
        s.put("pass1_seconds", (t2 - t1) / 1e9);
        s.put("pass1_task_seconds_total", pass1TaskSeconds);
        s.put("merge_seconds", (t3 - t2) / 1e9);
        s.put("pass2_seconds", (t4 - t3) / 1e9);
        s.put("pass3_seconds", (t5 - t4) / 1e9);
        final double[] chunkSeconds = lastChunks.stream().mapToDouble(c -> c.nanos() / 1e9).sorted().toArray();
        if (chunkSeconds.length > 0) {
            s.put("chunk_seconds_p50", chunkSeconds[chunkSeconds.length / 2]);
            s.put("chunk_seconds_max", chunkSeconds[chunkSeconds.length - 1]);
            s.put("chunk_seconds_total", Arrays.stream(chunkSeconds).sum());
        }
        final long pass2Bytes = lastChunks.stream().mapToLong(PlaneTasks.ChunkOutcome::bytesRead).sum();
        final long shuffled = lastChunks.stream().mapToLong(PlaneTasks.ChunkOutcome::bytesWritten).sum();
        s.put("bytes_read_pass1", pass1Bytes);
        s.put("bytes_read_pass2", pass2Bytes);
        s.put("bytes_bootstrap_state", stateBytes);
        s.put("bytes_chunk_files", shuffled);
        final Set<String> hosts = new LinkedHashSet<>();
        lastChunks.forEach(c -> hosts.add(c.host()));
        s.put("workers", String.join(",", hosts));
        final Set<String> devices = new LinkedHashSet<>();
        lastChunks.forEach(c -> devices.add(c.device()));
        s.put("device", String.join("; ", devices));
        s.put("scan_phase_corrected", state.scanPhase().length > 0);
    }

    /**
     * The chunk size: as asked, except that chunk boundaries inside the bootstrap window must fall on the window's
     * registration batches ({@link PlaneTasks#groupLength}), so a size below the window is rounded up to a multiple of
     * {@link PlaneBootstrap#MOTION_BATCH}.
     */
    static int chunkVolumes(final int asked, final int window, final PrintWriter log) {
        final int b = PlaneBootstrap.MOTION_BATCH;
        if (asked >= window || asked % b == 0) {
            return asked;
        }
        final int rounded = (asked + b - 1) / b * b;
        log.printf(Locale.ROOT, "spark: chunks of %d volumes instead of %d: chunks shorter than the bootstrap window "
                + "(%d volumes) must hold whole registration batches of %d%n", rounded, asked, window, b);
        return rounded;
    }

    /** Runs a Spark action, turning a job that failed for good into an exception carrying the task's own message. */
    private static <T> List<T> collect(final String what, final SparkAction<T> action) {
        try {
            return action.run();
        } catch (final SparkException e) {
            throw new IllegalStateException(what + " failed: " + taskMessage(e), e);
        } catch (final RuntimeException e) {
            if (e.getCause() instanceof SparkException se) {
                throw new IllegalStateException(what + " failed: " + taskMessage(se), e);
            }
            throw e;
        }
    }

    /** A Spark action that may fail with a checked {@link SparkException} hidden by Scala. */
    @FunctionalInterface
    private interface SparkAction<T> {
        List<T> run() throws SparkException;
    }

    /** The failing task's own message: its exception when Spark kept it, else the line Spark reported. */
    static String taskMessage(final Throwable e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (!(c instanceof SparkException) && c.getMessage() != null) {
                return c.getMessage();
            }
        }
        final String m = String.valueOf(e.getMessage());
        final int exception = m.indexOf("Exception: ");
        String line = exception >= 0 ? m.substring(exception + "Exception: ".length()) : m;
        final int at = line.indexOf("\n");
        if (at >= 0) {
            line = line.substring(0, at);
        }
        return line.strip();
    }

    /** The Spark context for {@code --master}, or an error naming the master when Spark cannot start there. */
    private JavaSparkContext startSpark() {
        try {
            return new JavaSparkContext(sparkConf());
        } catch (final Exception e) {
            throw new IllegalArgumentException("cannot start Spark with --master " + request.master() + ": "
                    + e.getMessage(), e);
        }
    }

    private SparkConf sparkConf() {
        final SparkConf conf = new SparkConf().setMaster(request.master())
                .setAppName("beadstream reprocess")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.locality.wait", "0s")
                .set("spark.driver.maxResultSize", "4g")
                .setIfMissing("spark.task.maxFailures", "4");
        // Executors need BeadStream's Java flags too (Spark adds its own module flags to theirs).
        conf.setIfMissing("spark.executor.extraJavaOptions", "-Xss4m");
        final String master = request.master();
        if (master.startsWith("local-cluster")) {
            // Spark's one-machine cluster (separate executor JVMs, as on a cluster): they see this JVM's class path.
            conf.setIfMissing("spark.executor.extraClassPath", System.getProperty("java.class.path"));
        } else if (!master.startsWith("local")) {
            // A real cluster: ship this module's and the engine's code (the launcher's jars) to the executors.
            final Set<String> jars = new LinkedHashSet<>();
            for (final Class<?> c : new Class<?>[] {SparkReprocess.class, PipelineRun.class}) {
                try {
                    final Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
                    if (p.toString().endsWith(".jar")) {
                        jars.add(p.toString());
                    }
                } catch (final URISyntaxException | RuntimeException e) {
                    throw new IllegalStateException("cannot locate the jar of " + c.getName() + " to ship to the "
                            + "executors: " + e.getMessage(), e);
                }
            }
            if (!jars.isEmpty()) {
                // Keep what spark-submit --jars gave.
                final String given = conf.get("spark.jars", "");
                for (final String j : given.split(",")) {
                    if (!j.isBlank()) {
                        jars.add(j.strip());
                    }
                }
                conf.set("spark.jars", String.join(",", jars));
            }
        }
        return conf;
    }

    /**
     * The bootstrap state an interrupted run left in {@code work}, or {@code null} when it was interrupted before
     * pass 1 ended (then everything is done again).
     *
     * @throws IllegalArgumentException naming the file when the state is not for this input
     */
    private static BootstrapState resumable(final Path work, final Prepared prep) {
        if (!Files.exists(work.resolve(BootstrapState.FILE))) {
            deleteTree(work.resolve("chunks"));
            return null;
        }
        final BootstrapState st;
        try {
            st = BootstrapState.read(work);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot resume: " + e.getMessage(), e);
        }
        if (st.planes() != prep.planes || st.width() != prep.width || st.height() != prep.height
                || st.windowVolumes().length != prep.window) {
            throw new IllegalArgumentException(work.resolve(BootstrapState.FILE) + ": the interrupted run had "
                    + st.planes() + " planes of " + st.width() + " x " + st.height() + " and a window of "
                    + st.windowVolumes().length + " volumes; this input gives " + prep.planes + " of " + prep.width
                    + " x " + prep.height + " and " + prep.window + ": not the same input");
        }
        return st;
    }

    /** What the driver learns from the input before any task runs. */
    private record Prepared(String name, int planes, int width, int height, double rate, long volumes, int window,
            double[] scanPhase) {
    }

    /** Opens the input on the driver: geometry, volumes, bootstrap window and the scan phase of its first volumes. */
    private Prepared prepare(final List<Path> files, final ResolvedConfig cfg) {
        final Inputs.Input in = Inputs.open(files, cfg, request.planes(), request.rateHz());
        try (var src = in.source()) {
            final FrameGeometry g = src.geometry();
            final int planes = g.planes();
            final double rate = g.volumeRateHz() > 0 ? g.volumeRateHz() : request.rateHz();
            if (!(rate > 0)) {
                throw new IllegalArgumentException(files.get(0) + ": no volume rate in the input; give --rate HZ");
            }
            final AssemblyLayout layout = in.layout();
            final int width = layout.planeWidth();
            final int height = layout.planeHeight();
            final long volumes = in.frames() / planes;
            final int window = (int) Math.min(volumes,
                    PlaneBootstrap.windowVolumes(cfg, planes, width * height, rate));
            if (volumes < 3) {
                throw new IllegalArgumentException(files.get(0) + ": holds " + volumes + " complete volume(s) of "
                        + planes + " planes; the bootstrap needs at least 3");
            }
            final double[] phase = cfg.getBoolean("assembly.correct_phase")
                    ? scanPhase(src, files, "raw".equals(in.kind()), layout, g, cfg, in.frames()) : new double[0];
            return new Prepared(src.name(), planes, width, height, rate, volumes, window, phase);
        }
    }

    /** The scan phase from the first volumes' pages, exactly as the single-machine consumer estimates it. */
    private static double[] scanPhase(final Object source, final List<Path> files, final boolean raw,
            final AssemblyLayout layout, final FrameGeometry g, final ResolvedConfig cfg, final long pages) {
        final ScanPhaseEstimator est = ScanPhaseEstimator.forLayout(layout);
        final int phaseVolumes = Pipelines.phaseVolumes(cfg, g.planes());
        final long n = Math.min(pages, (long) phaseVolumes * g.planes());
        final FrameSlot slot = FrameSlot.forGeometry(g);
        try (Pages p = raw ? Pages.raw(files.get(0)) : source instanceof ScanImageSource s
                ? Pages.of(s.stack(), false) : Pages.of(TiffStack.open(files), true)) {
            for (long k = 0; k < n; k++) {
                p.readPage(k, slot);
                slot.setHeader(k / g.planes(), (int) (k % g.planes()), 0, FrameSlot.NO_FRAME_NUMBER);
                est.accumulate(slot);
            }
        }
        return est.estimate();
    }

    static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Pass 3: the chunk files in volume order into the trace stage; the motion record. */
    private static final class Pass3 {
        private final JobSpec spec;
        private final ResolvedConfig cfg;
        private final Path out;
        private final Footprints fp;
        private final float[][] dx;
        private final float[][] dy;
        private final float[][] corr;
        private InMemoryTraces inMemory;

        Pass3(final JobSpec spec, final ResolvedConfig cfg, final Path out, final Footprints fp) {
            this.spec = spec;
            this.cfg = cfg;
            this.out = out;
            this.fp = fp;
            final int v = Math.toIntExact(spec.volumes());
            this.dx = new float[spec.planes()][v];
            this.dy = new float[spec.planes()][v];
            this.corr = new float[spec.planes()][v];
        }

        void run() {
            final int planes = spec.planes();
            final int total = fp.roiCount();
            final int[][] ids = new int[planes][];
            final float[][] pf = new float[planes][];
            final float[][] pn = new float[planes][];
            for (int p = 0; p < planes; p++) {
                ids[p] = fp.roisOnPlane(p);
                pf[p] = new float[Math.max(1, ids[p].length)];
                pn[p] = new float[pf[p].length];
            }
            final float[] f = new float[Math.max(1, total)];
            final float[] fneu = new float[f.length];
            final float[] m = new float[3];
            final Path work = Path.of(spec.workDir());
            final TraceStage stage = total > 0 ? new TraceStage(fp, spec.volumeRateHz(), cfg, out,
                    PipelineRun.TRACES_IN_MEMORY, List.of()) : null;
            try {
                for (int c = 0; c < spec.chunks(); c++) {
                    final ChunkFile.Reader[] readers = new ChunkFile.Reader[planes];
                    try {
                        for (int p = 0; p < planes; p++) {
                            readers[p] = new ChunkFile.Reader(ChunkFile.path(work, p, c), p, c, spec.firstVolume(c),
                                    spec.volumesIn(c), ids[p].length);
                        }
                        for (int i = 0; i < spec.volumesIn(c); i++) {
                            final int v = (int) (spec.firstVolume(c) + i);
                            for (int p = 0; p < planes; p++) {
                                readers[p].next(pf[p], pn[p], m);
                                final int[] id = ids[p];
                                for (int k = 0; k < id.length; k++) {
                                    f[id[k]] = pf[p][k];
                                    fneu[id[k]] = pn[p][k];
                                }
                                dx[p][v] = m[0];
                                dy[p][v] = m[1];
                                corr[p][v] = m[2];
                            }
                            if (stage != null) {
                                stage.onVolume(f, fneu);
                            }
                        }
                    } finally {
                        for (final ChunkFile.Reader r : readers) {
                            if (r != null) {
                                r.close();
                            }
                        }
                    }
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            } finally {
                if (stage != null) {
                    stage.close();
                    inMemory = stage.inMemory();
                }
            }
        }

        float[][] dx() {
            return dx;
        }

        float[][] dy() {
            return dy;
        }

        InMemoryTraces inMemory() {
            return inMemory;
        }
    }
}
