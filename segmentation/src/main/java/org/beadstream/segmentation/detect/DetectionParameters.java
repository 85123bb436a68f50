package org.beadstream.segmentation.detect;

/**
 * Parameters of {@link SparseDetector}, one per field, each with a unit, a range and a default (listed with their
 * suite2p counterparts in docs/segmentation.md; the configuration schema takes them from here).
 *
 * @param diameterPixels      expected soma diameter, pixels; default 10, range [3, 100] (suite2p {@code diameter})
 * @param binSeconds          target bin length: frames are averaged in bins of {@code binSeconds x frame rate} (at
 *                            least {@code minBins} bins); default 1.0 s, range (0, 10] (suite2p bins by its
 *                            {@code tau}; the pipeline uses {@code detection.bin_s}, 0.4 s: a 1 s transient then spans
 *                            2-3 bins, which finds sparse firers that 1 s bins average away)
 * @param minBins             binning never leaves fewer bins than this (if the window has that many frames);
 *                            default 50, range [10, 100000]
 * @param highPassBins        temporal high-pass: a centred running mean of this many bins is subtracted from every
 *                            pixel; default 100 bins, range [3, 100000] (suite2p {@code high_pass})
 * @param spatialHighPass     neuropil removal: the box mean over this many cell diameters is subtracted from every
 *                            binned frame; default 3.0 diameters, range [1, 20] (suite2p {@code spatial_hp_detect})
 * @param eventThreshold      a pixel's matched-filtered, noise-normalised value counts towards its score only above
 *                            this many noise sigmas; default 2.5, range [1, 20] (suite2p {@code threshold_scaling})
 * @param minScore            detection stops when the best remaining score (sum over bins of the squared excess
 *                            over {@code eventThreshold}, sigma^2) is below this; default 10, range (0, 1e6]
 * @param activeSigma         a ROI's active bins are those where its trace exceeds its median by this many robust
 *                            sigmas; default 3.0, range [0.5, 20]
 * @param weightFraction      pixels whose weight is at least this fraction of the ROI's peak weight join the ROI
 *                            (connected to the peak); default 0.2, range (0, 1) (suite2p {@code lam > max / 5})
 * @param growthIterations    rounds of trace / active bins / weights per ROI; default 3, range [1, 20]
 * @param maxOverlap          a new ROI sharing more than this fraction of its pixels with earlier ROIs is dropped
 *                            (a duplicate); default 0.5, range [0, 1] (suite2p {@code max_overlap} 0.75)
 * @param minPixelsFraction   ROIs with fewer pixels than this fraction of the area of a disk of {@code
 *                            diameterPixels} are dropped; default 0.25, range [0, 1]
 * @param maxPixelsFraction   ROIs are cut to the pixels within this many diameters of the peak, and the weight map is
 *                            searched that far; default 1.0 diameters (radius), range [0.5, 5]
 * @param maxRoisPerPlane     at most this many ROIs per plane (suite2p {@code max_iterations} analogue); default
 *                            200000, range [1, 10000000]
 * <p>Immutable and thread-safe.
 */
public record DetectionParameters(double diameterPixels, double binSeconds, int minBins, int highPassBins,
        double spatialHighPass, double eventThreshold, double minScore, double activeSigma, double weightFraction,
        int growthIterations, double maxOverlap, double minPixelsFraction, double maxPixelsFraction,
        int maxRoisPerPlane) {

    /** Defaults for 10 px somata at about 1 s indicator decay. */
    public static final DetectionParameters DEFAULT = new DetectionParameters(10, 1.0, 50, 100, 3.0, 2.5, 10, 3.0,
            0.2, 3, 0.5, 0.25, 1.0, 200_000);

    /** Validates every field against its documented range. */
    public DetectionParameters {
        check(diameterPixels >= 3 && diameterPixels <= 100, "diameter must be in [3, 100] pixels, was "
                + diameterPixels);
        check(binSeconds > 0 && binSeconds <= 10, "bin length must be in (0, 10] s, was " + binSeconds);
        check(minBins >= 10 && minBins <= 100_000, "min bins must be in [10, 100000], was " + minBins);
        check(highPassBins >= 3 && highPassBins <= 100_000, "high-pass window must be in [3, 100000] bins, was "
                + highPassBins);
        check(spatialHighPass >= 1 && spatialHighPass <= 20,
                "spatial high-pass must be in [1, 20] diameters, was " + spatialHighPass);
        check(eventThreshold >= 1 && eventThreshold <= 20, "event threshold must be in [1, 20] sigma, was "
                + eventThreshold);
        check(minScore > 0 && minScore <= 1e6, "min score must be in (0, 1e6] sigma^2, was " + minScore);
        check(activeSigma >= 0.5 && activeSigma <= 20, "active sigma must be in [0.5, 20], was " + activeSigma);
        check(weightFraction > 0 && weightFraction < 1, "weight fraction must be in (0, 1), was " + weightFraction);
        check(growthIterations >= 1 && growthIterations <= 20, "growth iterations must be in [1, 20], was "
                + growthIterations);
        check(maxOverlap >= 0 && maxOverlap <= 1, "max overlap must be in [0, 1], was " + maxOverlap);
        check(minPixelsFraction >= 0 && minPixelsFraction <= 1, "min pixels fraction must be in [0, 1], was "
                + minPixelsFraction);
        check(maxPixelsFraction >= 0.5 && maxPixelsFraction <= 5, "max extent must be in [0.5, 5] diameters, was "
                + maxPixelsFraction);
        check(maxRoisPerPlane >= 1 && maxRoisPerPlane <= 10_000_000, "max ROIs per plane must be in [1, 10000000], was "
                + maxRoisPerPlane);
    }

    /** A copy with another diameter. */
    public DetectionParameters withDiameter(final double d) {
        return new DetectionParameters(d, binSeconds, minBins, highPassBins, spatialHighPass, eventThreshold, minScore,
                activeSigma, weightFraction, growthIterations, maxOverlap, minPixelsFraction, maxPixelsFraction,
                maxRoisPerPlane);
    }

    /** A copy with another event threshold and minimum score. */
    public DetectionParameters withThresholds(final double event, final double score) {
        return new DetectionParameters(diameterPixels, binSeconds, minBins, highPassBins, spatialHighPass, event, score,
                activeSigma, weightFraction, growthIterations, maxOverlap, minPixelsFraction, maxPixelsFraction,
                maxRoisPerPlane);
    }

    /** A copy with another target bin length, s. */
    public DetectionParameters withBinSeconds(final double seconds) {
        return new DetectionParameters(diameterPixels, seconds, minBins, highPassBins, spatialHighPass, eventThreshold,
                minScore, activeSigma, weightFraction, growthIterations, maxOverlap, minPixelsFraction,
                maxPixelsFraction, maxRoisPerPlane);
    }

    /** A copy with another temporal high-pass window, bins. */
    public DetectionParameters withHighPassBins(final int bins) {
        return new DetectionParameters(diameterPixels, binSeconds, minBins, bins, spatialHighPass, eventThreshold,
                minScore, activeSigma, weightFraction, growthIterations, maxOverlap, minPixelsFraction,
                maxPixelsFraction, maxRoisPerPlane);
    }

    /** A copy with another minimum bin count. */
    public DetectionParameters withMinBins(final int bins) {
        return new DetectionParameters(diameterPixels, binSeconds, bins, highPassBins, spatialHighPass, eventThreshold,
                minScore, activeSigma, weightFraction, growthIterations, maxOverlap, minPixelsFraction,
                maxPixelsFraction, maxRoisPerPlane);
    }

    /** Frames per bin for a window of {@code frames} frames at {@code frameRateHz}. */
    public int binFrames(final int frames, final double frameRateHz) {
        final int byLength = (int) Math.max(1, Math.round(binSeconds * frameRateHz));
        final int byCount = Math.max(1, frames / minBins);
        return Math.max(1, Math.min(byLength, byCount));
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
