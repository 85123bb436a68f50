package org.beadstream.engine.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Static helpers that turn float images and ROI pixel lists into {@link BufferedImage}s for the report: percentile
 * contrast stretch, ROI contours, and a neuron-by-time raster. Stateless and thread-safe.
 */
public final class Images {

    private Images() {
    }

    /**
     * A grey image of {@code img} ({@code width x height}, row-major) stretched between its {@code lo} and {@code hi}
     * percentiles, magnified {@code scale} times with nearest-neighbour.
     */
    public static BufferedImage grey(final float[] img, final int width, final int height, final double lo,
            final double hi, final int scale) {
        final float[] sorted = finiteSorted(img);
        final float a = sorted.length == 0 ? 0 : sorted[(int) ((sorted.length - 1) * lo / 100.0)];
        final float b = sorted.length == 0 ? 1 : sorted[(int) ((sorted.length - 1) * hi / 100.0)];
        final float range = b > a ? b - a : 1f;
        final BufferedImage out = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                final float v = img[y * width + x];
                final int g = Float.isFinite(v) ? Math.max(0, Math.min(255, (int) ((v - a) / range * 255f))) : 0;
                final int rgb = (g << 16) | (g << 8) | g;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        out.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Draws the outline of every ROI onto {@code image} (made by {@link #grey} with the same {@code scale}): a pixel of
     * an ROI whose 4-neighbour is outside that ROI is painted, each ROI in its own colour.
     *
     * @param rois pixel indices (row-major in a {@code width x height} plane) of each ROI
     */
    public static void drawContours(final BufferedImage image, final int width, final int height, final int[][] rois,
            final int scale) {
        final int[] owner = new int[width * height];
        Arrays.fill(owner, -1);
        for (int r = 0; r < rois.length; r++) {
            for (final int p : rois[r]) {
                if (p >= 0 && p < owner.length) {
                    owner[p] = r;
                }
            }
        }
        for (int r = 0; r < rois.length; r++) {
            final Color c = Color.getHSBColor((r * 0.618034f) % 1f, 0.9f, 1f);
            for (final int p : rois[r]) {
                if (p < 0 || p >= owner.length) {
                    continue;
                }
                final int x = p % width;
                final int y = p / width;
                final boolean edge = x == 0 || y == 0 || x == width - 1 || y == height - 1
                        || owner[p - 1] != r || owner[p + 1] != r || owner[p - width] != r || owner[p + width] != r;
                if (edge) {
                    for (int dy = 0; dy < scale; dy++) {
                        for (int dx = 0; dx < scale; dx++) {
                            image.setRGB(x * scale + dx, y * scale + dy, c.getRGB());
                        }
                    }
                }
            }
        }
    }

    /**
     * A raster: one row per neuron (top to bottom in the given order), one column per time point, each row z-scored and
     * shown from 0 (black) to 3 standard deviations (white), resampled to at most {@code maxWidth} columns (max-pooled)
     * and {@code rowHeight} pixels per neuron (at least one pixel; rows are max-pooled when more neurons than pixels).
     */
    public static BufferedImage raster(final float[][] traces, final int maxWidth, final int maxHeight) {
        final int n = traces.length;
        final int t = n == 0 ? 0 : traces[0].length;
        final int w = Math.max(1, Math.min(maxWidth, t));
        final int h = Math.max(1, Math.min(maxHeight, n));
        final float[][] z = new float[n][];
        for (int i = 0; i < n; i++) {
            z[i] = zscore(traces[i]);
        }
        final BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int row = 0; row < h; row++) {
            final int n0 = (int) ((long) row * n / h);
            final int n1 = Math.max(n0 + 1, (int) ((long) (row + 1) * n / h));
            for (int col = 0; col < w; col++) {
                final int t0 = (int) ((long) col * t / w);
                final int t1 = Math.max(t0 + 1, (int) ((long) (col + 1) * t / w));
                float m = 0;
                for (int i = n0; i < n1 && i < n; i++) {
                    for (int k = t0; k < t1 && k < t; k++) {
                        m = Math.max(m, z[i][k]);
                    }
                }
                final int g = Math.max(0, Math.min(255, (int) (m / 3f * 255f)));
                out.setRGB(col, row, (g << 16) | (g << 8) | g);
            }
        }
        return out;
    }

    private static float[] zscore(final float[] x) {
        double s = 0;
        double ss = 0;
        int k = 0;
        for (final float v : x) {
            if (Float.isFinite(v)) {
                s += v;
                ss += (double) v * v;
                k++;
            }
        }
        final double mean = k == 0 ? 0 : s / k;
        final double sd = k < 2 ? 1 : Math.sqrt(Math.max(1e-12, ss / k - mean * mean));
        final float[] z = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            z[i] = Float.isFinite(x[i]) ? (float) ((x[i] - mean) / sd) : 0f;
        }
        return z;
    }

    private static float[] finiteSorted(final float[] img) {
        int k = 0;
        final float[] f = new float[img.length];
        for (final float v : img) {
            if (Float.isFinite(v)) {
                f[k++] = v;
            }
        }
        final float[] s = Arrays.copyOf(f, k);
        Arrays.sort(s);
        return s;
    }
}
