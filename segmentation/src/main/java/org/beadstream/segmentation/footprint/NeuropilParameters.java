package org.beadstream.segmentation.footprint;

/**
 * How neuropil annuli are drawn (suite2p {@code inner_neuropil_radius}, {@code min_neuropil_pixels}).
 *
 * @param innerGapPixels  pixels within this distance (pixels, Chebyshev) of the ROI's own pixels are left out, so
 *                        that the cell's blurred edge does not leak into its neuropil; default 2, range [0, 20]
 * @param minPixels       the annulus grows outwards from the ROI until it holds this many pixels; default 350,
 *                        range [1, 10000]
 * @param maxRadiusPixels the annulus never reaches further than this from the ROI's centroid, even if it then holds
 *                        fewer than {@code minPixels} (crowded fields, plane edges); default 50, range [2, 500]
 * <p>Immutable and thread-safe.
 */
public record NeuropilParameters(int innerGapPixels, int minPixels, int maxRadiusPixels) {

    /** suite2p's defaults: gap 2, 350 pixels, at most 50 pixels out. */
    public static final NeuropilParameters DEFAULT = new NeuropilParameters(2, 350, 50);

    /** Validates every field against its documented range. */
    public NeuropilParameters {
        if (innerGapPixels < 0 || innerGapPixels > 20) {
            throw new IllegalArgumentException("neuropil inner gap must be in [0, 20] pixels, was " + innerGapPixels);
        }
        if (minPixels < 1 || minPixels > 10000) {
            throw new IllegalArgumentException("neuropil min pixels must be in [1, 10000], was " + minPixels);
        }
        if (maxRadiusPixels < 2 || maxRadiusPixels > 500) {
            throw new IllegalArgumentException("neuropil max radius must be in [2, 500] pixels, was "
                    + maxRadiusPixels);
        }
    }
}
