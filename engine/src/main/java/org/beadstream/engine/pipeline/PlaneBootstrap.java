package org.beadstream.engine.pipeline;

import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.kernels.summary.DeviceSummaryImages;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionCorrector;
import org.beadstream.motion.MotionResult;
import org.beadstream.motion.MotionSettings;
import org.beadstream.motion.PhaseCorrelationCorrector;
import org.beadstream.motion.TemplateBuilder;
import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.detect.DetectionParameters;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.VolumeSegmenter;
import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.summary.SummaryImageCalculator;
import org.beadstream.segmentation.summary.SummaryImages;

/**
 * Pass 1 for one plane at a time: the plane's template, the registration of its bootstrap window, its summary images
 * and its detection. The single-machine {@link VolumePipeline} runs it plane after plane and the distributed engine
 * runs it as one task per plane; both then merge across planes with {@link #segmenter}, so both find the same cells.
 *
 * <p>Makes its correctors and summary-image buffers at construction (kernels are compiled there). The corrector keeps
 * the templates {@link #prepare} made, for the streaming registration that follows. Not thread-safe: one thread.
 */
public final class PlaneBootstrap implements AutoCloseable {

    /** Frames registered per device call during the bootstrap. */
    public static final int MOTION_BATCH = 64;

    private static final int SUMMARY_CHUNK = 64;

    private final ResolvedConfig config;
    private final int planes;
    private final int width;
    private final int height;
    private final int pixels;
    private final double volumeRateHz;
    private final double diameterPx;
    private final MotionCorrector corrector;
    private final MotionCorrector templateCorrector;
    private final MotionResult batch;
    private DeviceSummaryImages deviceSummaries;
    private final OpenClRuntime cl;
    private final int[][] blankMargins;
    /** Two window-sized work arrays reused plane after plane (a config-A window is ~100 MB per plane). */
    private final float[][] scratch = new float[2][];

    /**
     * A plane's pass-1 output, before the merge across planes. Serializable (it travels from a worker to the driver).
     *
     * @param plane              depth index
     * @param template           the registration template, or {@code null} when motion correction is off
     * @param dx                 rigid x shift of every window frame, px
     * @param dy                 rigid y shift of every window frame, px
     * @param correlation        every window frame's correlation with the template (NaN without motion correction)
     * @param summary            summary images of the registered window
     * @param detection          the plane's detections (before the cross-plane merge); {@code null} until detected
     * @param registrationNanos  time spent on the template and registration, ns
     * @param summaryNanos       time spent on summary images, ns
     * @param detectionNanos     time spent detecting, ns
     * <p>Immutable by convention (arrays shared); thread-safe for reading.
     */
    public record Result(int plane, float[] template, float[] dx, float[] dy, float[] correlation,
            SummaryImages summary, PlaneDetection detection, long registrationNanos, long summaryNanos,
            long detectionNanos) implements Serializable {

        /** This result with its detection filled in. */
        Result withDetection(final PlaneDetection d, final long nanos) {
            return new Result(plane, template, dx, dy, correlation, summary, d, registrationNanos, summaryNanos,
                    nanos);
        }
    }

    /**
     * A plane's registered window made ready for detection: its pass-1 result without a detection, and the binned
     * movie the detector reads. Not thread-safe.
     *
     * @param result the plane's result so far
     * @param movie  the binned, border-masked window
     */
    public record Prepared(Result result, BinnedMovie movie) {
    }

    /**
     * @param cl           the OpenCL runtime (not closed here)
     * @param config       the resolved configuration
     * @param planes       planes per volume
     * @param width        plane width, px
     * @param height       plane height, px
     * @param volumeRateHz volumes per second
     */
    public PlaneBootstrap(final OpenClRuntime cl, final ResolvedConfig config, final int planes, final int width,
            final int height, final double volumeRateHz) {
        if (planes < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("volume of " + planes + " planes of " + width + " x " + height
                    + " is empty");
        }
        this.cl = cl;
        this.config = config;
        this.planes = planes;
        this.width = width;
        this.height = height;
        this.pixels = width * height;
        this.volumeRateHz = volumeRateHz;
        this.diameterPx = config.getDouble("detection.cell_diameter_um") / config.getDouble("detection.pixel_size_um");
        this.blankMargins = new int[planes][4];
        if (config.getBoolean("motion.enabled")) {
            final MotionSettings ms = motionSettings(config, planes, width, height);
            corrector = new PhaseCorrelationCorrector(cl, ms);
            // Templates are built with rigid registration only, as suite2p builds its reference image: a third of the
            // cost of rigid + piecewise-rigid rounds, and the template is then refined by nothing but averaging.
            templateCorrector = ms.nonRigid() ? new PhaseCorrelationCorrector(cl, ms.withNonRigid(false)) : corrector;
            batch = corrector.newResult(MOTION_BATCH);
        } else {
            corrector = null;
            templateCorrector = null;
            batch = null;
        }
        deviceSummaries = new DeviceSummaryImages(cl, width, height, SUMMARY_CHUNK);
    }

    /** The motion settings a run with {@code config} uses for planes of this size (batches up to 64 frames). */
    public static MotionSettings motionSettings(final ResolvedConfig config, final int planes, final int width,
            final int height) {
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

    /**
     * Declares the blank margins of every plane: the bands along its edges that assembly fills with zeros because the
     * plane's calibration offset moved the image there (pixels that image nothing). Detection is kept out of them as
     * out of the band registration leaves: their hard edge against the tissue flickers with the motion and would
     * otherwise seed false cells.
     *
     * @param dx per depth, the calibration's x offset, px (assembly: {@code out(x, y) = in(x - dx, y - dy)})
     * @param dy per depth, the calibration's y offset, px
     */
    public PlaneBootstrap blankMargins(final double[] dx, final double[] dy) {
        if (dx.length != planes || dy.length != planes) {
            throw new IllegalArgumentException("offsets for " + dx.length + " / " + dy.length + " planes, the volume has "
                    + planes);
        }
        for (int p = 0; p < planes; p++) {
            blankMargins[p][0] = (int) Math.ceil(Math.max(0, dx[p]));
            blankMargins[p][1] = (int) Math.ceil(Math.max(0, -dx[p]));
            blankMargins[p][2] = (int) Math.ceil(Math.max(0, dy[p]));
            blankMargins[p][3] = (int) Math.ceil(Math.max(0, -dy[p]));
        }
        return this;
    }

    /** {@link #blankMargins(double[], double[])} with the offsets of {@code calibration}, by depth. */
    public PlaneBootstrap blankMargins(final PlaneCalibration calibration) {
        final double[] dx = new double[planes];
        final double[] dy = new double[planes];
        for (int p = 0; p < planes; p++) {
            dx[p] = calibration.dx(p);
            dy[p] = calibration.dy(p);
        }
        return blankMargins(dx, dy);
    }

    /** The corrector holding every template made so far ({@code null} when motion correction is off). */
    public MotionCorrector corrector() {
        return corrector;
    }

    /** Bootstrap window length in volumes for a run with {@code config} (at least 3; bounded by memory). */
    public static int windowVolumes(final ResolvedConfig config, final int planes, final int pixels,
            final double volumeRateHz) {
        final long byMemory = (config.getLong("detection.bootstrap_max_mib") << 20) / (4L * planes * pixels);
        return (int) Math.max(3, Math.min(byMemory,
                Math.round(config.getDouble("detection.bootstrap_seconds") * volumeRateHz)));
    }

    /**
     * Template, registration (in place: {@code window} holds the registered frames afterwards), summary images and the
     * binned, border-masked movie of one plane.
     *
     * @param plane  depth index
     * @param window the plane's first {@code n} frames, frame-major
     * @param n      frames in the window
     */
    public Prepared prepare(final int plane, final float[] window, final int n) {
        if (plane < 0 || plane >= planes) {
            throw new IllegalArgumentException("plane " + plane + " is outside 0.." + (planes - 1));
        }
        if (n < 1 || window.length < (long) n * pixels) {
            throw new IllegalArgumentException("window of " + n + " frames needs " + (long) n * pixels
                    + " floats, has " + window.length);
        }
        if (deviceSummaries == null) {
            throw new IllegalStateException("summary buffers already released");
        }
        final long t0 = System.nanoTime();
        final float[] dx = new float[n];
        final float[] dy = new float[n];
        final float[] corr = new float[n];
        float[] template = null;
        if (corrector != null) {
            final TemplateBuilder tb = TemplateBuilder.defaults();
            final int sample = Math.min(n, config.getInt("motion.template_frames"));
            template = tb.build(templateCorrector, plane, window, sample);
            corrector.setTemplate(plane, template);
            final float[] registered = scratch(0, n * pixels);
            for (int s = 0; s < n; s += MOTION_BATCH) {
                final int c = Math.min(MOTION_BATCH, n - s);
                final FloatBuffer in = FloatBuffer.wrap(window, s * pixels, c * pixels).slice();
                final FloatBuffer o = FloatBuffer.wrap(registered, s * pixels, c * pixels).slice();
                corrector.correct(plane, in, c, o, batch);
                for (int i = 0; i < c; i++) {
                    dx[s + i] = batch.dx(i);
                    dy[s + i] = batch.dy(i);
                    corr[s + i] = batch.correlation(i);
                }
            }
            System.arraycopy(registered, 0, window, 0, n * pixels);
        } else {
            Arrays.fill(corr, Float.NaN);
        }
        final long t1 = System.nanoTime();
        final SummaryImages summary = SummaryImageCalculator.onDevice(deviceSummaries, diameterPx)
                .compute(window, n, width, height);
        final long t2 = System.nanoTime();
        final float[] masked = scratch(1, n * pixels);
        System.arraycopy(window, 0, masked, 0, n * pixels);
        maskBorder(plane, dx, dy, summary, n, masked);
        final BinnedMovie movie = BinnedMovie.of(masked, n, height, width, volumeRateHz,
                detectionParameters(config, diameterPx, n, volumeRateHz));
        return new Prepared(new Result(plane, template, dx, dy, corr, summary, null, t1 - t0, t2 - t1, 0), movie);
    }

    private float[] scratch(final int k, final int length) {
        if (scratch[k] == null || scratch[k].length < length) {
            scratch[k] = new float[length];
        }
        return scratch[k];
    }

    /**
     * Prepares every plane on the calling thread, in depth order, and detects each meanwhile as soon as it is prepared
     * ({@link VolumeSegmenter#detectAsTheyCome}): registration (on the device) and detection (on the CPU) overlap and
     * only a few binned windows are held at a time (a config-A plane's window is ~100 MB: all 30 of them besides the
     * raw window came close to the 8 GB default heap). The results equal {@link #detect} of every plane, in depth
     * order.
     *
     * @param planes  planes to prepare, depth 0 .. planes - 1
     * @param prepare prepares plane {@code p} (called on this thread, in order)
     * @param seg     the segmenter that detects, on its threads
     */
    public static List<Result> prepareAndDetect(final int planes, final IntFunction<Prepared> prepare,
            final VolumeSegmenter seg) {
        final List<Result> prepared = new ArrayList<>(planes);
        final List<PlaneDetection> detections = seg.detectAsTheyCome(planes, p -> {
            final Prepared pr = prepare.apply(p);
            prepared.add(pr.result());
            return pr.movie();
        });
        final List<Result> results = new ArrayList<>(planes);
        for (int p = 0; p < planes; p++) {
            results.add(prepared.get(p).withDetection(detections.get(p), detections.get(p).nanos()));
        }
        return results;
    }

    /** Detects the cells of a prepared plane (thread-safe: planes may be detected in parallel). */
    public static Result detect(final Prepared p, final VolumeSegmenter segmenter) {
        final long t = System.nanoTime();
        final PlaneDetection d = segmenter.detectPlane(p.movie(), p.result().plane());
        return p.result().withDetection(d, System.nanoTime() - t);
    }

    /** {@link #prepare} then {@link #detect}: one plane's whole pass 1 (what a distributed task runs). */
    public Result run(final int plane, final float[] window, final int n) {
        return detect(prepare(plane, window, n), segmenter(config, 1, n, volumeRateHz));
    }

    /**
     * Frees the summary-image device buffers and the window-sized work arrays once every plane is prepared (the
     * device buffers hold 64 frames; each work array a whole plane's window).
     */
    public void releaseSummaryBuffers() {
        scratch[0] = null;
        scratch[1] = null;
        if (deviceSummaries != null) {
            deviceSummaries.close();
            deviceSummaries = null;
        }
    }

    /**
     * The segmenter (detection and cross-plane merge) a run with {@code config} uses on a window of {@code frames}
     * frames at {@code frameRateHz}.
     */
    public static VolumeSegmenter segmenter(final ResolvedConfig config, final int threads, final int frames,
            final double frameRateHz) {
        final double d = config.getDouble("detection.cell_diameter_um") / config.getDouble("detection.pixel_size_um");
        return new VolumeSegmenter(detectionParameters(config, d, frames, frameRateHz), MergeParameters.DEFAULT,
                NeuropilParameters.DEFAULT, CellClassifier.standard(), threads);
    }

    /** Bins of the window {@code detection.min_score} is given for (the default 60 s window in 0.4 s bins). */
    public static final int MIN_SCORE_BINS = 150;

    /**
     * The detection parameters a run with {@code config} uses for cells of {@code diameterPx} in a window of
     * {@code frames} frames at {@code frameRateHz}. Two settings are given for the physics and turned into the
     * window's bins here, so they mean the same whatever the window's length and the volume rate: the temporal
     * high-pass, given in seconds ({@code detection.high_pass_s}), becomes a number of bins (at least 3); the score bar
     * ({@code detection.min_score}, for a window of {@link #MIN_SCORE_BINS} bins) is scaled by the square root of the
     * window's bins over that: a pixel's score sums the excess over the event threshold in every bin, so whatever
     * is not a cell (residual structure, leftovers of subtracted cells) spreads its score more widely the more bins
     * there are, and a bar that keeps false ROIs as rare must rise with that spread (measured: 7 suits a 20 s window's
     * 50 bins, 10 a 60 s window's 150; docs/segmentation.md).
     */
    public static DetectionParameters detectionParameters(final ResolvedConfig config, final double diameterPx,
            final int frames, final double frameRateHz) {
        final DetectionParameters base = VolumePipeline.detectionParameters(config, diameterPx);
        final int binFrames = base.binFrames(Math.max(1, frames), frameRateHz);
        final double binSeconds = binFrames / frameRateHz;
        final int bins = (int) Math.max(3, Math.round(config.getDouble("detection.high_pass_s") / binSeconds));
        final int windowBins = Math.max(1, frames / binFrames);
        final double minScore = Math.max(0.5, base.minScore() * Math.sqrt(windowBins / (double) MIN_SCORE_BINS));
        return base.withHighPassBins(bins).withThresholds(base.eventThreshold(), minScore);
    }

    /**
     * Registration fills the pixels it shifts in from outside the field of view by repeating the edge, which makes a
     * band along the borders flicker with the motion and look "active" to the detector. As suite2p does (it crops the
     * largest shift), the band as wide as the largest shift in the window, widened on each side by the plane's blank
     * calibration margin ({@link #blankMargins}), is set to the plane's mean value in every frame of {@code w} (a copy
     * of the window used for detection only; traces come from unmasked frames), so no ROI is seeded there.
     */
    private void maskBorder(final int plane, final float[] dx, final float[] dy, final SummaryImages summary,
            final int n, final float[] w) {
        double m = 0;
        if (corrector != null) {
            for (int i = 0; i < n; i++) {
                final float ax = Math.abs(dx[i]);
                final float ay = Math.abs(dy[i]);
                if (Float.isFinite(ax) && Float.isFinite(ay)) {
                    m = Math.max(m, Math.max(ax, ay));
                }
            }
            if (corrector.blocksPerFrame() > 0) {
                m += config.getDouble("motion.max_block_shift_px");
            }
        }
        final int band = corrector == null ? 0 : (int) Math.ceil(m) + 1;
        final int[] blank = blankMargins[plane];
        final int cap = Math.min(width, height) / 4;
        final int left = Math.min(cap, band + blank[0]);
        final int right = Math.min(cap, band + blank[1]);
        final int top = Math.min(cap, band + blank[2]);
        final int bottom = Math.min(cap, band + blank[3]);
        if (left + right + top + bottom == 0) {
            return;
        }
        final float[] mean = summary.mean();
        double sum = 0;
        for (final float v : mean) {
            sum += v;
        }
        final float fill = (float) (sum / mean.length);
        for (int i = 0; i < n; i++) {
            final int base = i * pixels;
            for (int y = 0; y < height; y++) {
                final boolean rowIn = y < top || y >= height - bottom;
                for (int x = 0; x < width; x++) {
                    if (rowIn || x < left || x >= width - right) {
                        w[base + y * width + x] = fill;
                    }
                }
            }
        }
    }

    /** The OpenCL runtime this bootstrap runs on. */
    OpenClRuntime runtime() {
        return cl;
    }

    @Override
    public void close() {
        releaseSummaryBuffers();
        if (templateCorrector != null && templateCorrector != corrector) {
            templateCorrector.close();
        }
        if (corrector != null) {
            corrector.close();
        }
    }
}
