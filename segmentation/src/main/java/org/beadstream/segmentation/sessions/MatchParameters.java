package org.beadstream.segmentation.sessions;

/**
 * When two sessions' ROIs are the same cell.
 *
 * @param maxDistancePixels largest centroid distance after registration, pixels; default 5, range (0, 100]
 * @param distanceSigmaPixels distance scale of the confidence, pixels; default 2, range (0, 100]
 * @param minConfidence     pairs below this confidence are never matched; default 0.3, range [0, 1)
 * <p>Confidence of a pair = 0.5 IoU (of the moving ROI's pixels mapped into the reference) + 0.5
 * exp(-d^2 / (2 sigma^2)). Immutable and thread-safe.
 */
public record MatchParameters(double maxDistancePixels, double distanceSigmaPixels, double minConfidence) {

    /** Defaults: 5 px, sigma 2 px, confidence at least 0.3. */
    public static final MatchParameters DEFAULT = new MatchParameters(5, 2, 0.3);

    /** Validates every field against its documented range. */
    public MatchParameters {
        if (!(maxDistancePixels > 0 && maxDistancePixels <= 100)) {
            throw new IllegalArgumentException("match distance must be in (0, 100] pixels, was " + maxDistancePixels);
        }
        if (!(distanceSigmaPixels > 0 && distanceSigmaPixels <= 100)) {
            throw new IllegalArgumentException("match distance sigma must be in (0, 100] pixels, was "
                    + distanceSigmaPixels);
        }
        if (!(minConfidence >= 0 && minConfidence < 1)) {
            throw new IllegalArgumentException("match min confidence must be in [0, 1), was " + minConfidence);
        }
    }
}
