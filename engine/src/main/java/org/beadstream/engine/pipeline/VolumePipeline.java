package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.kernels.extraction.ExtractTracesKernel;
import org.beadstream.gpu.runtime.DeviceKind;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionCorrector;
import org.beadstream.motion.MotionResult;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.summary.SummaryImages;
import org.beadstream.traces.extract.OpenClTraceExtractor;
import org.beadstream.traces.extract.PackedFootprints;
import org.beadstream.traces.extract.TraceExtractor;
import org.beadstream.traces.sink.TraceSink;

/**
 * The processing core: takes assembled volumes in order and turns them into traces.
 *
 * <ol>
 *   <li><b>Bootstrap</b> (the first {@code detection.bootstrap_seconds} of volumes, kept in memory): per plane
 *       ({@link PlaneBootstrap}) the template, the registration of the window, summary images and detection; then the
 *       cross-plane merge and footprints, kept as a {@link BootstrapState}; then the window's own traces
 *       (backfill).</li>
 *   <li><b>Streaming</b>: every later volume is registered plane by plane against the templates, its F and neuropil
 *       extracted on the device in one sparse product, then dF/F, OASIS and the sinks ({@link TraceStage}).</li>
 * </ol>
 * Live and offline runs call this with the same volumes in the same order and so produce the same traces. With a
 * checkpoint folder ({@link #checkpointTo}) the bootstrap state and the motion record are saved so that an
 * interrupted offline run can {@link #resume} without redoing them. On the streaming path nothing is allocated per
 * volume (buffers are made at bootstrap), except one float per plane and volume kept for the motion record in chunks
 * of 4096.
 *
 * <p>Not thread-safe: one thread calls {@link #onVolume} and {@link #finish}.
 */
public final class VolumePipeline implements AutoCloseable {

    private final OpenClRuntime cl;
    private final ResolvedConfig config;
    private final Path out;
    private final int planes;
    private final int width;
    private final int height;
    private final int pixels;
    private final double volumeRateHz;
    private final int bootstrapVolumes;
    private final boolean offline;
    private final PlaneBootstrap boot;
    private final StageTimes stageTimes = new StageTimes();
    private final MotionCorrector corrector;

    private float[][] window;
    private long[] windowVolume;
    private int windowCount;
    private long nextShiftVolume = -1;
    private long nextTraceVolume = -1;
    private Thread bootstrapThread;
    private boolean bootstrapAttempted;
    private volatile boolean bootstrapDone;
    private volatile RuntimeException bootstrapFailure;
    private float[][] backlog;
    private long[] backlogVolume;
    private int backlogCount;
    private long volumesDroppedInBootstrap;
    private long firstVolume = -1;

    private MotionResult motionResult;
    private Footprints footprints;
    private TraceExtractor extractor;
    private TraceStage traces;
    private final List<TraceSink> extraSinks = new ArrayList<>();
    private final List<java.util.function.BiFunction<Footprints, SummaryImages[], TraceSink>> sinkFactories =
            new ArrayList<>();
    private int keepInMemory;
    private final float[] volume;
    private final float[] planeIn;
    private final float[] planeOut;
    private final float[] motionRow;
    private float[] f;
    private float[] fneu;
    private final ChunkedFloats[] shiftX;
    private final ChunkedFloats[] shiftY;
    private final ChunkedFloats[] correlation;
    private SummaryImages[] summaries;
    private VolumeSegmenter.Result segmentation;
    private BootstrapState state;
    private double[] scanPhase = new double[0];
    private Path checkpointDir;
    private MotionLog motionLog;
    private long checkpointEvery;
    private long volumesResumed;
    private long volumesProcessed;
    private long volumesMissing;
    private boolean finished;
    private long bootstrapNanos;
    private volatile String phase = "collecting the bootstrap window";
    private long registrationNanos;
    private long summaryNanos;
    private long detectionNanos;

    /**
     * @param cl           the OpenCL runtime (shared, not closed here)
     * @param planes       planes per volume (depth order)
     * @param width        assembled plane width, px
     * @param height       assembled plane height, px
     * @param volumeRateHz volumes per second
     * @param config       the resolved configuration
     * @param out          the run's output folder (sinks write there)
     * @param offline      true when the source can wait (volumes arriving during the bootstrap then wait for it
     *                     instead of being skipped when the backlog is full)
     */
    public VolumePipeline(final OpenClRuntime cl, final int planes, final int width, final int height,
            final double volumeRateHz, final ResolvedConfig config, final Path out, final boolean offline) {
        if (planes < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("volume of " + planes + " planes of " + width + " x " + height
                    + " is empty");
        }
        if (!(volumeRateHz > 0)) {
            throw new IllegalArgumentException("volume rate must be > 0 Hz, was " + volumeRateHz);
        }
        this.cl = cl;
        this.config = config;
        this.out = out;
        this.planes = planes;
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.volumeRateHz = volumeRateHz;
        this.bootstrapVolumes = PlaneBootstrap.windowVolumes(config, planes, pixels, volumeRateHz);
        this.offline = offline;
        this.window = new float[planes][];
        this.volume = new float[planes * pixels];
        this.planeIn = new float[pixels];
        this.planeOut = new float[pixels];
        this.motionRow = new float[3 * planes];
        this.shiftX = new ChunkedFloats[planes];
        this.shiftY = new ChunkedFloats[planes];
        this.correlation = new ChunkedFloats[planes];
        for (int p = 0; p < planes; p++) {
            shiftX[p] = new ChunkedFloats();
            shiftY[p] = new ChunkedFloats();
            correlation[p] = new ChunkedFloats();
        }
        // Every kernel is compiled now, at start-up, never on the frame path.
        this.boot = new PlaneBootstrap(cl, config, planes, width, height, volumeRateHz);
        this.corrector = boot.corrector();
        if (corrector != null) {
            motionResult = corrector.newResult(PlaneBootstrap.MOTION_BATCH);
        }
        new ExtractTracesKernel(cl, lanes()).close();
    }

    private int lanes() {
        return cl.device().kind() == DeviceKind.GPU ? 32 : 1;
    }

    /** Adds a sink fed after the suite2p-layout files (e.g. a live trace stream); before the bootstrap ends. */
    public VolumePipeline addSink(final TraceSink sink) {
        extraSinks.add(sink);
        return this;
    }

    /**
     * Adds a sink made when the cells are known (e.g. the live view, which needs the ROI count and the pictures); the
     * factory is called once, on the thread that ends the bootstrap. Before the bootstrap ends.
     */
    public VolumePipeline addSinkFactory(final java.util.function.BiFunction<Footprints, SummaryImages[],
            TraceSink> factory) {
        sinkFactories.add(factory);
        return this;
    }

    /** Keeps the traces of up to {@code maxRois} ROIs in memory too (for reports and accuracy checks). */
    public VolumePipeline keepTracesInMemory(final int maxRois) {
        this.keepInMemory = maxRois;
        return this;
    }

    /**
     * Saves the bootstrap state into {@code dir} when the bootstrap ends and the motion record as volumes come, and
     * syncs the trace files every {@code everyVolumes} volumes, so an interrupted run can {@link #resume}. Before the
     * first volume.
     */
    public VolumePipeline checkpointTo(final Path dir, final long everyVolumes) {
        if (everyVolumes < 1) {
            throw new IllegalArgumentException("checkpoint interval must be >= 1 volume, was " + everyVolumes);
        }
        if (firstVolume >= 0) {
            throw new IllegalStateException("checkpointing must be set before the first volume");
        }
        this.checkpointDir = dir;
        this.checkpointEvery = everyVolumes;
        return this;
    }

    /**
     * The calibration the volumes are assembled with: its offsets leave blank bands along the planes' edges, which
     * detection avoids ({@link PlaneBootstrap#blankMargins}). Before the bootstrap.
     */
    public VolumePipeline calibration(final PlaneCalibration calibration) {
        boot.blankMargins(calibration);
        return this;
    }

    /** The scan phase per strip the volumes were assembled with (saved with the bootstrap state). */
    public void scanPhase(final double[] perStripPx) {
        this.scanPhase = perStripPx.clone();
    }

    /**
     * Continues an interrupted run: takes its bootstrap state (templates, footprints) instead of bootstrapping, its
     * motion record for the first {@code volumesDone} volumes, and replays their F and neuropil from
     * {@code previousCombined} (the interrupted run's {@code suite2p/combined}, moved aside) into fresh sinks, which
     * restores dF/F baselines and deconvolution exactly; the next volume must be {@code firstVolume + volumesDone}.
     * Before the first volume.
     *
     * @throws IOException naming the file when the record or the traces cannot be read
     */
    public void resume(final BootstrapState s, final long volumesDone, final Path previousCombined)
            throws IOException {
        if (firstVolume >= 0 || footprints != null) {
            throw new IllegalStateException("resume must come before the first volume");
        }
        if (s.planes() != planes || s.width() != width || s.height() != height) {
            throw new IllegalArgumentException("checkpoint is for " + s.planes() + " planes of " + s.width() + " x "
                    + s.height() + ", this run has " + planes + " of " + width + " x " + height);
        }
        if (volumesDone < 0 || volumesDone > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("volumes done must be in [0, 2^31), was " + volumesDone);
        }
        state = s;
        footprints = s.footprints();
        summaries = s.summaries();
        scanPhase = s.scanPhase().clone();
        if (corrector != null) {
            for (int p = 0; p < planes; p++) {
                if (s.template(p) == null) {
                    throw new IllegalArgumentException("checkpoint has no template for plane " + p
                            + " but motion correction is on");
                }
                corrector.setTemplate(p, s.template(p));
            }
        }
        boot.releaseSummaryBuffers();
        window = null;
        firstVolume = s.firstVolume();
        final float[][][] m = checkpointDir == null || volumesDone == 0 ? null
                : MotionLog.read(checkpointDir, planes, (int) volumesDone);
        for (int v = 0; v < volumesDone; v++) {
            for (int p = 0; p < planes; p++) {
                shiftX[p].add(m == null ? Float.NaN : m[0][p][v]);
                shiftY[p].add(m == null ? Float.NaN : m[1][p][v]);
                correlation[p].add(m == null ? Float.NaN : m[2][p][v]);
            }
        }
        if (checkpointDir != null) {
            motionLog = new MotionLog(checkpointDir, planes, volumesDone);
        }
        nextShiftVolume = firstVolume + volumesDone;
        setUpExtraction();
        if (traces != null && volumesDone > 0) {
            traces.replay(previousCombined, volumesDone);
        }
        nextTraceVolume = firstVolume + volumesDone;
        volumesProcessed = volumesDone;
        volumesResumed = volumesDone;
        phase = footprints.roiCount() + " ROIs; resumed after volume " + volumesDone;
    }

    /** Records how long a bootstrap done elsewhere ({@link SampleBootstrap}) took, for run.json. */
    void bootstrapTimes(final long total, final long registration, final long summary, final long detection) {
        this.bootstrapNanos = total;
        this.registrationNanos = registration;
        this.summaryNanos = summary;
        this.detectionNanos = detection;
    }

    /** The traces kept in memory ({@link #keepTracesInMemory}), or {@code null}. */
    public InMemoryTraces inMemoryTraces() {
        return traces == null ? null : traces.inMemory();
    }

    /** Volumes in the bootstrap window. */
    public int bootstrapVolumes() {
        return bootstrapVolumes;
    }

    /**
     * Processes one complete volume (volumes must come in increasing order; a gap is counted as missing volumes).
     *
     * @param v an assembled, complete volume (read here, not kept)
     */
    public void onVolume(final AssembledVolume v) {
        if (finished) {
            throw new IllegalStateException("pipeline already finished");
        }
        if (bootstrapThread == null && footprints == null) {
            if (firstVolume < 0) {
                firstVolume = v.volume();
                nextShiftVolume = firstVolume;
                nextTraceVolume = firstVolume;
                windowVolume = new long[bootstrapVolumes];
                if (checkpointDir != null) {
                    try {
                        motionLog = new MotionLog(checkpointDir, planes, 0);
                    } catch (final IOException e) {
                        throw new UncheckedIOException("cannot start the motion record in " + checkpointDir + ": "
                                + e.getMessage(), e);
                    }
                }
            }
            windowVolume[windowCount] = v.volume();
            for (int p = 0; p < planes; p++) {
                if (window[p] == null) {
                    window[p] = new float[bootstrapVolumes * pixels];
                }
                v.copyPlane(p, planeIn);
                System.arraycopy(planeIn, 0, window[p], windowCount * pixels, pixels);
            }
            windowCount++;
            if (windowCount == bootstrapVolumes) {
                if (offline) {
                    // The source can wait: bootstrap here, so every later volume is processed as it comes.
                    bootstrap();
                    emitWindow();
                } else {
                    startBootstrap();
                }
            }
            return;
        }
        if (bootstrapThread != null) {
            if (!bootstrapDone) {
                if (backlogCount < backlog.length) {
                    for (int p = 0; p < planes; p++) {
                        v.copyPlane(p, planeIn);
                        System.arraycopy(planeIn, 0, backlog[backlogCount], p * pixels, pixels);
                    }
                    backlogVolume[backlogCount++] = v.volume();
                    return;
                }
                if (!offline) {
                    volumesDroppedInBootstrap++;
                    return;
                }
            }
            completeBootstrap();
        }
        shiftGap(v.volume());
        final long t0 = System.nanoTime();
        for (int p = 0; p < planes; p++) {
            v.copyPlane(p, planeIn);
            register(p);
        }
        stageTimes.record(StageTimes.Stage.REGISTRATION, System.nanoTime() - t0);
        recordMotion();
        extractAndEmit(v.volume());
    }

    /** Motion record: NaN for every volume missing before {@code volume} (skipped live), then expects the next. */
    private void shiftGap(final long volume) {
        while (nextShiftVolume < volume) {
            Arrays.fill(motionRow, Float.NaN);
            recordMotion();
            nextShiftVolume++;
        }
        nextShiftVolume = volume + 1;
    }

    /** Appends {@link #motionRow} (dx, dy, correlation per plane) to the motion record. */
    private void recordMotion() {
        for (int p = 0; p < planes; p++) {
            shiftX[p].add(motionRow[3 * p]);
            shiftY[p].add(motionRow[3 * p + 1]);
            correlation[p].add(motionRow[3 * p + 2]);
        }
        if (motionLog != null) {
            motionLog.append(motionRow);
        }
    }

    /** Starts the bootstrap on its own thread and makes the backlog that holds volumes meanwhile. */
    private void startBootstrap() {
        final long volumeBytes = 4L * planes * pixels;
        final long byTime = Math.round(config.getDouble("detection.backlog_seconds") * volumeRateHz);
        final long byMemory = (config.getLong("detection.backlog_max_mib") << 20) / volumeBytes;
        final int cap = (int) Math.max(0, Math.min(Integer.MAX_VALUE - 8, Math.min(byTime, byMemory)));
        backlog = new float[cap][];
        for (int i = 0; i < cap; i++) {
            backlog[i] = new float[planes * pixels];
        }
        backlogVolume = new long[cap];
        bootstrapThread = new Thread(() -> {
            try {
                bootstrap();
            } catch (final RuntimeException | Error e) {
                bootstrapFailure = e instanceof RuntimeException re ? re
                        : new IllegalStateException("bootstrap failed: " + e, e);
            } finally {
                bootstrapDone = true;
            }
        }, "beadstream-bootstrap");
        bootstrapThread.setDaemon(true);
        bootstrapThread.start();
    }

    /** On the processing thread: waits for the bootstrap, emits the window's traces, then the backlog's. */
    private void completeBootstrap() {
        try {
            bootstrapThread.join();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the bootstrap", e);
        }
        bootstrapThread = null;
        if (bootstrapFailure != null) {
            throw bootstrapFailure;
        }
        emitWindow();
        for (int i = 0; i < backlogCount; i++) {
            shiftGap(backlogVolume[i]);
            for (int p = 0; p < planes; p++) {
                System.arraycopy(backlog[i], p * pixels, planeIn, 0, pixels);
                register(p);
            }
            recordMotion();
            extractAndEmit(backlogVolume[i]);
        }
        backlog = null;
        backlogVolume = null;
        backlogCount = 0;
    }

    /**
     * Registers the plane frame in {@link #planeIn} into its place in {@link #volume} and its motion into
     * {@link #motionRow}. Plain arrays, not buffer views, go to the device: the runtime keeps one JOCL pointer per
     * array, so this allocates nothing per frame (a pointer into a buffer view is a new object per call).
     */
    private void register(final int p) {
        if (corrector == null) {
            System.arraycopy(planeIn, 0, volume, p * pixels, pixels);
            motionRow[3 * p] = 0f;
            motionRow[3 * p + 1] = 0f;
            motionRow[3 * p + 2] = Float.NaN;
            return;
        }
        corrector.correct(p, planeIn, 1, planeOut, motionResult);
        System.arraycopy(planeOut, 0, volume, p * pixels, pixels);
        motionRow[3 * p] = motionResult.dx(0);
        motionRow[3 * p + 1] = motionResult.dy(0);
        motionRow[3 * p + 2] = motionResult.correlation(0);
    }

    /**
     * Extracts the traces of {@code volumeIndex} from {@link #volume} and hands them on; volumes missing before it
     * (skipped live) first get NaN columns, so the trace files stay aligned with the acquisition.
     */
    private void extractAndEmit(final long volumeIndex) {
        if (traces == null) {
            volumesMissing += Math.max(0, volumeIndex - nextTraceVolume);
            nextTraceVolume = volumeIndex + 1;
            volumesProcessed++;
            return;
        }
        while (nextTraceVolume < volumeIndex) {
            traces.onMissingVolume();
            volumesMissing++;
            nextTraceVolume++;
        }
        nextTraceVolume = volumeIndex + 1;
        final long t0 = System.nanoTime();
        extractor.extract(volume, f, fneu);
        final long t1 = System.nanoTime();
        traces.onVolume(f, fneu);
        stageTimes.record(StageTimes.Stage.EXTRACTION, t1 - t0);
        stageTimes.record(StageTimes.Stage.TRACES, System.nanoTime() - t1);
        volumesProcessed++;
        if (motionLog != null && volumesProcessed % checkpointEvery == 0) {
            checkpoint();
        }
    }

    /** Forces the trace files and the motion record to disk: everything up to here survives a crash. */
    private void checkpoint() {
        motionLog.flush();
        traces.sync();
    }

    /**
     * Builds templates, registers the window, detects cells and sets up extraction (on the bootstrap thread, or on the
     * processing thread at the end of a short stream). Emits nothing: {@link #emitWindow()} does, in order.
     */
    private void bootstrap() {
        // once only: a bootstrap that failed (out of memory, a device error) is not tried again by finish(), which
        // would hide the first error behind a second one
        bootstrapAttempted = true;
        final long t0 = System.nanoTime();
        final int n = windowCount;
        final int threads = Math.max(1, Math.min(planes, Runtime.getRuntime().availableProcessors()));
        final VolumeSegmenter seg = PlaneBootstrap.segmenter(config, threads, n, volumeRateHz);
        final List<PlaneBootstrap.Result> results = PlaneBootstrap.prepareAndDetect(planes, p -> {
            phase = "bootstrap: template, registration and images of plane " + (p + 1) + " of " + planes
                    + (p > 0 ? ", detecting cells meanwhile" : "");
            final PlaneBootstrap.Prepared pr = boot.prepare(p, window[p], n);
            registrationNanos += pr.result().registrationNanos();
            summaryNanos += pr.result().summaryNanos();
            return pr;
        }, seg);
        boot.releaseSummaryBuffers();
        long detectNanos = 0;
        for (final PlaneBootstrap.Result r : results) {
            detectNanos += r.detectionNanos();
        }
        for (int i = 0; i < n; i++) {
            shiftGap(windowVolume[i]);
            for (int p = 0; p < planes; p++) {
                final PlaneBootstrap.Result r = results.get(p);
                motionRow[3 * p] = r.dx()[i];
                motionRow[3 * p + 1] = r.dy()[i];
                motionRow[3 * p + 2] = r.correlation()[i];
            }
            recordMotion();
        }
        final long td = System.nanoTime();
        phase = "bootstrap: merging cells across " + planes + " planes";
        final List<PlaneDetection> detections = new ArrayList<>(planes);
        for (final PlaneBootstrap.Result r : results) {
            detections.add(r.detection());
        }
        segmentation = seg.merge(detections, width, height, new double[planes], new double[planes], td);
        // detection CPU time over the planes (it overlapped registration) plus the merge
        detectionNanos = detectNanos + System.nanoTime() - td;
        footprints = segmentation.footprints();
        state = BootstrapState.of(results, footprints, width, height, volumeRateHz,
                Arrays.copyOf(windowVolume, n), scanPhase);
        summaries = state.summaries();
        if (checkpointDir != null) {
            try {
                state.write(checkpointDir);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot save the bootstrap checkpoint in " + checkpointDir + ": "
                        + e.getMessage(), e);
            }
        }
        setUpExtraction();
        bootstrapNanos = System.nanoTime() - t0;
        phase = footprints.roiCount() + " ROIs; registering and extracting";
    }

    /** Device footprints and the trace stage, once the footprints are known. */
    private void setUpExtraction() {
        final int rois = footprints.roiCount();
        if (rois > 0) {
            f = new float[rois];
            fneu = new float[rois];
            extractor = new OpenClTraceExtractor(cl, cl.createQueue(), PackedFootprints.of(footprints), lanes());
            final List<TraceSink> sinks = new ArrayList<>(extraSinks);
            for (final var factory : sinkFactories) {
                sinks.add(factory.apply(footprints, summaries));
            }
            traces = new TraceStage(footprints, volumeRateHz, config, out, keepInMemory, sinks);
        }
    }

    /** Backfill: the window's own traces, in order (on the processing thread). */
    private void emitWindow() {
        for (int i = 0; i < windowCount; i++) {
            for (int p = 0; p < planes; p++) {
                System.arraycopy(window[p], i * pixels, volume, p * pixels, pixels);
            }
            extractAndEmit(windowVolume[i]);
        }
        window = null;
    }

    static DetectionParameters detectionParameters(final ResolvedConfig config, final double diameterPx) {
        final DetectionParameters d = DetectionParameters.DEFAULT;
        return new DetectionParameters(Math.max(3, Math.min(100, diameterPx)), config.getDouble("detection.bin_s"),
                config.getInt("detection.min_bins"), d.highPassBins(), d.spatialHighPass(),
                Math.max(1, Math.min(20, d.eventThreshold() * config.getDouble("detection.threshold_scaling"))),
                config.getDouble("detection.min_score"), config.getDouble("detection.active_sigma"),
                d.weightFraction(), d.growthIterations(), d.maxOverlap(), d.minPixelsFraction(), d.maxPixelsFraction(),
                config.getInt("detection.max_rois_per_plane"));
    }

    /**
     * Ends the run: a stream shorter than the bootstrap window is bootstrapped with what came (at least 3 volumes),
     * lagged spikes are flushed and the sinks closed.
     */
    public void finish() {
        if (finished) {
            return;
        }
        if (bootstrapThread == null && footprints == null && windowCount >= 3 && !bootstrapAttempted) {
            bootstrap();
            emitWindow();
        } else if (bootstrapThread != null) {
            completeBootstrap();
        }
        finished = true;
        try {
            if (motionLog != null) {
                motionLog.close();
            }
        } finally {
            if (traces != null) {
                traces.close();
            }
        }
    }

    /** What the pipeline is doing now, in words (any thread). */
    public String phase() {
        return phase;
    }

    /** Per-stage times of the volumes processed (registration only for volumes streamed after the bootstrap). */
    public StageTimes stageTimes() {
        return stageTimes;
    }

    /** True once the bootstrap has ended and volumes are processed as they come (processing thread only). */
    public boolean streaming() {
        return bootstrapThread == null && footprints != null;
    }

    /** The footprints found at bootstrap, or {@code null} before. */
    public Footprints footprints() {
        return footprints;
    }

    /** What the bootstrap decided (templates, footprints, scan phase), or {@code null} before it ended. */
    public BootstrapState bootstrapState() {
        return state;
    }

    /** The segmentation result (per-plane detections, merges), or {@code null} before bootstrap or when resumed. */
    public VolumeSegmenter.Result segmentation() {
        return segmentation;
    }

    /** Summary images of the registered bootstrap window, per plane, or {@code null} before bootstrap. */
    public SummaryImages[] summaries() {
        return summaries;
    }

    /** Rigid x shift of every processed volume of {@code plane}, px. */
    public float[] shiftX(final int plane) {
        return shiftX[plane].toArray();
    }

    /** Rigid x shifts of every processed volume, per plane ({@code [plane][volume]}), px. */
    public float[][] shiftsX() {
        final float[][] x = new float[planes][];
        for (int p = 0; p < planes; p++) {
            x[p] = shiftX(p);
        }
        return x;
    }

    /** Rigid y shifts of every processed volume, per plane ({@code [plane][volume]}), px. */
    public float[][] shiftsY() {
        final float[][] y = new float[planes][];
        for (int p = 0; p < planes; p++) {
            y[p] = shiftY(p);
        }
        return y;
    }

    /** Rigid y shift of every processed volume of {@code plane}, px. */
    public float[] shiftY(final int plane) {
        return shiftY[plane].toArray();
    }

    /** Correlation with the template of every processed volume of {@code plane}. */
    public float[] templateCorrelation(final int plane) {
        return correlation[plane].toArray();
    }

    /** Volumes whose traces were emitted (including those restored by {@link #resume}). */
    public long volumesProcessed() {
        return volumesProcessed;
    }

    /** Volumes restored from a checkpoint by {@link #resume} (0 for a run from the start). */
    public long volumesResumed() {
        return volumesResumed;
    }

    /** Volumes missing from the sequence (skipped upstream). */
    public long volumesMissing() {
        return volumesMissing;
    }

    /** Volumes skipped because they arrived while the bootstrap ran and its backlog was full (live only). */
    public long volumesDroppedInBootstrap() {
        return volumesDroppedInBootstrap;
    }

    /** Index of the first volume seen. */
    public long firstVolume() {
        return firstVolume;
    }

    /** Wall time of the bootstrap (templates, registration, detection), ns. */
    public long bootstrapNanos() {
        return bootstrapNanos;
    }

    /** Bootstrap time spent building templates and registering the window, ns. */
    public long registrationNanos() {
        return registrationNanos;
    }

    /** Bootstrap time spent on summary images, ns. */
    public long summaryNanos() {
        return summaryNanos;
    }

    /** Bootstrap time spent detecting, merging and building footprints, ns. */
    public long detectionNanos() {
        return detectionNanos;
    }

    /** Planes per volume. */
    public int planes() {
        return planes;
    }

    /** Plane width, px. */
    public int width() {
        return width;
    }

    /** Plane height, px. */
    public int height() {
        return height;
    }

    @Override
    public void close() {
        try {
            finish();
        } finally {
            if (extractor != null) {
                extractor.close();
            }
            boot.close();
        }
    }
}
