package org.beadstream.segmentation.summary;

/**
 * The summary images of one plane over a window (suite2p {@code meanImg}, {@code max_proj}, {@code Vcorr}-like
 * correlation image, {@code meanImgE}), each {@code width x height} row-major.
 *
 * @param width        plane width, pixels
 * @param height       plane height, pixels
 * @param frames       frames in the window
 * @param mean         temporal mean
 * @param max          temporal maximum
 * @param std          temporal standard deviation (population)
 * @param correlation  mean Pearson correlation of each pixel's time course with its 8 neighbours (CaImAn's
 *                     local correlation image), in [-1, 1]
 * @param enhancedMean mean image high-passed and locally normalised (suite2p's enhanced mean), clipped to its 1st-99th
 *                     percentiles and scaled to [0, 1]
 * <p>Immutable by convention (arrays shared: do not modify); thread-safe for reading.
 */
public record SummaryImages(int width, int height, int frames, float[] mean, float[] max, float[] std,
        float[] correlation, float[] enhancedMean) implements java.io.Serializable {

    /** Builds the record from the 4 planes (mean, std, max, correlation) the kernels and the reference write. */
    public static SummaryImages fromPlanes(final float[] planes, final int width, final int height, final int frames,
            final double cellDiameterPixels) {
        final int px = width * height;
        if (planes.length < 4 * px) {
            throw new IllegalArgumentException("need 4 planes of " + width + " x " + height + ", got " + planes.length
                    + " values");
        }
        final float[] mean = java.util.Arrays.copyOfRange(planes, 0, px);
        final float[] std = java.util.Arrays.copyOfRange(planes, px, 2 * px);
        final float[] max = java.util.Arrays.copyOfRange(planes, 2 * px, 3 * px);
        final float[] corr = java.util.Arrays.copyOfRange(planes, 3 * px, 4 * px);
        return new SummaryImages(width, height, frames, mean, max, std, corr,
                enhance(mean, width, height, cellDiameterPixels));
    }

    /**
     * suite2p's enhanced mean image: subtract a Gaussian-smoothed copy (sigma = 2 diameters), divide by the
     * Gaussian-smoothed absolute residual (local contrast), clip to the 1st and 99th percentiles, scale to [0, 1].
     */
    public static float[] enhance(final float[] mean, final int width, final int height,
            final double cellDiameterPixels) {
        if (!(cellDiameterPixels > 0)) {
            throw new IllegalArgumentException("cell diameter must be positive, was " + cellDiameterPixels);
        }
        final int px = width * height;
        final float[] low = PlaneFilters.gaussian(mean, width, height, 2 * cellDiameterPixels);
        final float[] hp = new float[px];
        final float[] abs = new float[px];
        for (int i = 0; i < px; i++) {
            hp[i] = mean[i] - low[i];
            abs[i] = Math.abs(hp[i]);
        }
        final float[] div = PlaneFilters.gaussian(abs, width, height, 2 * cellDiameterPixels);
        for (int i = 0; i < px; i++) {
            hp[i] /= 1e-10f + div[i];
        }
        final float[] sorted = hp.clone();
        java.util.Arrays.sort(sorted);
        final float lo = sorted[(int) (0.01 * (px - 1))];
        final float hi = sorted[(int) (0.99 * (px - 1))];
        final float range = hi > lo ? hi - lo : 1;
        for (int i = 0; i < px; i++) {
            hp[i] = Math.max(0, Math.min(1, (hp[i] - lo) / range));
        }
        return hp;
    }
}
