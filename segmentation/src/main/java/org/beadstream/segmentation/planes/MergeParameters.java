package org.beadstream.segmentation.planes;

/**
 * When two detections in nearby planes are one neuron.
 *
 * @param maxDistancePixels  largest lateral distance between the two centroids after the per-plane offsets are
 *                           applied, pixels; default 6, range [0, 100] (about half a soma diameter: each plane's
 *                           registration template sits up to about 2 px from the others', and the two views of a soma
 *                           between planes are different slices of it, so 4 px left the same soma counted twice on
 *                           the LBM simulator, its traces correlating 0.8-0.98)
 * @param minCorrelation     smallest Pearson correlation of the two ROIs' detection traces; range
 *                           [-1, 1]; default 0.6 (the same soma seen twice fires the same spikes; neighbours do not)
 * @param maxPlaneGap        largest plane distance joined directly (1 = adjacent planes only; chains still join a
 *                           soma across 3 planes; 2 also bridges a plane where it was missed); default 2, range [1, 5]
 * <p>Immutable and thread-safe.
 */
public record MergeParameters(double maxDistancePixels, double minCorrelation, int maxPlaneGap) {

    /** Defaults: 6 px, r at least 0.6, planes up to 2 apart (a soma may be missed in its middle plane). */
    public static final MergeParameters DEFAULT = new MergeParameters(6, 0.6, 2);

    /** Validates every field against its documented range. */
    public MergeParameters {
        if (!(maxDistancePixels >= 0 && maxDistancePixels <= 100)) {
            throw new IllegalArgumentException("merge distance must be in [0, 100] pixels, was " + maxDistancePixels);
        }
        if (!(minCorrelation >= -1 && minCorrelation <= 1)) {
            throw new IllegalArgumentException("merge correlation must be in [-1, 1], was " + minCorrelation);
        }
        if (maxPlaneGap < 1 || maxPlaneGap > 5) {
            throw new IllegalArgumentException("merge plane gap must be in [1, 5], was " + maxPlaneGap);
        }
    }
}
