package org.beadstream.motion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * The end-to-end motion-correction benchmark behind {@code beadstream bench motion}: simulates an int16 movie with
 * known rigid + smooth non-rigid motion ({@link SyntheticMotionMovie}), builds the template from the movie
 * ({@link TemplateBuilder}) or uses the noise-free scene, then times {@link PhaseCorrelationCorrector} over every frame
 * several times (host arrays in and out, all transfers included) and measures the shift errors against the truth.
 * Not thread-safe; one run at a time.
 */
public final class MotionBenchmark {

    /**
     * What to run.
     *
     * @param height        frame rows
     * @param width         frame columns
     * @param frames        frames in the movie (each repeat corrects all of them)
     * @param repeats       timed passes (the median is reported)
     * @param nonRigid      rigid + piecewise-rigid (true) or rigid only
     * @param blockSize     block side for piecewise-rigid
     * @param batch         frames per device launch
     * @param maxMotion     rigid motion of the movie, uniform in +-maxMotion pixels per axis
     * @param warpAmplitude amplitude scale of the movie's non-rigid field, pixels
     * @param photons       photon scale of the movie (neurons peak near this many photons per pixel)
     * @param builtTemplate build the template from the first frames (true) or use the noise-free scene (false)
     * @param seed          random seed of the movie
     */
    public record Config(int height, int width, int frames, int repeats, boolean nonRigid, int blockSize, int batch,
            double maxMotion, double warpAmplitude, double photons, boolean builtTemplate, long seed) {

        /** Validates the numbers. */
        public Config {
            if (height < 32 || height > 4096 || width < 32 || width > 4096) {
                throw new IllegalArgumentException("--size must be from 32 to 4096 pixels per side, was " + height
                        + " x " + width);
            }
            if (frames < 2 || repeats < 1 || batch < 1) {
                throw new IllegalArgumentException("--frames must be at least 2, repeats and --batch at least 1; were "
                        + frames + ", " + repeats + ", " + batch);
            }
        }
    }

    /**
     * Results.
     *
     * @param device             the OpenCL device
     * @param framesPerSecond    median over repeats
     * @param perRepeatFps       each repeat's frames/s
     * @param cpuBoundFps        frames / (process CPU time / available cores), median over repeats: the rate on
     *                           this machine with no other load (wall-clock rates suffer when other processes compete
     *                           for the cores)
     * @param cores              available processors
     * @param rigidRmsPx         RMS error per axis of the rigid shift against the true mean displacement over the
     *                           rigid region (after removing the template's own mean offset when built)
     * @param blockRmsPx         RMS error per axis of block shifts against the true mean displacement over each
     *                           block (NaN when rigid only)
     * @param fieldRmsPx         RMS error per axis of the applied shift field against the true field, over the
     *                           interior pixels of every 16th frame (NaN when rigid only)
     * @param meanCorrelation    mean correlation of corrected frames with the template
     * @param flaggedFrames      frames with any flag other than LOW_CONFIDENCE
     * @param setupSeconds       kernel builds and buffer allocation
     * @param templateSeconds    template building (0 for the ideal template)
     */
    public record Report(String device, double framesPerSecond, double[] perRepeatFps, double cpuBoundFps,
            int cores, double rigidRmsPx,
            double blockRmsPx, double fieldRmsPx, double meanCorrelation, int flaggedFrames, double setupSeconds,
            double templateSeconds, Config config) {
    }

    private MotionBenchmark() {
    }

    /** Runs the benchmark on {@code cl}. */
    public static Report run(final OpenClRuntime cl, final Config c) {
        final SyntheticMotionMovie movie = SyntheticMotionMovie.generate(c.height(), c.width(), c.frames(),
                c.maxMotion(), c.nonRigid() ? c.warpAmplitude() : 0, c.photons(), c.seed());
        MotionSettings s = MotionSettings.defaults(c.height(), c.width()).withNonRigid(c.nonRigid())
                .withMaxBatch(c.batch());
        if (c.nonRigid()) {
            s = s.withBlockSize(c.blockSize());
        }
        final long t0 = System.nanoTime();
        try (PhaseCorrelationCorrector mc = new PhaseCorrelationCorrector(cl, s)) {
            final double setup = (System.nanoTime() - t0) / 1e9;
            final long t1 = System.nanoTime();
            if (c.builtTemplate()) {
                final int sample = Math.min(c.frames(), 64);
                TemplateBuilder.defaults().build(mc, 0, Arrays.copyOf(movie.frames(), sample * c.height() * c.width()),
                        sample);
            } else {
                mc.setTemplate(0, movie.template());
            }
            final double templ = c.builtTemplate() ? (System.nanoTime() - t1) / 1e9 : 0;
            final int n = c.frames();
            final float[] out = new float[n * c.height() * c.width()];
            final MotionResult r = mc.newResult(n);
            // warm-up: one batch
            mc.correct(0, movie.frames(), Math.min(n, c.batch()), out, r);
            final double[] fps = new double[c.repeats()];
            final double[] cpuFps = new double[c.repeats()];
            final int cores = Runtime.getRuntime().availableProcessors();
            for (int k = 0; k < c.repeats(); k++) {
                final long cpu0 = processCpuNanos();
                final long s0 = System.nanoTime();
                mc.correct(0, movie.frames(), n, out, r);
                fps[k] = n / ((System.nanoTime() - s0) / 1e9);
                final long cpu = processCpuNanos() - cpu0;
                cpuFps[k] = cpu > 0 ? n / (cpu / 1e9 / cores) : Double.NaN;
            }
            return new Report(cl.device().name(), median(fps), fps, median(cpuFps), cores,
                    rigidError(movie, mc, r, c.builtTemplate()),
                    c.nonRigid() ? blockError(movie, mc, r, c.builtTemplate()) : Double.NaN,
                    c.nonRigid() ? fieldError(movie, mc, r, c.builtTemplate()) : Double.NaN, meanCorr(r),
                    flagged(r), setup, templ, c);
        }
    }

    private static double median(final double[] v) {
        final double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** CPU time of the whole process (every thread, the OpenCL driver's included), or -1 where unsupported. */
    private static long processCpuNanos() {
        final java.lang.management.OperatingSystemMXBean os =
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }

    private static double rigidError(final SyntheticMotionMovie m, final PhaseCorrelationCorrector mc,
            final MotionResult r, final boolean removeOffset) {
        final MotionSettings s = mc.settings();
        final int fy = s.rigidHeight();
        final int fx = s.rigidWidth();
        final int y0 = (s.height() - fy) / 2;
        final int x0 = (s.width() - fx) / 2;
        final int n = r.count();
        final double[] ey = new double[n];
        final double[] ex = new double[n];
        for (int i = 0; i < n; i++) {
            ey[i] = r.dy(i) - m.meanDy(i, y0, x0, fy, fx);
            ex[i] = r.dx(i) - m.meanDx(i, y0, x0, fy, fx);
        }
        return rms(ey, ex, removeOffset);
    }

    private static double blockError(final SyntheticMotionMovie m, final PhaseCorrelationCorrector mc,
            final MotionResult r, final boolean removeOffset) {
        final BlockGrid g = mc.grid();
        final int bs = g.blockSize();
        final int n = r.count();
        final double[] ey = new double[n * g.count()];
        final double[] ex = new double[n * g.count()];
        for (int i = 0; i < n; i++) {
            for (int b = 0; b < g.count(); b++) {
                final int y0 = g.yStart(b / g.cols());
                final int x0 = g.xStart(b % g.cols());
                ey[i * g.count() + b] = r.blockDy(i, b) - m.meanDy(i, y0, x0, bs, bs);
                ex[i * g.count() + b] = r.blockDx(i, b) - m.meanDx(i, y0, x0, bs, bs);
            }
        }
        return rms(ey, ex, removeOffset);
    }

    private static double fieldError(final SyntheticMotionMovie m, final PhaseCorrelationCorrector mc,
            final MotionResult r, final boolean removeOffset) {
        final BlockGrid g = mc.grid();
        final float[] gy = g.gridY();
        final float[] gx = g.gridX();
        final int border = mc.settings().maxShift();
        final int h = mc.settings().height();
        final int w = mc.settings().width();
        final List<double[]> errs = new ArrayList<>();
        for (int i = 0; i < r.count(); i += 16) {
            for (int y = border; y < h - border; y += 4) {
                for (int x = border; x < w - border; x += 4) {
                    final double[] d = interpolate(r, i, g, gy[y], gx[x]);
                    errs.add(new double[] {d[0] - m.dyAt(i, y, x), d[1] - m.dxAt(i, y, x)});
                }
            }
        }
        final double[] ey = new double[errs.size()];
        final double[] ex = new double[errs.size()];
        for (int k = 0; k < ey.length; k++) {
            ey[k] = errs.get(k)[0];
            ex[k] = errs.get(k)[1];
        }
        return rms(ey, ex, removeOffset);
    }

    /** The shift the warp kernel applies at grid coordinates (py, px): bilinear between block nodes. */
    private static double[] interpolate(final MotionResult r, final int i, final BlockGrid g, final float py,
            final float px) {
        final int y0 = Math.min((int) py, g.rows() - 1);
        final int x0 = Math.min((int) px, g.cols() - 1);
        final int y1 = Math.min(y0 + 1, g.rows() - 1);
        final int x1 = Math.min(x0 + 1, g.cols() - 1);
        final double wy = py - y0;
        final double wx = px - x0;
        final int c = g.cols();
        final double dy = (1 - wy) * ((1 - wx) * r.blockDy(i, y0 * c + x0) + wx * r.blockDy(i, y0 * c + x1))
                + wy * ((1 - wx) * r.blockDy(i, y1 * c + x0) + wx * r.blockDy(i, y1 * c + x1));
        final double dx = (1 - wy) * ((1 - wx) * r.blockDx(i, y0 * c + x0) + wx * r.blockDx(i, y0 * c + x1))
                + wy * ((1 - wx) * r.blockDx(i, y1 * c + x0) + wx * r.blockDx(i, y1 * c + x1));
        return new double[] {dy, dx};
    }

    private static double rms(final double[] ey, final double[] ex, final boolean removeOffset) {
        double my = 0;
        double mx = 0;
        if (removeOffset) {
            for (int i = 0; i < ey.length; i++) {
                my += ey[i] / ey.length;
                mx += ex[i] / ex.length;
            }
        }
        double s = 0;
        for (int i = 0; i < ey.length; i++) {
            s += (ey[i] - my) * (ey[i] - my) + (ex[i] - mx) * (ex[i] - mx);
        }
        return Math.sqrt(s / (2.0 * ey.length));
    }

    private static double meanCorr(final MotionResult r) {
        double s = 0;
        int n = 0;
        for (int i = 0; i < r.count(); i++) {
            if (Float.isFinite(r.correlation(i))) {
                s += r.correlation(i);
                n++;
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    private static int flagged(final MotionResult r) {
        int n = 0;
        for (int i = 0; i < r.count(); i++) {
            if ((r.flags(i) & ~MotionFlags.LOW_CONFIDENCE) != 0) {
                n++;
            }
        }
        return n;
    }
}
