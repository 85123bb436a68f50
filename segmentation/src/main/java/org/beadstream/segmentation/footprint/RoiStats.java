package org.beadstream.segmentation.footprint;

/**
 * Statistics of one ROI (suite2p {@code stat} analogue). Shape statistics come from the ROI's pixels; temporal ones
 * (skewness, SNR) from the ROI's detection trace, NaN when no trace was given.
 *
 * @param centroidX   weighted centroid, column, pixels (0 = centre of the first column)
 * @param centroidY   weighted centroid, row, pixels
 * @param radius      mean semi-axis of the ellipse with the pixels' second moments, pixels (a disk of radius R gives R)
 * @param aspectRatio major over minor semi-axis of that ellipse, at least 1
 * @param compactness mean pixel distance to the centroid over that of a disk of equal area, about 1 for a disk,
 *                    larger for elongated or ragged shapes
 * @param skewness    skewness of the ROI trace (active cells are positively skewed)
 * @param snr         (95th percentile - median) of the trace over its noise sigma (MAD of first differences / sqrt 2)
 * @param overlap     fraction of the ROI's pixels that also belong to another ROI of the same plane, in [0, 1]
 * @param npix        number of pixels
 * @param footprint   effective pixel count (sum w)^2 / sum w^2 over npix, in (0, 1]: 1 for flat weights, small when
 *                    the weight is concentrated in a few pixels
 * <p>Immutable and thread-safe.
 */
public record RoiStats(double centroidX, double centroidY, double radius, double aspectRatio, double compactness,
        double skewness, double snr, double overlap, int npix, double footprint) {

    /** Approximate heap bytes of one instance (for memory reports). */
    public static final int BYTES = 16 + 9 * 8 + 4 + 4;

    /** Features of the cell classifier, in the order of {@link CellClassifier#FEATURES}. */
    public double[] features() {
        return new double[] {
            Math.log(Math.max(1, npix)), compactness, aspectRatio, Double.isNaN(skewness) ? 0 : skewness,
            Double.isNaN(snr) ? 0 : Math.log1p(Math.max(0, snr)), footprint, overlap, radius,
        };
    }
}
