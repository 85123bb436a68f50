package org.beadstream.gpu.kernels.summary;

/**
 * Plain-Java reference of {@code summary_moments} + {@code correlation_image} (double precision, direct two-pass
 * formulas): mean, standard deviation (population), maximum, and each pixel's mean Pearson correlation with its 8
 * neighbours (neighbours outside the plane left out; constant pixels give 0).
 *
 * <p>Stateless; thread-safe.
 */
public final class SummaryReference {

    private SummaryReference() {
    }

    /**
     * Computes the four images of a movie ({@code frames x height x width}, frame-major).
     *
     * @return 4 planes of {@code width x height}: mean, std, max, correlation (as {@code correlation_image} writes)
     */
    public static float[] compute(final float[] movie, final int frames, final int width, final int height) {
        final int hw = width * height;
        if (frames < 1 || (long) frames * hw > movie.length) {
            throw new IllegalArgumentException("movie of " + movie.length + " values holds fewer than " + frames
                    + " frames of " + width + " x " + height);
        }
        final double[] mean = new double[hw];
        final double[] sd = new double[hw];
        final float[] out = new float[4 * hw];
        java.util.Arrays.fill(out, 2 * hw, 3 * hw, Float.NEGATIVE_INFINITY);
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < hw; i++) {
                final float v = movie[t * hw + i];
                mean[i] += v;
                out[2 * hw + i] = Math.max(out[2 * hw + i], v);
            }
        }
        for (int i = 0; i < hw; i++) {
            mean[i] /= frames;
        }
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < hw; i++) {
                final double d = movie[t * hw + i] - mean[i];
                sd[i] += d * d;
            }
        }
        for (int i = 0; i < hw; i++) {
            sd[i] = Math.sqrt(sd[i] / frames);
            out[i] = (float) mean[i];
            out[hw + i] = (float) sd[i];
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                final int i = y * width + x;
                double sum = 0;
                int n = 0;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        final int xx = x + dx;
                        final int yy = y + dy;
                        if ((dx == 0 && dy == 0) || xx < 0 || yy < 0 || xx >= width || yy >= height) {
                            continue;
                        }
                        final int j = yy * width + xx;
                        n++;
                        if (sd[i] == 0 || sd[j] == 0) {
                            continue;
                        }
                        double c = 0;
                        for (int t = 0; t < frames; t++) {
                            c += (movie[t * hw + i] - mean[i]) * (movie[t * hw + j] - mean[j]);
                        }
                        sum += c / frames / (sd[i] * sd[j]);
                    }
                }
                out[3 * hw + i] = n == 0 ? 0 : (float) (sum / n);
            }
        }
        return out;
    }
}
