package org.beadstream.traces.dff;

import java.util.Arrays;

/**
 * Running percentile of the last {@code window} frames (CaImAn's {@code detrend_df_f} style baseline), causal.
 *
 * <p>Frames are first averaged in blocks of {@code downsample} (1 = none); the window holds the last
 * {@code ceil(window / downsample)} block means per ROI in a ring and, beside it, the same values kept sorted, so an
 * update is one binary search and one {@code System.arraycopy} of at most the window length (an order-statistic
 * window). The percentile is interpolated linearly between order statistics. Until the first block completes the
 * baseline is the running mean of the block so far.
 *
 * <p>Memory: 8 bytes x window entries per ROI (1e6 ROIs, 60 s at 2 Hz with downsample 2: 480 MB).
 * Not thread-safe.
 */
public final class SlidingPercentileBaseline implements BaselineEstimator {

    private final int rois;
    private final int entries;
    private final int downsample;
    private final double percentile;
    private final float[] ring;
    private final float[] sorted;
    private final float[] blockSum;
    private int filled;
    private int ringPos;
    private int inBlock;

    /**
     * @param rois number of ROIs, &ge; 1
     * @param windowFrames window length in frames, &ge; 1
     * @param percentile in [0, 100]
     * @param downsample block length in frames, in [1, windowFrames]
     */
    public SlidingPercentileBaseline(final int rois, final int windowFrames, final double percentile,
                                     final int downsample) {
        if (rois < 1) {
            throw new IllegalArgumentException("ROI count must be >= 1, was " + rois);
        }
        if (windowFrames < 1) {
            throw new IllegalArgumentException("baseline window must be >= 1 frame, was " + windowFrames);
        }
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in [0, 100], was " + percentile);
        }
        if (downsample < 1 || downsample > windowFrames) {
            throw new IllegalArgumentException("downsample must be in [1, window = " + windowFrames + "], was "
                    + downsample);
        }
        this.rois = rois;
        this.entries = (windowFrames + downsample - 1) / downsample;
        if ((long) entries * rois > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window entries x ROIs too large for one array: " + entries + " x "
                    + rois + "; raise downsample");
        }
        this.downsample = downsample;
        this.percentile = percentile;
        this.ring = new float[entries * rois];
        this.sorted = new float[entries * rois];
        this.blockSum = new float[rois];
    }

    @Override
    public int rois() {
        return rois;
    }

    /** Number of block means held per ROI when the window is full. */
    public int windowEntries() {
        return entries;
    }

    @Override
    public void update(final float[] samples, final float[] baselineOut) {
        if (samples.length < rois || baselineOut.length < rois) {
            throw new IllegalArgumentException("arrays must hold " + rois + " values, had " + samples.length
                    + " and " + baselineOut.length);
        }
        inBlock++;
        final boolean blockDone = inBlock == downsample;
        for (int r = 0; r < rois; r++) {
            blockSum[r] += samples[r];
        }
        if (!blockDone) {
            if (filled == 0) {
                for (int r = 0; r < rois; r++) {
                    baselineOut[r] = blockSum[r] / inBlock;
                }
            } else {
                for (int r = 0; r < rois; r++) {
                    baselineOut[r] = quantile(r * entries, filled);
                }
            }
            return;
        }
        inBlock = 0;
        final boolean full = filled == entries;
        for (int r = 0; r < rois; r++) {
            final int base = r * entries;
            final float x = blockSum[r] / downsample;
            blockSum[r] = 0f;
            if (full) {
                final float old = ring[base + ringPos];
                replaceSorted(base, entries, old, x);
            } else {
                insertSorted(base, filled, x);
            }
            ring[base + ringPos] = x;
        }
        if (!full) {
            filled++;
        }
        ringPos = (ringPos + 1) % entries;
        for (int r = 0; r < rois; r++) {
            baselineOut[r] = quantile(r * entries, filled);
        }
    }

    private float quantile(final int base, final int n) {
        final double pos = percentile / 100.0 * (n - 1);
        final int lo = (int) Math.floor(pos);
        final int hi = Math.min(n - 1, lo + 1);
        final double frac = pos - lo;
        return (float) (sorted[base + lo] * (1 - frac) + sorted[base + hi] * frac);
    }

    private void insertSorted(final int base, final int n, final float x) {
        int at = Arrays.binarySearch(sorted, base, base + n, x);
        if (at < 0) {
            at = -at - 1;
        }
        System.arraycopy(sorted, at, sorted, at + 1, base + n - at);
        sorted[at] = x;
    }

    private void replaceSorted(final int base, final int n, final float old, final float x) {
        int from = Arrays.binarySearch(sorted, base, base + n, old);
        if (from < 0) {
            throw new IllegalStateException("baseline window lost a value (NaN input?)");
        }
        int to = Arrays.binarySearch(sorted, base, base + n, x);
        if (to < 0) {
            to = -to - 1;
        }
        if (to > from) {
            // shift (from, to) left by one; x goes just before the first element greater than it
            System.arraycopy(sorted, from + 1, sorted, from, to - from - 1);
            sorted[to - 1] = x;
        } else {
            System.arraycopy(sorted, to, sorted, to + 1, from - to);
            sorted[to] = x;
        }
    }
}
