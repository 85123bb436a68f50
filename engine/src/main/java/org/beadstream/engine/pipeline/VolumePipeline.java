package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.runtime.DeviceKind;
import org.beadstream.gpu.kernels.extraction.ExtractTracesKernel;
import org.beadstream.gpu.kernels.summary.DeviceSummaryImages;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionCorrector;
import org.beadstream.motion.MotionResult;
import org.beadstream.motion.MotionSettings;
import org.beadstream.motion.PhaseCorrelationCorrector;
import org.beadstream.motion.TemplateBuilder;
import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.summary.SummaryImageCalculator;
import org.beadstream.segmentation.summary.SummaryImages;
import org.beadstream.traces.TraceProcessor;
import org.beadstream.traces.deconvolution.OasisParameters;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.BaselineEstimator;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.MaximinBaseline;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
import org.beadstream.traces.extract.OpenClTraceExtractor;
import org.beadstream.traces.extract.PackedFootprints;
import org.beadstream.traces.extract.TraceExtractor;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.beadstream.traces.sink.TraceSink;

/**
 * The processing core: takes assembled volumes in order and turns them into traces.
 *
 * <ol>
 *   <li><b>Bootstrap</b> (the first {@code detection.bootstrap_seconds} of volumes, kept in memory): per-plane
 *       templates ({@link TemplateBuilder}), registration of the window, summary images, detection per plane,
 *       cross-plane merge and footprints ({@link VolumeSegmenter}), then the window's own traces (backfill).</li>
 *   <li><b>Streaming</b>: every later volume is registered plane by plane against the templates, its F and neuropil
 *       extracted on the device in one sparse product, then dF/F, OASIS and the sinks ({@link TraceProcessor}).</li>
 * </ol>
 * Live and offline runs call this with the same volumes in the same order and so produce the same traces. On the
 * streaming path nothing is allocated per volume (buffers are made at bootstrap), except one float per plane and
 * volume kept for the motion record in chunks of 4096.
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
    private final boolean motionEnabled;

    private float[][] window;
    private long[] windowVolume;
    private int windowCount;
    private long nextShiftVolume = -1;
    private long nextTraceVolume = -1;
    private final boolean offline;
    private Thread bootstrapThread;
    private volatile boolean bootstrapDone;
    private volatile RuntimeException bootstrapFailure;
    private float[][] backlog;
    private long[] backlogVolume;
    private int backlogCount;
    private long volumesDroppedInBootstrap;
    private long firstVolume = -1;

    private MotionCorrector corrector;
    private MotionCorrector templateCorrector;
    private MotionResult motionResult;
    private Footprints footprints;
    private TraceExtractor extractor;
    private TraceProcessor traces;
    private final List<TraceSink> extraSinks = new ArrayList<>();
    private int keepInMemory;
    private InMemoryTraces inMemory;
    private final float[] volume;
    private final float[] planeIn;
    private final float[] planeOut;
    private float[] f;
    private float[] fneu;
    private final ChunkedFloats[] shiftX;
    private final ChunkedFloats[] shiftY;
    private final ChunkedFloats[] correlation;
    private SummaryImages[] summaries;
    private DeviceSummaryImages deviceSummaries;
    private VolumeSegmenter.Result segmentation;
    private long volumesProcessed;
    private long lastVolume = -1;
    private long volumesMissing;
    private boolean finished;
    private long bootstrapNanos;
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
        final long byMemory = (config.getLong("detection.bootstrap_max_mib") << 20) / (4L * planes * pixels);
        this.bootstrapVolumes = (int) Math.max(3, Math.min(byMemory,
                Math.round(config.getDouble("detection.bootstrap_seconds") * volumeRateHz)));
        this.motionEnabled = config.getBoolean("motion.enabled");
        this.offline = offline;
        this.window = new float[planes][];
        this.volume = new float[planes * pixels];
        this.planeIn = new float[pixels];
        this.planeOut = new float[pixels];
        this.shiftX = new ChunkedFloats[planes];
        this.shiftY = new ChunkedFloats[planes];
        this.correlation = new ChunkedFloats[planes];
        for (int p = 0; p < planes; p++) {
            shiftX[p] = new ChunkedFloats();
            shiftY[p] = new ChunkedFloats();
            correlation[p] = new ChunkedFloats();
        }
        // Every kernel is compiled now, at start-up, never on the frame path.
        if (motionEnabled) {
            final MotionSettings ms = motionSettings();
            corrector = new PhaseCorrelationCorrector(cl, ms);
            motionResult = corrector.newResult(MOTION_BATCH);
            // Templates are built with rigid registration only, as suite2p builds its reference image: a third of the
            // cost of rigid + piecewise-rigid rounds, and the template is then refined by nothing but averaging.
            templateCorrector = ms.nonRigid() ? new PhaseCorrelationCorrector(cl, ms.withNonRigid(false)) : corrector;
        }
        new ExtractTracesKernel(cl, lanes()).close();
        deviceSummaries = new DeviceSummaryImages(cl, width, height, SUMMARY_CHUNK);
    }

    private static final int SUMMARY_CHUNK = 64;

    private static final int MOTION_BATCH = 64;

    private int lanes() {
        return cl.device().kind() == DeviceKind.GPU ? 32 : 1;
    }

    private MotionSettings motionSettings() {
        final int maxShift = Math.max(1, (int) Math.round(config.getDouble("motion.max_shift_fraction")
                * Math.min(width, height)));
        MotionSettings ms = MotionSettings.defaults(height, width).withPlanes(planes).withMaxShift(maxShift)
                .withWhiten(config.getBoolean("motion.whitening"));
        final boolean nonRigid = config.getBoolean("motion.nonrigid")
                && Math.min(width, height) >= 2 * config.getInt("motion.block_size_px");
        ms = ms.withNonRigid(nonRigid);
        if (nonRigid) {
            ms = ms.withBlockSize(config.getInt("motion.block_size_px"))
                    .withMaxBlockShift((int) Math.ceil(config.getDouble("motion.max_block_shift_px")));
        }
        return ms.withMaxBatch(MOTION_BATCH);
    }

    /** Adds a sink fed after the suite2p-layout files (e.g. a live trace stream); before the bootstrap ends. */
    public VolumePipeline addSink(final TraceSink sink) {
        extraSinks.add(sink);
        return this;
    }

    /** Keeps the traces of up to {@code maxRois} ROIs in memory too (for reports and accuracy checks). */
    public VolumePipeline keepTracesInMemory(final int maxRois) {
        this.keepInMemory = maxRois;
        return this;
    }

    /** The traces kept in memory ({@link #keepTracesInMemory}), or {@code null}. */
    public InMemoryTraces inMemoryTraces() {
        return inMemory;
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
        lastVolume = v.volume();
        if (bootstrapThread == null && footprints == null) {
            if (firstVolume < 0) {
                firstVolume = v.volume();
                nextShiftVolume = firstVolume;
                nextTraceVolume = firstVolume;
                windowVolume = new long[bootstrapVolumes];
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
        for (int p = 0; p < planes; p++) {
            v.copyPlane(p, planeIn);
            register(p);
        }
        extractAndEmit(v.volume());
    }

    /** Motion record: NaN for every volume missing before {@code volume} (skipped live), then expects the next. */
    private void shiftGap(final long volume) {
        while (nextShiftVolume < volume) {
            for (int p = 0; p < planes; p++) {
                shiftX[p].add(Float.NaN);
                shiftY[p].add(Float.NaN);
                correlation[p].add(Float.NaN);
            }
            nextShiftVolume++;
        }
        nextShiftVolume = volume + 1;
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
            extractAndEmit(backlogVolume[i]);
        }
        backlog = null;
        backlogVolume = null;
        backlogCount = 0;
    }

    /**
     * Registers the plane frame in {@link #planeIn} into its place in {@link #volume}. Plain arrays, not buffer views,
     * go to the device: the runtime keeps one JOCL pointer per array, so this allocates nothing per frame (a pointer
     * into a buffer view is a new object per call).
     */
    private void register(final int p) {
        if (corrector == null) {
            System.arraycopy(planeIn, 0, volume, p * pixels, pixels);
            shiftX[p].add(0f);
            shiftY[p].add(0f);
            correlation[p].add(Float.NaN);
            return;
        }
        corrector.correct(p, planeIn, 1, planeOut, motionResult);
        System.arraycopy(planeOut, 0, volume, p * pixels, pixels);
        shiftX[p].add(motionResult.dx(0));
        shiftY[p].add(motionResult.dy(0));
        correlation[p].add(motionResult.correlation(0));
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
        try {
            while (nextTraceVolume < volumeIndex) {
                traces.onMissingVolume();
                volumesMissing++;
                nextTraceVolume++;
            }
            nextTraceVolume = volumeIndex + 1;
            extractor.extract(volume, f, fneu);
            traces.onVolume(f, fneu);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write traces of volume " + volumesProcessed + " into " + out
                    + ": " + e.getMessage(), e);
        }
        volumesProcessed++;
    }

    /**
     * Builds templates, registers the window, detects cells and sets up extraction (on the bootstrap thread, or on the
     * processing thread at the end of a short stream). Emits nothing: {@link #emitWindow()} does, in order.
     */
    private void bootstrap() {
        final long t0 = System.nanoTime();
        final int n = windowCount;
        final float[][][] windowShifts = new float[3][planes][n];
        if (corrector != null) {
            final MotionResult batch = corrector.newResult(MOTION_BATCH);
            final TemplateBuilder tb = TemplateBuilder.defaults();
            final int sample = Math.min(n, config.getInt("motion.template_frames"));
            final float[] registered = new float[n * pixels];
            for (int p = 0; p < planes; p++) {
                corrector.setTemplate(p, tb.build(templateCorrector, p, window[p], sample));
                for (int s = 0; s < n; s += MOTION_BATCH) {
                    final int c = Math.min(MOTION_BATCH, n - s);
                    final FloatBuffer in = FloatBuffer.wrap(window[p], s * pixels, c * pixels).slice();
                    final FloatBuffer o = FloatBuffer.wrap(registered, s * pixels, c * pixels).slice();
                    corrector.correct(p, in, c, o, batch);
                    for (int i = 0; i < c; i++) {
                        windowShifts[0][p][s + i] = batch.dx(i);
                        windowShifts[1][p][s + i] = batch.dy(i);
                        windowShifts[2][p][s + i] = batch.correlation(i);
                    }
                }
                System.arraycopy(registered, 0, window[p], 0, n * pixels);
            }
        } else {
            for (int p = 0; p < planes; p++) {
                java.util.Arrays.fill(windowShifts[2][p], Float.NaN);
            }
        }
        for (int i = 0; i < n; i++) {
            shiftGap(windowVolume[i]);
            for (int p = 0; p < planes; p++) {
                shiftX[p].add(windowShifts[0][p][i]);
                shiftY[p].add(windowShifts[1][p][i]);
                correlation[p].add(windowShifts[2][p][i]);
            }
        }
        registrationNanos = System.nanoTime() - t0;
        // Summary images (for the report and the stats) and detection.
        final double diameterPx = config.getDouble("detection.cell_diameter_um")
                / config.getDouble("detection.pixel_size_um");
        final SummaryImageCalculator calc = SummaryImageCalculator.onDevice(deviceSummaries, diameterPx);
        summaries = new SummaryImages[planes];
        final List<BinnedMovie> binned = new ArrayList<>(planes);
        final DetectionParameters dp = detectionParameters(diameterPx);
        final float[] masked = new float[n * pixels];
        for (int p = 0; p < planes; p++) {
            final long ts = System.nanoTime();
            summaries[p] = calc.compute(window[p], n, width, height);
            summaryNanos += System.nanoTime() - ts;
            System.arraycopy(window[p], 0, masked, 0, n * pixels);
            maskBorder(p, n, masked);
            binned.add(BinnedMovie.of(masked, n, height, width, volumeRateHz, dp));
        }
        deviceSummaries.close();
        deviceSummaries = null;
        final VolumeSegmenter seg = new VolumeSegmenter(dp, MergeParameters.DEFAULT, NeuropilParameters.DEFAULT,
                CellClassifier.standard(), Math.max(1, Math.min(planes, Runtime.getRuntime().availableProcessors())));
        final long td = System.nanoTime();
        segmentation = seg.segment(binned, new double[planes], new double[planes]);
        detectionNanos = System.nanoTime() - td;
        binned.clear();
        footprints = segmentation.footprints();
        final int rois = footprints.roiCount();
        if (rois > 0) {
            f = new float[rois];
            fneu = new float[rois];
            extractor = new OpenClTraceExtractor(cl, cl.createQueue(), PackedFootprints.of(footprints), lanes());
            traces = new TraceProcessor(dff(rois), new OnlineOasis(rois, oasis()), volumeRateHz, sinks());
        }
        bootstrapNanos = System.nanoTime() - t0;
    }

    /**
     * Registration fills the pixels it shifts in from outside the field of view by repeating the edge, which makes a
     * band along the borders flicker with the motion and look "active" to the detector. As suite2p does (it crops the
     * largest shift), the band as wide as the largest shift in the window is set to the plane's mean value in every
     * frame of {@code w} (a copy of the window used for detection only; traces come from unmasked frames), so no ROI
     * is seeded there.
     */
    private void maskBorder(final int p, final int n, final float[] w) {
        double m = 0;
        for (long i = 0; i < shiftX[p].size(); i++) {
            final float ax = Math.abs(shiftX[p].get(i));
            final float ay = Math.abs(shiftY[p].get(i));
            if (Float.isFinite(ax) && Float.isFinite(ay)) {
                m = Math.max(m, Math.max(ax, ay));
            }
        }
        if (corrector != null && corrector.blocksPerFrame() > 0) {
            m += config.getDouble("motion.max_block_shift_px");
        }
        final int band = (int) Math.min(Math.min(width, height) / 4, corrector == null ? 0 : Math.ceil(m) + 1);
        if (band <= 0) {
            return;
        }
        final float[] mean = summaries[p].mean();
        double sum = 0;
        for (final float v : mean) {
            sum += v;
        }
        final float fill = (float) (sum / mean.length);
        for (int i = 0; i < n; i++) {
            final int base = i * pixels;
            for (int y = 0; y < height; y++) {
                final boolean rowIn = y < band || y >= height - band;
                for (int x = 0; x < width; x++) {
                    if (rowIn || x < band || x >= width - band) {
                        w[base + y * width + x] = fill;
                    }
                }
            }
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

    private DetectionParameters detectionParameters(final double diameterPx) {
        final DetectionParameters d = DetectionParameters.DEFAULT;
        return new DetectionParameters(Math.max(3, Math.min(100, diameterPx)), config.getDouble("traces.tau_s"),
                d.minBins(), d.highPassBins(), d.spatialHighPass(),
                Math.max(1, Math.min(20, d.eventThreshold() * config.getDouble("detection.threshold_scaling"))),
                d.minScore(), d.activeSigma(), d.weightFraction(), d.growthIterations(), d.maxOverlap(),
                d.minPixelsFraction(), d.maxPixelsFraction(), config.getInt("detection.max_rois_per_plane"));
    }

    private DeltaFOverF dff(final int rois) {
        final int windowFrames = Math.max(1, (int) Math.round(config.getDouble("traces.baseline_window_s")
                * volumeRateHz));
        final int down = Math.max(1, Math.min(windowFrames, windowFrames / 64));
        final BaselineEstimator b = "maximin".equals(config.getText("traces.baseline"))
                ? new MaximinBaseline(rois, Math.max(0, 0.1 * windowFrames / 6), windowFrames, down)
                : new SlidingPercentileBaseline(rois, windowFrames, config.getDouble("traces.baseline_percentile"),
                        down);
        return new DeltaFOverF((float) config.getDouble("traces.neuropil_coefficient"), 1f, b);
    }

    private OasisParameters oasis() {
        return OasisParameters.fromTau(config.getDouble("traces.tau_s"), volumeRateHz)
                .withLambda(config.getDouble("traces.oasis_lambda")).withSMin(config.getDouble("traces.oasis_s_min"));
    }

    private List<TraceSink> sinks() {
        final List<TraceSink> sinks = new ArrayList<>();
        if (config.getBoolean("output.suite2p")) {
            try {
                final Map<String, Object> cfg = config.asMap();
                sinks.add(new Suite2pLayoutSink(out, footprints, volumeRateHz,
                        config.getDouble("detection.iscell_threshold"), cfg, Math.max(1, (int) volumeRateHz)));
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create the suite2p-layout output in " + out + ": "
                        + e.getMessage(), e);
            }
        }
        if (keepInMemory > 0) {
            inMemory = new InMemoryTraces(footprints.roiCount(), keepInMemory);
            sinks.add(inMemory);
        }
        sinks.addAll(extraSinks);
        return sinks;
    }

    /**
     * Ends the run: a stream shorter than the bootstrap window is bootstrapped with what came (at least 3 volumes),
     * lagged spikes are flushed and the sinks closed.
     */
    public void finish() {
        if (finished) {
            return;
        }
        if (bootstrapThread == null && footprints == null && windowCount >= 3) {
            bootstrap();
            emitWindow();
        } else if (bootstrapThread != null) {
            completeBootstrap();
        }
        finished = true;
        if (traces != null) {
            try {
                traces.close();
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot finish the trace files in " + out + ": " + e.getMessage(), e);
            }
        }
    }

    /** True once the bootstrap has ended and volumes are processed as they come (processing thread only). */
    public boolean streaming() {
        return bootstrapThread == null && footprints != null;
    }

    /** The footprints found at bootstrap, or {@code null} before. */
    public Footprints footprints() {
        return footprints;
    }

    /** The segmentation result (per-plane detections, merges), or {@code null} before bootstrap. */
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

    /** Rigid y shift of every processed volume of {@code plane}, px. */
    public float[] shiftY(final int plane) {
        return shiftY[plane].toArray();
    }

    /** Correlation with the template of every processed volume of {@code plane}. */
    public float[] templateCorrelation(final int plane) {
        return correlation[plane].toArray();
    }

    /** Volumes whose traces were emitted. */
    public long volumesProcessed() {
        return volumesProcessed;
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
            if (templateCorrector != null && templateCorrector != corrector) {
                templateCorrector.close();
            }
            if (corrector != null) {
                corrector.close();
            }
            if (deviceSummaries != null) {
                deviceSummaries.close();
            }
        }
    }
}
