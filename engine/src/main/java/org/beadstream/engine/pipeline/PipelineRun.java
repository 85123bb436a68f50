package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.HdrHistogram.Histogram;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.record.RawRecordingSource;
import org.beadstream.acquisition.ring.FrameRingException;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.tiff.TiffStackSource;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.evaluate.SimulationTruth;
import org.beadstream.engine.report.LiveView;
import org.beadstream.engine.report.PipelineReport;
import org.beadstream.engine.run.AcquisitionRun;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.gpu.runtime.DeviceSelector;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.sink.Suite2pLayoutSink;

/**
 * One complete run of the processing pipeline over a source, live or offline: the ring with the lossless recorder
 * (when enabled) and the {@link PipelineConsumer}; then accuracy against ground truth when the source is simulated,
 * {@code report.html}, {@code run.json} and {@code config.json}. Used by {@code demo}, {@code acquire},
 * {@code reprocess} and {@code bench pipeline}, so all of them process data the same way.
 *
 * <p>Not thread-safe: configure and {@link #run()} from one thread.
 */
public final class PipelineRun {

    /** Memory cap for the traces kept in memory for the report and the accuracy check (ROIs). */
    public static final int TRACES_IN_MEMORY = 20_000;

    private final String command;
    private final FrameSource source;
    private final AssemblyLayout layout;
    private final PlaneCalibration calibration;
    private final ResolvedConfig config;
    private final Path out;
    private LbmSimulation truth;
    private final java.util.Map<String, Object> recordingMetadata = new java.util.LinkedHashMap<>();
    private PrintStream status = System.err;
    private boolean report = true;
    private long progressFrames;
    private VolumePipeline pipeline;
    private PipelineConsumer consumer;
    private boolean checkpoint;
    private boolean resume;
    private volatile AcquisitionRun active;
    private volatile LiveView liveView;
    private volatile String lastStatus = "";
    private volatile boolean stopRequested;

    /** The checkpoint folder inside a run's output folder. */
    public static final String CHECKPOINT = "checkpoint";

    /**
     * @param command     the command's name (for run.json)
     * @param source      an open source
     * @param layout      strip layout of its pages
     * @param calibration channel order and plane offsets
     * @param config      resolved configuration
     * @param out         output folder
     */
    public PipelineRun(final String command, final FrameSource source, final AssemblyLayout layout,
            final PlaneCalibration calibration, final ResolvedConfig config, final Path out) {
        this.command = command;
        this.source = source;
        this.layout = layout;
        this.calibration = calibration;
        this.config = config;
        this.out = out;
    }

    /** Scores the run against this simulation's ground truth (detection F1, median trace r). */
    public PipelineRun truth(final LbmSimulation sim) {
        this.truth = sim;
        return this;
    }

    /** Entries for the raw recording's header (layout and calibration, so it can be reprocessed alone). */
    public PipelineRun recordingMetadata(final java.util.Map<String, Object> entries) {
        recordingMetadata.putAll(entries);
        return this;
    }

    /** Where the live status goes ({@code null}: nowhere). */
    public PipelineRun status(final PrintStream stream) {
        this.status = stream;
        return this;
    }

    /** Shows a progress bar over {@code frames} frames (offline inputs of known length). */
    public PipelineRun progress(final long frames) {
        this.progressFrames = frames;
        return this;
    }

    /** Whether to write report.html (default true, unless output.report is false). */
    public PipelineRun report(final boolean write) {
        this.report = write;
        return this;
    }

    /**
     * Keeps a checkpoint in {@code OUT/checkpoint/} (the bootstrap state, the motion record, trace files synced every
     * {@code output.checkpoint_seconds} of data) so that an interrupted offline run can be resumed; removed when the
     * run completes (unless {@code output.keep_checkpoint}).
     */
    public PipelineRun checkpoint(final boolean on) {
        this.checkpoint = on;
        return this;
    }

    /**
     * Continues the interrupted run in the output folder from its checkpoint: the volumes already done are neither
     * registered nor extracted again; their traces are replayed from the files into fresh ones, which restores the
     * dF/F baselines and the deconvolution exactly, and the source continues at the next volume. Implies
     * {@link #checkpoint(boolean)}.
     */
    public PipelineRun resume(final boolean on) {
        this.resume = on;
        if (on) {
            this.checkpoint = true;
        }
        return this;
    }

    /** The live view's status text: the acquisition's line and the processing's progress. */
    private String liveStatus() {
        final AcquisitionRun r = active;
        final PipelineConsumer c = consumer;
        if (r != null) {
            lastStatus = r.statusText();
        }
        final StringBuilder b = new StringBuilder(r != null ? lastStatus
                : lastStatus.isEmpty() ? "starting" : lastStatus + " (ended)");
        if (c != null) {
            b.append("\nvolumes processed ").append(c.volumesProcessed()).append(" | bootstrap window ")
                    .append(pipeline.bootstrapVolumes()).append(" volumes | ").append(pipeline.phase());
        }
        return b.toString();
    }

    /** The live view of the running acquisition, or {@code null} (offline, or output.live_view_seconds = 0). */
    public LiveView liveView() {
        return liveView;
    }

    /** Stops the run as Ctrl-C does (from any thread); the checkpoint is kept. */
    public void stop() {
        stopRequested = true;
        final AcquisitionRun r = active;
        if (r != null) {
            r.stop();
        }
    }

    /** The pipeline of the last run (footprints, shifts, traces kept in memory). */
    public VolumePipeline pipeline() {
        return pipeline;
    }

    /** The consumer of the last run (scan phase, latency). */
    public PipelineConsumer consumer() {
        return consumer;
    }

    /**
     * Runs to the end of the source (or Ctrl-C) and writes the outputs.
     *
     * @return the summary, also written as run.json
     * @throws FrameRingException if the run failed (after run.json has been written with what was kept)
     */
    public RunSummary run() {
        final String selector = config.getText("output.device") == null ? DeviceSelector.defaultSelector()
                : config.getText("output.device");
        try (OpenClRuntime cl = OpenClRuntime.create(selector)) {
            consumer = Pipelines.consumer(cl, source.geometry(), layout, calibration, config, out,
                    TRACES_IN_MEMORY, !source.isLive());
            pipeline = consumer.pipeline();
            final Path checkpointDir = out.resolve(CHECKPOINT);
            if (checkpoint) {
                pipeline.checkpointTo(checkpointDir, Math.max(1, Math.round(config.getDouble(
                        "output.checkpoint_seconds") * source.geometry().volumeRateHz())));
            }
            final long resumedAt = resume ? resumeFromCheckpoint(checkpointDir) : 0;
            if (!resume && "spread".equals(config.getText("detection.sample"))) {
                bootstrapOnSpreadSample(cl, checkpointDir);
            }
            final double liveEvery = config.getDouble("output.live_view_seconds");
            final LiveView view = source.isLive() && liveEvery > 0 ? new LiveView(out, "BeadStream " + command + ": "
                    + source.name(), Math.max(0.5, liveEvery), source.geometry().volumeRateHz(), 30,
                    this::liveStatus) : null;
            if (view != null) {
                pipeline.addSinkFactory(view::sinkFor);
                view.start();
                liveView = view;
                if (status != null) {
                    status.printf("live view: %s (open it in a browser; redrawn every %.1f s)%n", view.page(),
                            Math.max(0.5, liveEvery));
                }
            }
            RunSummary s;
            FrameRingException failure = null;
            try (PerformanceSampler sampler = new PerformanceSampler(consumer)) {
                sampler.start();
                final AcquisitionRun run = new AcquisitionRun(command, source, out, config)
                        .processor("pipeline", consumer).status(status).recordingMetadata(recordingMetadata)
                        .progress(Math.max(0, progressFrames - resumedAt * source.geometry().planes()))
                        .phase(pipeline::phase).releaseExternally();
                active = run;
                if (stopRequested) {
                    run.stop();
                }
                try {
                    try {
                        s = run.run();
                        if (!run.processorFailures().isEmpty()) {
                            // the pipeline failed and was detached; the recording went on to the end
                            final StringBuilder why = new StringBuilder("processing failed; every frame was recorded");
                            run.processorFailures().forEach(f -> why.append("\n  - ").append(f.describe()));
                            failure = new FrameRingException(why.toString(), run.processorFailures());
                        }
                    } catch (final FrameRingException e) {
                        failure = e;
                        s = run.summary();
                    }
                    sampler.close();
                    try {
                        pipeline.close();
                    } catch (final RuntimeException | Error e) {
                        // closing a pipeline that already failed may fail again: the first failure is the news
                        if (failure == null) {
                            throw e;
                        }
                        failure.addSuppressed(e);
                    } finally {
                        if (view != null) {
                            view.close();
                            s.put("live_view", view.page().toString());
                        }
                        final boolean complete = failure == null && !run.interrupted() && !stopRequested;
                        s.put("complete", complete);
                        if (resume) {
                            s.put("resumed_at_volume", resumedAt);
                        }
                        finishOutputs(s, cl, sampler);
                        if (checkpoint && complete && !config.getBoolean("output.keep_checkpoint")) {
                            deleteTree(checkpointDir);
                        }
                    }
                } finally {
                    active = null;
                    run.release();
                }
            }
            if (failure != null) {
                throw failure;
            }
            return s;
        }
    }

    /**
     * Prepares the pipeline and the consumer to continue the interrupted run whose checkpoint is in {@code dir}:
     * repairs its trace files (cut to the last complete volume), takes the volumes that both the traces and the motion
     * record hold as done, moves the old suite2p folder aside and replays it into fresh files, and moves the source to
     * the next volume (TIFF files seek; raw recordings skip by record headers; any other source is read up to there
     * by the consumer, which ignores the frames already done).
     *
     * @return volumes already done
     */
    private long resumeFromCheckpoint(final Path dir) {
        try {
            final Path suite2p = out.resolve("suite2p");
            if (!Files.exists(dir.resolve(BootstrapState.FILE))) {
                // Interrupted before the bootstrap ended: nothing to reuse, start from the first volume.
                deleteTree(suite2p);
                deleteTree(dir);
                return 0;
            }
            final BootstrapState st = BootstrapState.read(dir);
            final int planes = source.geometry().planes();
            long done = MotionLog.rowsIn(dir, planes);
            final Path previousRun = dir.resolve("previous");
            final Path previous = previousRun.resolve("suite2p");
            if (Files.isDirectory(previous)) {
                // Interrupted while replaying: the previous files are the whole record, the new ones are partial.
                deleteTree(suite2p);
            } else if (Files.isDirectory(suite2p)) {
                Files.createDirectories(previousRun);
                Files.move(suite2p, previous);
            } else {
                done = 0;
            }
            if (Files.isDirectory(previous)) {
                for (final Suite2pLayoutSink.RepairReport r : Suite2pLayoutSink.repair(previousRun)) {
                    done = Math.min(done, r.framesKept());
                }
            }
            consumer.resumeAt(st.scanPhase(), st.firstVolume() + done);
            pipeline.resume(st, done, previous.resolve("combined"));
            deleteTree(previousRun);
            if (source instanceof ScanImageSource sis) {
                sis.seek((st.firstVolume() + done) * planes);
            } else if (source instanceof TiffStackSource tiff) {
                tiff.seek((st.firstVolume() + done) * planes);
            } else if (source instanceof RawRecordingSource raw) {
                raw.skip(done * planes); // record headers only; the pixels of finished volumes are not read
            }
            return done;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot resume the run in " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Pass 1 over blocks spread across the whole input ({@code detection.sample = spread}, offline only), then pass 2
     * streams every volume from the first with its templates and cells.
     */
    private void bootstrapOnSpreadSample(final OpenClRuntime cl, final Path checkpointDir) {
        if (source.isLive()) {
            throw new IllegalArgumentException("detection.sample = spread needs the whole input in advance: "
                    + source.name() + " is live (use detection.sample = first)");
        }
        final int planes = source.geometry().planes();
        if (progressFrames < planes) {
            throw new IllegalArgumentException("detection.sample = spread needs the input's length: " + source.name()
                    + " does not say how many frames it holds");
        }
        final long t0 = System.nanoTime();
        final BootstrapState st = SampleBootstrap.run(cl, source, layout, calibration, config,
                progressFrames / planes);
        if (checkpoint) {
            try {
                st.write(checkpointDir);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot save the bootstrap checkpoint in " + checkpointDir + ": "
                        + e.getMessage(), e);
            }
        }
        consumer.resumeAt(st.scanPhase(), st.firstVolume());
        try {
            pipeline.resume(st, 0, null);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start the run in " + out + ": " + e.getMessage(), e);
        }
        pipeline.bootstrapTimes(System.nanoTime() - t0, 0, 0, 0);
    }

    private static void deleteTree(final Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (final Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Everything written after the frames stop: accuracy, motion offsets, NWB, report and run.json. */
    private void finishOutputs(final RunSummary s, final OpenClRuntime cl, final PerformanceSampler sampler) {
        describe(s, cl);
        if (truth != null) {
            score(s);
        }
        if (config.getBoolean("output.suite2p") && pipeline.footprints() != null) {
            writeMotion();
        }
        if (config.getBoolean("output.nwb") && config.getBoolean("output.suite2p")
                && pipeline.footprints() != null && pipeline.footprints().roiCount() > 0) {
            s.put("nwb", writeNwb().toString());
        }
        if (report && config.getBoolean("output.report")) {
            s.put("report", PipelineReport.write(out, "BeadStream " + command + ": " + source.name(), pipeline, s,
                    sampler).toString());
        }
        s.write(out);
    }

    /** xoff/yoff and the plane images beside the traces ({@link RunOutputs#writePlaneArrays}). */
    private void writeMotion() {
        RunOutputs.writePlaneArrays(out, pipeline.shiftsX(), pipeline.shiftsY(), pipeline.summaries());
    }

    /** The NWB file, made from the suite2p-layout files just written (see docs/file-formats.md). */
    private Path writeNwb() {
        return RunOutputs.writeNwb(out, config);
    }

    private void describe(final RunSummary s, final OpenClRuntime cl) {
        final double rate = source.geometry().volumeRateHz();
        s.put("device", cl.device().describe());
        s.put("volume_rate_hz", rate);
        s.put("planes", source.geometry().planes());
        s.put("plane_width", pipeline.width());
        s.put("plane_height", pipeline.height());
        s.put("volumes_processed", pipeline.volumesProcessed());
        s.put("bootstrap_volumes", pipeline.bootstrapVolumes());
        s.put("bootstrap_seconds", pipeline.bootstrapNanos() / 1e9);
        s.put("bootstrap_registration_seconds", pipeline.registrationNanos() / 1e9);
        s.put("bootstrap_summary_seconds", pipeline.summaryNanos() / 1e9);
        s.put("bootstrap_detection_seconds", pipeline.detectionNanos() / 1e9);
        s.put("volumes_skipped_in_bootstrap", pipeline.volumesDroppedInBootstrap());
        final Footprints fp = pipeline.footprints();
        s.put("rois", fp == null ? 0 : fp.roiCount());
        s.put("cells", fp == null ? 0 : fp.cells(config.getDouble("detection.iscell_threshold")).length);
        final double[] phase = consumer.scanPhase();
        for (int i = 0; i < phase.length; i++) {
            s.section("scan_phase_px").put("strip_" + i, phase[i]);
        }
        for (final StageTimes.Stage stage : StageTimes.Stage.values()) {
            final Histogram st = pipeline.stageTimes().histogram(stage);
            if (st.getTotalCount() > 0) {
                s.section("stage_ms").putObject(stage.name().toLowerCase(java.util.Locale.ROOT))
                        .put("p50", st.getValueAtPercentile(50) / 1e6).put("p99", st.getValueAtPercentile(99) / 1e6)
                        .put("mean", st.getMean() / 1e6).put("volumes", st.getTotalCount());
            }
        }
        final Histogram h = consumer.latencyTotal();
        if (h.getTotalCount() > 0) {
            s.put("latency_p50_ms", h.getValueAtPercentile(50) / 1e6);
            s.put("latency_p99_ms", h.getValueAtPercentile(99) / 1e6);
            s.put("latency_max_ms", h.getMaxValue() / 1e6);
            final double perVolume = h.getMean() / 1e9;
            s.put("processing_ms_per_volume", perVolume * 1e3);
            s.put("volumes_per_s_capacity", 1.0 / perVolume);
            s.put("real_time_factor", (1.0 / perVolume) / rate);
        }
    }

    /**
     * The simulator's truth for a finished pipeline, as the run's own score uses it: neurons that spiked at least 3
     * times in the first {@code window} volumes and lie mostly in the always-imaged field, masks moved into the
     * registration templates' frame (each plane's template sits where the average of its frames happened to be, up to
     * ~2 px from the simulator's motion-free frame).
     *
     * @param sim      the simulation that made the data
     * @param pipeline the pipeline after its run
     * @param window   volumes of the detection window (spikes are counted there)
     * @param volumes  volumes of the run's traces (0 when none were kept)
     */
    public static SimulationTruth truthOf(final LbmSimulation sim, final VolumePipeline pipeline, final int window,
            final int volumes) {
        final int planes = pipeline.planes();
        final float[][] dx = new float[planes][];
        final float[][] dy = new float[planes][];
        for (int p = 0; p < planes; p++) {
            final float[] x = pipeline.shiftX(p);
            final int n = Math.max(1, Math.min(window, x.length));
            dx[p] = java.util.Arrays.copyOf(x, n);
            dy[p] = java.util.Arrays.copyOf(pipeline.shiftY(p), n);
        }
        return new SimulationTruth(sim, pipeline.firstVolume(), Math.max(1, volumes), window, 3, 20,
                SimulationTruth.DEFAULT_MIN_INSIDE_FRACTION,
                SimulationTruth.templateOffsets(sim, pipeline.firstVolume(), dx, dy));
    }

    private void score(final RunSummary s) {
        final Footprints fp = pipeline.footprints();
        final InMemoryTraces t = pipeline.inMemoryTraces();
        if (fp == null) {
            s.put("detection_f1", Double.NaN);
            return;
        }
        final int volumes = t == null || t.rois() == 0 ? 0 : t.dff()[0].length;
        // A neuron counts when it spiked 3 times in the window the cells were detected from: the first volumes, or,
        // for a window spread over the session, the whole run (the window's blocks sample all of it).
        final int window = "spread".equals(config.getText("detection.sample")) ? Math.max(1, volumes)
                : pipeline.bootstrapVolumes();
        s.put("truth_spike_window_volumes", window);
        final SimulationTruth st = truthOf(truth, pipeline, window, volumes);
        final SimulationTruth.Score score = st.score(fp, t == null ? null : t.dff(),
                config.getDouble("detection.iscell_threshold"));
        s.put("detection_precision", score.detection().precision());
        s.put("detection_recall", score.detection().recall());
        s.put("detection_f1", score.detection().f1());
        s.put("detection_duplicates", score.detection().duplicates());
        s.put("truth_neurons_counted", score.detection().truthNeurons());
        s.put("median_trace_r", score.medianTraceR());
        s.put("neurons_matched", score.matchedWithTraces());
    }
}
