package org.beadstream.segmentation.synthetic;

/**
 * What a synthetic registered movie looks like (see {@link SyntheticMovies}).
 *
 * @param width            plane width, pixels, [8, 4096]
 * @param height           plane height, pixels, [8, 4096]
 * @param frames           frames per plane, [10, 100000]
 * @param frameRateHz      volume rate, Hz, (0, 1000]
 * @param cellsPer10kPixels soma density: cells per 10,000 pixels of plane (a 100 x 100 patch), [0, 200]
 * @param cellRadiusPixels mean soma radius, pixels (sd 12 percent), [2, 30]
 * @param snr              amplitude of one action-potential transient at the soma centre over the per-pixel,
 *                         per-frame noise sigma, (0, 100]; about 1 is "moderate" (a 6 px soma then integrates to about
 *                         10 sigma), 0.5 is dim
 * @param spikeRateHz      mean firing rate of active cells, Hz, (0, 50]
 * @param decaySeconds     calcium indicator decay time constant, s, (0, 10] (GCaMP6s about 1.2)
 * @param silentFraction   fraction of cells that never fire in this movie, [0, 1]
 * @param seed             random seed (geometry, activity and noise all follow from it)
 * <p>Immutable and thread-safe.
 */
public record SyntheticParameters(int width, int height, int frames, double frameRateHz, double cellsPer10kPixels,
        double cellRadiusPixels, double snr, double spikeRateHz, double decaySeconds, double silentFraction,
        long seed) {

    /** Validates every field against its documented range. */
    public SyntheticParameters {
        check(width >= 8 && width <= 4096, "width must be in [8, 4096] pixels, was " + width);
        check(height >= 8 && height <= 4096, "height must be in [8, 4096] pixels, was " + height);
        check(frames >= 10 && frames <= 100000, "frames must be in [10, 100000], was " + frames);
        check(frameRateHz > 0 && frameRateHz <= 1000, "frame rate must be in (0, 1000] Hz, was " + frameRateHz);
        check(cellsPer10kPixels >= 0 && cellsPer10kPixels <= 200,
                "density must be in [0, 200] cells per 10k pixels, was " + cellsPer10kPixels);
        check(cellRadiusPixels >= 2 && cellRadiusPixels <= 30,
                "cell radius must be in [2, 30] pixels, was " + cellRadiusPixels);
        check(snr > 0 && snr <= 100, "snr must be in (0, 100], was " + snr);
        check(spikeRateHz > 0 && spikeRateHz <= 50, "spike rate must be in (0, 50] Hz, was " + spikeRateHz);
        check(decaySeconds > 0 && decaySeconds <= 10, "decay must be in (0, 10] s, was " + decaySeconds);
        check(silentFraction >= 0 && silentFraction <= 1, "silent fraction must be in [0, 1], was " + silentFraction);
    }

    /** A 128 x 128 plane, 300 frames at 10 Hz, 12 cells per 10k pixels of radius 5, SNR 1, 0.5 Hz, tau 1.2 s. */
    public static SyntheticParameters moderate(final long seed) {
        return new SyntheticParameters(128, 128, 300, 10, 12, 5, 1.0, 0.5, 1.2, 0, seed);
    }

    /** A copy with another size. */
    public SyntheticParameters withSize(final int w, final int h, final int t) {
        return new SyntheticParameters(w, h, t, frameRateHz, cellsPer10kPixels, cellRadiusPixels, snr, spikeRateHz,
                decaySeconds, silentFraction, seed);
    }

    /** A copy with another SNR. */
    public SyntheticParameters withSnr(final double s) {
        return new SyntheticParameters(width, height, frames, frameRateHz, cellsPer10kPixels, cellRadiusPixels, s,
                spikeRateHz, decaySeconds, silentFraction, seed);
    }

    /** A copy with another density. */
    public SyntheticParameters withDensity(final double d) {
        return new SyntheticParameters(width, height, frames, frameRateHz, d, cellRadiusPixels, snr, spikeRateHz,
                decaySeconds, silentFraction, seed);
    }

    /** A copy with another silent fraction. */
    public SyntheticParameters withSilentFraction(final double f) {
        return new SyntheticParameters(width, height, frames, frameRateHz, cellsPer10kPixels, cellRadiusPixels, snr,
                spikeRateHz, decaySeconds, f, seed);
    }

    /** A copy with another seed. */
    public SyntheticParameters withSeed(final long s) {
        return new SyntheticParameters(width, height, frames, frameRateHz, cellsPer10kPixels, cellRadiusPixels, snr,
                spikeRateHz, decaySeconds, silentFraction, s);
    }

    private static void check(final boolean ok, final String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
