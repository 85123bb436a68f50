package org.beadstream.motion;

import java.util.Arrays;

/**
 * Builds a plane's registration template from a sample of its frames, as suite2p does: the initial template is the
 * mean of the frames most correlated with one another (the frame with the highest mean correlation to its
 * {@code k} best partners, and those partners); then, {@code iterations} times, the sample is registered to the
 * current template and the best-correlated fraction of the corrected frames is averaged into the next template. The
 * result is set on the corrector and returned.
 *
 * <p>Stateless and thread-safe itself; it drives the (not thread-safe) corrector it is given.
 */
public final class TemplateBuilder {

    private final int partners;
    private final int iterations;
    private final double keepFraction;

    /**
     * @param partners     frames averaged (besides the seed) for the initial template, at least 1 (suite2p: 20)
     * @param iterations   register-and-average rounds, at least 1 (suite2p: 8; 4 is usually enough)
     * @param keepFraction fraction of best-correlated frames averaged per round, in (0, 1]
     */
    public TemplateBuilder(final int partners, final int iterations, final double keepFraction) {
        if (partners < 1 || iterations < 1 || !(keepFraction > 0 && keepFraction <= 1)) {
            throw new IllegalArgumentException("template builder needs partners >= 1, iterations >= 1 and a keep"
                    + " fraction in (0, 1]; were " + partners + ", " + iterations + ", " + keepFraction);
        }
        this.partners = partners;
        this.iterations = iterations;
        this.keepFraction = keepFraction;
    }

    /** suite2p-like defaults: 20 partners, 4 rounds, best 80 % kept. */
    public static TemplateBuilder defaults() {
        return new TemplateBuilder(20, 4, 0.8);
    }

    /**
     * Builds the template of {@code plane} from {@code count} int16 frames and sets it on {@code corrector}.
     *
     * @return the template ({@code height x width} floats)
     */
    public float[] build(final MotionCorrector corrector, final int plane, final short[] frames, final int count) {
        final int px = corrector.settings().height() * corrector.settings().width();
        check(count, frames.length, px);
        final float[] f = new float[count * px];
        for (int i = 0; i < f.length; i++) {
            f[i] = frames[i];
        }
        return build(corrector, plane, f, count);
    }

    /** As {@link #build(MotionCorrector, int, short[], int)} for float frames. */
    public float[] build(final MotionCorrector corrector, final int plane, final float[] frames, final int count) {
        final MotionSettings s = corrector.settings();
        final int px = s.height() * s.width();
        check(count, frames.length, px);
        float[] template = initial(frames, count, s.height(), s.width());
        final float[] corrected = new float[count * px];
        final MotionResult r = corrector.newResult(count);
        final Integer[] order = new Integer[count];
        for (int it = 0; it < iterations; it++) {
            corrector.setTemplate(plane, template);
            corrector.correct(plane, frames, count, corrected, r);
            for (int i = 0; i < count; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(score(r, b), score(r, a)));
            final int keep = Math.max(1, (int) Math.round(keepFraction * count));
            final double[] acc = new double[px];
            int used = 0;
            for (int k = 0; k < keep; k++) {
                final int i = order[k];
                if (MotionFlags.passedThrough(r.flags(i))) {
                    continue;
                }
                for (int p = 0; p < px; p++) {
                    acc[p] += corrected[i * px + p];
                }
                used++;
            }
            if (used == 0) {
                throw new IllegalArgumentException("cannot build a template for plane " + plane + ": every sample"
                        + " frame is constant or has non-finite pixels");
            }
            template = new float[px];
            for (int p = 0; p < px; p++) {
                template[p] = (float) (acc[p] / used);
            }
        }
        corrector.setTemplate(plane, template);
        return template;
    }

    private static float score(final MotionResult r, final int i) {
        final float c = r.correlation(i);
        return Float.isFinite(c) ? c : Float.NEGATIVE_INFINITY;
    }

    private static void check(final int count, final int length, final int px) {
        if (count < 2) {
            throw new IllegalArgumentException("a template needs at least 2 sample frames, got " + count);
        }
        if ((long) count * px > length) {
            throw new IllegalArgumentException(count + " sample frames need " + (long) count * px + " pixels, got "
                    + length);
        }
    }

    /** suite2p's pick_initial_reference on 2 x 2 binned frames; non-finite frames never seed. */
    private float[] initial(final float[] frames, final int count, final int h, final int w) {
        final int bh = h / 2;
        final int bw = w / 2;
        final float[][] z = new float[count][bh * bw];
        final boolean[] ok = new boolean[count];
        for (int i = 0; i < count; i++) {
            double sum = 0;
            boolean finite = true;
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    final int p = i * h * w + 2 * y * w + 2 * x;
                    final float v = frames[p] + frames[p + 1] + frames[p + w] + frames[p + w + 1];
                    finite &= Float.isFinite(v);
                    z[i][y * bw + x] = v;
                    sum += v;
                }
            }
            final float mean = (float) (sum / (bh * bw));
            double ss = 0;
            for (int p = 0; p < bh * bw; p++) {
                z[i][p] -= mean;
                ss += (double) z[i][p] * z[i][p];
            }
            ok[i] = finite && ss > 0;
            final float inv = ok[i] ? (float) (1 / Math.sqrt(ss)) : 0f;
            for (int p = 0; p < bh * bw; p++) {
                z[i][p] *= inv;
            }
        }
        final double[][] cc = new double[count][count];
        for (int i = 0; i < count; i++) {
            for (int j = i + 1; j < count; j++) {
                double d = 0;
                if (ok[i] && ok[j]) {
                    for (int p = 0; p < bh * bw; p++) {
                        d += z[i][p] * z[j][p];
                    }
                }
                cc[i][j] = d;
                cc[j][i] = d;
            }
        }
        final int k = Math.min(partners, count - 1);
        int seed = -1;
        double best = Double.NEGATIVE_INFINITY;
        int[] bestPartners = null;
        for (int i = 0; i < count; i++) {
            if (!ok[i]) {
                continue;
            }
            final Integer[] idx = new Integer[count];
            for (int j = 0; j < count; j++) {
                idx[j] = j;
            }
            final int self = i;
            Arrays.sort(idx, (a, b) -> Double.compare(b == self ? -2 : cc[self][b], a == self ? -2 : cc[self][a]));
            double m = 0;
            for (int j = 0; j < k; j++) {
                m += cc[i][idx[j]];
            }
            if (m > best) {
                best = m;
                seed = i;
                bestPartners = new int[k];
                for (int j = 0; j < k; j++) {
                    bestPartners[j] = idx[j];
                }
            }
        }
        if (seed < 0) {
            throw new IllegalArgumentException("cannot build a template: every sample frame is constant or has"
                    + " non-finite pixels");
        }
        final double[] acc = new double[h * w];
        int used = 0;
        for (int j = -1; j < k; j++) {
            final int i = j < 0 ? seed : bestPartners[j];
            if (!ok[i]) {
                continue;
            }
            for (int p = 0; p < h * w; p++) {
                acc[p] += frames[i * h * w + p];
            }
            used++;
        }
        final float[] t = new float[h * w];
        for (int p = 0; p < t.length; p++) {
            t[p] = (float) (acc[p] / used);
        }
        return t;
    }
}
