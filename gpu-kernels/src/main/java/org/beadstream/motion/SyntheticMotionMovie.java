package org.beadstream.motion;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A small, honest synthetic two-photon movie with known motion, for tests and benchmarks of registration: neuron-like
 * Gaussian blobs (with calcium-like activity) on a textured background (broad blobs), moved by a known rigid shift
 * plus a smooth non-rigid field per frame, with shot noise (Poisson, Gaussian approximation) at a realistic photon
 * count, digitised to int16 ({@value #GAIN} counts per photon over an offset of {@value #OFFSET}).
 *
 * <p>Motion convention (as {@link MotionResult}): {@code frame(y, x) = scene(y - d(y, x), x - d(y, x))} with
 * {@code d = rigid + A_t * smooth field}. Content is rendered analytically at the displaced positions, so the truth
 * does not depend on any interpolation. Immutable after construction and thread-safe.
 */
public final class SyntheticMotionMovie {

    /** Digitiser counts per photon. */
    public static final int GAIN = 20;
    /** Digitiser offset, counts. */
    public static final int OFFSET = 100;

    private final int height;
    private final int width;
    private final int count;
    private final short[] frames;
    private final float[] template;
    private final float[] rigidY;
    private final float[] rigidX;
    private final float[] amp;
    private final double[] fieldY;
    private final double[] fieldX;

    private SyntheticMotionMovie(final int height, final int width, final int count, final double maxRigid,
            final double nonRigid, final double photons, final long seed) {
        if (height < 16 || width < 16 || count < 1) {
            throw new IllegalArgumentException("movie must be at least 16 x 16 x 1, was " + height + " x " + width
                    + " x " + count);
        }
        if (!(maxRigid >= 0) || !(nonRigid >= 0) || !(photons > 0)) {
            throw new IllegalArgumentException("shifts must be non-negative and photons positive, were " + maxRigid
                    + ", " + nonRigid + ", " + photons);
        }
        this.height = height;
        this.width = width;
        this.count = count;
        final SplittableRandom r = new SplittableRandom(seed);
        // scene: background texture and neurons (y, x, sigma, amplitude in photons)
        final int nTex = Math.max(4, height * width / 600);
        final int nCell = Math.max(4, height * width / 250);
        final double[][] blobs = new double[nTex + nCell][];
        for (int i = 0; i < nTex; i++) {
            blobs[i] = new double[] {r.nextDouble(-10, height + 10), r.nextDouble(-10, width + 10),
                r.nextDouble(3, 8), photons * r.nextDouble(0.15, 0.5), -1};
        }
        for (int i = 0; i < nCell; i++) {
            blobs[nTex + i] = new double[] {r.nextDouble(0, height), r.nextDouble(0, width), r.nextDouble(2.2, 3.5),
                photons * r.nextDouble(0.6, 1.5), i};
        }
        final double base = photons * 0.3;
        // activity: baseline 1 plus decaying transients
        final float[][] act = new float[nCell][count];
        for (int c = 0; c < nCell; c++) {
            double a = 0;
            for (int t = 0; t < count; t++) {
                a *= 0.85;
                if (r.nextDouble() < 0.02) {
                    a += r.nextDouble(0.5, 2.0);
                }
                act[c][t] = (float) (1 + a);
            }
        }
        rigidY = new float[count];
        rigidX = new float[count];
        amp = new float[count];
        for (int t = 0; t < count; t++) {
            rigidY[t] = (float) r.nextDouble(-maxRigid, maxRigid);
            rigidX[t] = (float) r.nextDouble(-maxRigid, maxRigid);
            amp[t] = (float) (nonRigid * r.nextDouble(-1, 1));
        }
        // smooth field: two sinusoids per axis with wavelengths of 1 to 2 frame sizes
        fieldY = new double[] {r.nextDouble(1.0, 2.0) * height, r.nextDouble(1.0, 2.0) * width, r.nextDouble(0, 6.3),
            r.nextDouble(1.0, 2.0) * height, r.nextDouble(1.0, 2.0) * width, r.nextDouble(0, 6.3)};
        fieldX = new double[] {r.nextDouble(1.0, 2.0) * height, r.nextDouble(1.0, 2.0) * width, r.nextDouble(0, 6.3),
            r.nextDouble(1.0, 2.0) * height, r.nextDouble(1.0, 2.0) * width, r.nextDouble(0, 6.3)};

        frames = new short[count * height * width];
        final float[] mean = new float[nCell];
        for (int c = 0; c < nCell; c++) {
            double s = 0;
            for (int t = 0; t < count; t++) {
                s += act[c][t];
            }
            mean[c] = (float) (s / count);
        }
        template = new float[height * width];
        final float[] tplPhotons = render(blobs, base, -1, null, mean);
        for (int i = 0; i < template.length; i++) {
            template[i] = OFFSET + GAIN * tplPhotons[i];
        }
        IntStream.range(0, count).parallel().forEach(t -> {
            final float[] a = new float[nCell];
            for (int c = 0; c < nCell; c++) {
                a[c] = act[c][t];
            }
            final float[] ph = render(blobs, base, t, null, a);
            final SplittableRandom noise = new SplittableRandom(seed * 1_000_003L + t);
            final int off = t * height * width;
            for (int i = 0; i < ph.length; i++) {
                final double lambda = ph[i];
                final double v = lambda + Math.sqrt(lambda) * noise.nextGaussian();
                final long c = Math.round(OFFSET + GAIN * Math.max(0, v));
                frames[off + i] = (short) Math.min(Short.MAX_VALUE, c);
            }
        });
    }

    /**
     * Generates a movie.
     *
     * @param maxRigid   rigid shifts are uniform in [-maxRigid, maxRigid] pixels per axis
     * @param nonRigid   the smooth field's amplitude scale, pixels (0: rigid motion only)
     * @param photons    photon scale: neurons peak at about this many photons per pixel per frame (6-20 is realistic)
     */
    public static SyntheticMotionMovie generate(final int height, final int width, final int frames,
            final double maxRigid, final double nonRigid, final double photons, final long seed) {
        return new SyntheticMotionMovie(height, width, frames, maxRigid, nonRigid, photons, seed);
    }

    private float[] render(final double[][] blobs, final double base, final int t, final float[] unused,
            final float[] activity) {
        final float[] img = new float[height * width];
        java.util.Arrays.fill(img, (float) base);
        final float[] dy = new float[height * width];
        final float[] dx = new float[height * width];
        if (t >= 0) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    dy[y * width + x] = (float) dyAt(t, y, x);
                    dx[y * width + x] = (float) dxAt(t, y, x);
                }
            }
        }
        for (double[] b : blobs) {
            final double cy = b[0];
            final double cx = b[1];
            final double sig = b[2];
            final double a = b[3] * (b[4] >= 0 ? activity[(int) b[4]] : 1.0);
            final double inv = -0.5 / (sig * sig);
            final double my = t >= 0 ? dyAt(t, clampD(cy, height), clampD(cx, width)) : 0;
            final double mx = t >= 0 ? dxAt(t, clampD(cy, height), clampD(cx, width)) : 0;
            final int rad = (int) Math.ceil(3.5 * sig) + 1;
            final int y0 = Math.max(0, (int) Math.floor(cy + my) - rad);
            final int y1 = Math.min(height - 1, (int) Math.ceil(cy + my) + rad);
            final int x0 = Math.max(0, (int) Math.floor(cx + mx) - rad);
            final int x1 = Math.min(width - 1, (int) Math.ceil(cx + mx) + rad);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    final int p = y * width + x;
                    final double u = y - dy[p] - cy;
                    final double v = x - dx[p] - cx;
                    img[p] += (float) (a * Math.exp((u * u + v * v) * inv));
                }
            }
        }
        return img;
    }

    private static double clampD(final double v, final int n) {
        return Math.max(0, Math.min(n - 1, v));
    }

    /** Frame rows. */
    public int height() {
        return height;
    }

    /** Frame columns. */
    public int width() {
        return width;
    }

    /** Number of frames. */
    public int frameCount() {
        return count;
    }

    /** All frames, int16, frame-major (the movie's own array: do not modify). */
    public short[] frames() {
        return frames;
    }

    /** Frame {@code t} as floats (a new array). */
    public float[] frameAsFloat(final int t) {
        final float[] f = new float[height * width];
        for (int i = 0; i < f.length; i++) {
            f[i] = frames[t * height * width + i];
        }
        return f;
    }

    /** All frames as floats (a new array). */
    public float[] framesAsFloat() {
        final float[] f = new float[frames.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = frames[i];
        }
        return f;
    }

    /** The noise-free, unshifted scene at mean activity, in counts: the ideal template. */
    public float[] template() {
        return template.clone();
    }

    /** The rigid part of frame {@code t}'s motion, rows. */
    public float rigidDy(final int t) {
        return rigidY[t];
    }

    /** The rigid part of frame {@code t}'s motion, columns. */
    public float rigidDx(final int t) {
        return rigidX[t];
    }

    /** The true row displacement of frame {@code t} at (y, x). */
    public double dyAt(final int t, final double y, final double x) {
        return rigidY[t] + amp[t] * field(fieldY, y, x);
    }

    /** The true column displacement of frame {@code t} at (y, x). */
    public double dxAt(final int t, final double y, final double x) {
        return rigidX[t] + amp[t] * field(fieldX, y, x);
    }

    /** Mean true row displacement of frame {@code t} over rows [y0, y0+h) and columns [x0, x0+w). */
    public double meanDy(final int t, final int y0, final int x0, final int h, final int w) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                s += dyAt(t, y, x);
            }
        }
        return s / ((double) h * w);
    }

    /** Mean true column displacement of frame {@code t} over a region. */
    public double meanDx(final int t, final int y0, final int x0, final int h, final int w) {
        double s = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                s += dxAt(t, y, x);
            }
        }
        return s / ((double) h * w);
    }

    private static double field(final double[] f, final double y, final double x) {
        return 0.7 * Math.sin(2 * Math.PI * (y / f[0] + x / f[1]) + f[2])
                + 0.5 * Math.sin(2 * Math.PI * (y / f[3] - x / f[4]) + f[5]);
    }
}
