package org.beadstream.traces.deconvolution;

/**
 * Online OASIS (AR(1)) for many ROIs at once: pool-adjacent-violators with an exponential kernel, processed sample by
 * sample with bounded memory.
 *
 * <p>Each new sample opens a pool; while the previous pool, decayed to the new pool's start ({@code v_prev g^l}),
 * plus {@code sMin} exceeds the new pool's value, the two are merged (weighted least-squares value
 * {@code v = (w_a v_a + g^l w_b v_b) / (w_a + g^2l w_b)}). A spike sits at each pool start:
 * {@code s = v_j - g^l v_(j-1)}. The L1 penalty lambda enters as {@code y - lambda (1 - g)} (Friedrich et al. 2017,
 * eq. 4).
 *
 * <p>Online and bounded: pools that end more than {@code lag} frames before the newest sample are frozen and
 * forgotten, so each ROI keeps at most {@code lag + 2} pools (12 bytes each); the spike estimate of frame
 * {@code t - lag} is final and emitted when frame {@code t} is pushed. With lag at least the trace length this is
 * exactly offline OASIS (with positivity applied to the spike jumps).
 *
 * <p>All state is preallocated in the constructor; {@link #push} allocates nothing. Not thread-safe: one thread
 * pushes (different ROI ranges may use different instances).
 */
public final class OnlineOasis {

    private static final int POWER_TABLE = 4096;

    private final int rois;
    private final int capacity;
    private final int lag;
    private final double g;
    private final double lambdaShift;
    private final double sMin;
    private final double baseline;
    private final double[] powers;

    private final float[] value;
    private final float[] weight;
    private final int[] start;
    private final int[] head;
    private final int[] count;
    private final float[] frozenEnd;

    private int nextFrame;
    private int nextEmit;

    /**
     * @param rois number of traces deconvolved side by side, &ge; 1
     * @param parameters model and online parameters
     */
    public OnlineOasis(final int rois, final OasisParameters parameters) {
        if (rois < 1) {
            throw new IllegalArgumentException("ROI count must be >= 1, was " + rois);
        }
        final long cap = (long) parameters.lag() + 2;
        if (cap * rois > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("rois x (lag + 2) must fit in an int array, was " + rois + " x "
                    + cap + "; use a smaller lag or split the ROIs over several instances");
        }
        this.rois = rois;
        this.capacity = (int) cap;
        this.lag = parameters.lag();
        this.g = parameters.decay();
        this.lambdaShift = parameters.lambda() * (1 - g);
        this.sMin = parameters.sMin();
        this.baseline = parameters.baseline();
        this.powers = new double[POWER_TABLE];
        for (int i = 0; i < POWER_TABLE; i++) {
            powers[i] = Math.pow(g, i);
        }
        this.value = new float[rois * capacity];
        this.weight = new float[rois * capacity];
        this.start = new int[rois * capacity];
        this.head = new int[rois];
        this.count = new int[rois];
        this.frozenEnd = new float[rois];
    }

    /**
     * Deconvolves a whole trace offline (lag = trace length).
     *
     * @return spikes, one per sample
     */
    public static float[] deconvolve(final float[] trace, final OasisParameters parameters) {
        final OnlineOasis oasis = new OnlineOasis(1, parameters.withLag(trace.length));
        final float[] spikes = new float[trace.length];
        final float[] one = new float[1];
        final float[] out = new float[1];
        for (final float y : trace) {
            one[0] = y;
            oasis.push(one, out);
        }
        int frame;
        while ((frame = oasis.flush(out)) >= 0) {
            spikes[frame] = out[0];
        }
        return spikes;
    }

    /** Number of ROIs. */
    public int rois() {
        return rois;
    }

    /** Output lag in frames. */
    public int lag() {
        return lag;
    }

    /** Frames pushed so far. */
    public int framesPushed() {
        return nextFrame;
    }

    /**
     * Adds one sample per ROI (frame t = {@link #framesPushed()}) and emits the final spikes of frame {@code t - lag}.
     *
     * @param samples one value per ROI (length &ge; rois)
     * @param spikesOut receives one spike value per ROI for the emitted frame (length &ge; rois); left untouched when
     *                  nothing is emitted
     * @return the emitted frame index, or -1 while fewer than lag + 1 frames have been pushed
     */
    public int push(final float[] samples, final float[] spikesOut) {
        return push(samples, spikesOut, null);
    }

    /**
     * As {@link #push(float[], float[])}, also writing the denoised calcium of the emitted frame.
     *
     * @param calciumOut one value per ROI, or null
     */
    public int push(final float[] samples, final float[] spikesOut, final float[] calciumOut) {
        checkLength(samples, "samples");
        checkLength(spikesOut, "spikesOut");
        if (calciumOut != null) {
            checkLength(calciumOut, "calciumOut");
        }
        if (nextFrame == Integer.MAX_VALUE) {
            throw new IllegalStateException("frame counter exhausted after " + nextFrame + " frames");
        }
        final int t = nextFrame++;
        for (int r = 0; r < rois; r++) {
            append(r, t, samples[r] - baseline - lambdaShift);
        }
        if (t - lag < 0) {
            return -1;
        }
        return emit(spikesOut, calciumOut);
    }

    /**
     * After the last sample: emits the next frame not yet emitted, as if the data ended here.
     *
     * @return the emitted frame index, or -1 when every pushed frame has been emitted
     */
    public int flush(final float[] spikesOut) {
        return flush(spikesOut, null);
    }

    /** As {@link #flush(float[])}, also writing the denoised calcium (calciumOut may be null). */
    public int flush(final float[] spikesOut, final float[] calciumOut) {
        checkLength(spikesOut, "spikesOut");
        if (calciumOut != null) {
            checkLength(calciumOut, "calciumOut");
        }
        if (nextEmit >= nextFrame) {
            return -1;
        }
        return emit(spikesOut, calciumOut);
    }

    private void checkLength(final float[] a, final String name) {
        if (a.length < rois) {
            throw new IllegalArgumentException(name + " must hold " + rois + " values, had " + a.length);
        }
    }

    private double power(final int n) {
        return n < POWER_TABLE ? powers[n] : Math.pow(g, n);
    }

    private void append(final int r, final int t, final double y) {
        final int base = r * capacity;
        final int h = head[r];
        int n = count[r];
        int slot = base + (h + n) % capacity;
        value[slot] = (float) y;
        weight[slot] = 1f;
        start[slot] = t;
        n++;
        while (n >= 2) {
            final int last = base + (h + n - 1) % capacity;
            final int prev = base + (h + n - 2) % capacity;
            final int len = start[last] - start[prev];
            final double gl = power(len);
            final double vPrev = value[prev];
            final double vLast = value[last];
            if (vPrev * gl + sMin > vLast) {
                final double wPrev = weight[prev];
                final double wLast = weight[last];
                final double w = wPrev + gl * gl * wLast;
                value[prev] = (float) ((wPrev * vPrev + gl * wLast * vLast) / w);
                weight[prev] = (float) w;
                n--;
            } else {
                break;
            }
        }
        count[r] = n;
    }

    private int emit(final float[] spikesOut, final float[] calciumOut) {
        final int k = nextEmit++;
        for (int r = 0; r < rois; r++) {
            final int base = r * capacity;
            int h = head[r];
            int n = count[r];
            while (n >= 2) {
                final int front = base + h;
                final int second = base + (h + 1) % capacity;
                if (start[second] > k) {
                    break;
                }
                final int len = start[second] - start[front];
                frozenEnd[r] = (float) (Math.max(0.0, value[front]) * power(len - 1));
                h = (h + 1) % capacity;
                n--;
            }
            head[r] = h;
            count[r] = n;
            final int front = base + h;
            final double v = Math.max(0.0, value[front]);
            if (start[front] == k) {
                spikesOut[r] = k == 0 ? 0f : (float) Math.max(0.0, v - g * frozenEnd[r]);
            } else {
                spikesOut[r] = 0f;
            }
            if (calciumOut != null) {
                calciumOut[r] = (float) (v * power(k - start[front]));
            }
        }
        return k;
    }
}
