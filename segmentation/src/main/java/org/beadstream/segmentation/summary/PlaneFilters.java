package org.beadstream.segmentation.summary;

/**
 * Spatial filters on single float planes (row-major, x fastest): box mean and Gaussian blur, both separable, edges
 * handled by averaging over the pixels inside the plane only (no zero padding, no mirroring). Used by detection and
 * the enhanced mean image.
 *
 * <p>Stateless; thread-safe. Methods that take a scratch array allocate nothing.
 */
public final class PlaneFilters {

    private PlaneFilters() {
    }

    /**
     * Box mean of half-width {@code radius} (window {@code 2 radius + 1}) over a rectangle of a plane.
     *
     * @param src     source array; the plane starts at {@code srcOff}
     * @param dst     destination array (may not alias {@code src}); the plane starts at {@code dstOff}
     * @param scratch at least {@code width * height} floats
     */
    public static void boxMean(final float[] src, final int srcOff, final float[] dst, final int dstOff,
            final int width, final int height, final int radius, final float[] scratch) {
        boxMean(src, srcOff, dst, dstOff, width, height, radius, scratch, 0, 0, width, height);
    }

    /**
     * Box mean restricted to output columns {@code [x0, x1)} and rows {@code [y0, y1)}; the inputs it reads may lie
     * outside that rectangle (within the plane).
     */
    public static void boxMean(final float[] src, final int srcOff, final float[] dst, final int dstOff,
            final int width, final int height, final int radius, final float[] scratch, final int x0, final int y0,
            final int x1, final int y1) {
        if (radius < 0) {
            throw new IllegalArgumentException("box radius must be at least 0, was " + radius);
        }
        final int ya = Math.max(0, y0 - radius);
        final int yb = Math.min(height, y1 + radius);
        // horizontal pass into scratch for rows [ya, yb), columns [x0, x1)
        for (int y = ya; y < yb; y++) {
            final int row = srcOff + y * width;
            double sum = 0;
            int lo = Math.max(0, x0 - radius);
            int hi = Math.min(width - 1, x0 + radius);
            for (int x = lo; x <= hi; x++) {
                sum += src[row + x];
            }
            for (int x = x0; x < x1; x++) {
                scratch[y * width + x] = (float) (sum / (hi - lo + 1));
                final int add = x + radius + 1;
                final int rem = x - radius;
                if (add < width) {
                    sum += src[row + add];
                    hi = add;
                }
                if (rem >= 0) {
                    sum -= src[row + rem];
                    lo = rem + 1;
                }
            }
        }
        // vertical pass
        for (int x = x0; x < x1; x++) {
            double sum = 0;
            int lo = Math.max(0, y0 - radius);
            int hi = Math.min(height - 1, y0 + radius);
            for (int y = lo; y <= hi; y++) {
                sum += scratch[y * width + x];
            }
            for (int y = y0; y < y1; y++) {
                dst[dstOff + y * width + x] = (float) (sum / (hi - lo + 1));
                final int add = y + radius + 1;
                final int rem = y - radius;
                if (add < height) {
                    sum += scratch[add * width + x];
                    hi = add;
                }
                if (rem >= 0) {
                    sum -= scratch[rem * width + x];
                    lo = rem + 1;
                }
            }
        }
    }

    /** Gaussian blur of standard deviation {@code sigma} pixels (kernel truncated at 3 sigma); returns a new plane. */
    public static float[] gaussian(final float[] src, final int width, final int height, final double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("Gaussian sigma must be positive, was " + sigma);
        }
        final int r = Math.max(1, (int) Math.ceil(3 * sigma));
        final double[] k = new double[2 * r + 1];
        for (int i = -r; i <= r; i++) {
            k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
        }
        final float[] tmp = new float[width * height];
        final float[] out = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                double n = 0;
                for (int i = -r; i <= r; i++) {
                    final int xx = x + i;
                    if (xx >= 0 && xx < width) {
                        s += k[i + r] * src[y * width + xx];
                        n += k[i + r];
                    }
                }
                tmp[y * width + x] = (float) (s / n);
            }
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double s = 0;
                double n = 0;
                for (int i = -r; i <= r; i++) {
                    final int yy = y + i;
                    if (yy >= 0 && yy < height) {
                        s += k[i + r] * tmp[yy * width + x];
                        n += k[i + r];
                    }
                }
                out[y * width + x] = (float) (s / n);
            }
        }
        return out;
    }
}
