package org.beadstream.traces.dff;

/**
 * suite2p's "maximin" baseline made causal: smooth, take the running minimum over a window, then the running maximum
 * of that minimum over the same window.
 *
 * <p>suite2p ({@code baseline='maximin'}) smooths with a centred Gaussian of width {@code sig_baseline} and uses
 * centred min/max filters of {@code win_baseline} seconds. Online we cannot look ahead, so smoothing is an exponential
 * moving average with time constant {@code sigmaFrames} and the filters look back only. The min and max run as
 * monotonic deques (amortised O(1) per sample) over block values: every {@code downsample} frames the smoothed value
 * enters the min deque, whose front enters the max deque. Memory: 16 bytes x (window / downsample + 1) per ROI.
 *
 * <p>Not thread-safe.
 */
public final class MaximinBaseline implements BaselineEstimator {

    private final int rois;
    private final int cap;
    private final int downsample;
    private final float alpha;
    private final float[] smooth;
    private final float[] baseline;
    private final float[] minVal;
    private final int[] minIdx;
    private final int[] minHead;
    private final int[] minCount;
    private final float[] maxVal;
    private final int[] maxIdx;
    private final int[] maxHead;
    private final int[] maxCount;
    private final int windowBlocks;
    private int frame;
    private int block;

    /**
     * @param rois number of ROIs, &ge; 1
     * @param sigmaFrames smoothing time constant in frames, &ge; 0 (0 = none)
     * @param windowFrames min and max window in frames, &ge; 1
     * @param downsample frames per deque entry, in [1, windowFrames]
     */
    public MaximinBaseline(final int rois, final double sigmaFrames, final int windowFrames, final int downsample) {
        if (rois < 1) {
            throw new IllegalArgumentException("ROI count must be >= 1, was " + rois);
        }
        if (!(sigmaFrames >= 0) || Double.isInfinite(sigmaFrames)) {
            throw new IllegalArgumentException("smoothing sigma must be finite and >= 0 frames, was " + sigmaFrames);
        }
        if (windowFrames < 1) {
            throw new IllegalArgumentException("baseline window must be >= 1 frame, was " + windowFrames);
        }
        if (downsample < 1 || downsample > windowFrames) {
            throw new IllegalArgumentException("downsample must be in [1, window = " + windowFrames + "], was "
                    + downsample);
        }
        this.rois = rois;
        this.windowBlocks = (windowFrames + downsample - 1) / downsample;
        this.cap = windowBlocks + 1;
        if ((long) cap * rois > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window entries x ROIs too large for one array: " + cap + " x " + rois
                    + "; raise downsample");
        }
        this.downsample = downsample;
        this.alpha = (float) (1.0 / (1.0 + sigmaFrames));
        this.smooth = new float[rois];
        this.baseline = new float[rois];
        this.minVal = new float[cap * rois];
        this.minIdx = new int[cap * rois];
        this.minHead = new int[rois];
        this.minCount = new int[rois];
        this.maxVal = new float[cap * rois];
        this.maxIdx = new int[cap * rois];
        this.maxHead = new int[rois];
        this.maxCount = new int[rois];
    }

    @Override
    public int rois() {
        return rois;
    }

    @Override
    public void update(final float[] samples, final float[] baselineOut) {
        if (samples.length < rois || baselineOut.length < rois) {
            throw new IllegalArgumentException("arrays must hold " + rois + " values, had " + samples.length
                    + " and " + baselineOut.length);
        }
        final boolean first = frame == 0;
        frame++;
        final boolean push = first || frame % downsample == 0;
        final int b = block;
        if (push) {
            block++;
        }
        for (int r = 0; r < rois; r++) {
            final float s = first || alpha == 1f ? samples[r] : smooth[r] + alpha * (samples[r] - smooth[r]);
            smooth[r] = s;
            if (push) {
                final float m = pushMin(r, s, b);
                baseline[r] = pushMax(r, m, b);
            }
            baselineOut[r] = baseline[r];
        }
    }

    private float pushMin(final int r, final float x, final int idx) {
        final int base = r * cap;
        int h = minHead[r];
        int n = minCount[r];
        while (n > 0 && minVal[base + (h + n - 1) % cap] >= x) {
            n--;
        }
        final int slot = base + (h + n) % cap;
        minVal[slot] = x;
        minIdx[slot] = idx;
        n++;
        while (minIdx[base + h] <= idx - windowBlocks) {
            h = (h + 1) % cap;
            n--;
        }
        minHead[r] = h;
        minCount[r] = n;
        return minVal[base + h];
    }

    private float pushMax(final int r, final float x, final int idx) {
        final int base = r * cap;
        int h = maxHead[r];
        int n = maxCount[r];
        while (n > 0 && maxVal[base + (h + n - 1) % cap] <= x) {
            n--;
        }
        final int slot = base + (h + n) % cap;
        maxVal[slot] = x;
        maxIdx[slot] = idx;
        n++;
        while (maxIdx[base + h] <= idx - windowBlocks) {
            h = (h + 1) % cap;
            n--;
        }
        maxHead[r] = h;
        maxCount[r] = n;
        return maxVal[base + h];
    }
}
