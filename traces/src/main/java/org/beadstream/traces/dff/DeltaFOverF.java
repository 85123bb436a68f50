package org.beadstream.traces.dff;

/**
 * Neuropil correction and dF/F0 for all ROIs of a plane or volume, one volume at a time:
 * <pre>
 *   Fc   = F - r * Fneu                      (suite2p's neucoeff r, default 0.7)
 *   F0   = baseline(Fc)                      (running, causal)
 *   dF/F = (Fc - F0) / max(F0, floor)
 * </pre>
 * The floor (in F units, default 1) keeps the ratio finite where the neuropil-corrected baseline is near zero or
 * negative (a dim ROI under bright neuropil); such ROIs are better judged on Fc than on dF/F.
 *
 * <p>Allocates its buffers once; {@link #process} allocates nothing. Not thread-safe.
 */
public final class DeltaFOverF {

    /** suite2p's default neuropil coefficient. */
    public static final float DEFAULT_NEUROPIL_COEFFICIENT = 0.7f;

    private final int rois;
    private final float neuropilCoefficient;
    private final float floor;
    private final BaselineEstimator baseline;
    private final float[] f0;

    /**
     * @param neuropilCoefficient r in F - r * Fneu, in [0, 2]
     * @param floor smallest F0 used as divisor, &gt; 0
     * @param baseline running baseline for Fc; its ROI count sets this object's
     */
    public DeltaFOverF(final float neuropilCoefficient, final float floor, final BaselineEstimator baseline) {
        if (!(neuropilCoefficient >= 0 && neuropilCoefficient <= 2)) {
            throw new IllegalArgumentException("neuropil coefficient r must be in [0, 2], was "
                    + neuropilCoefficient);
        }
        if (!(floor > 0) || Float.isInfinite(floor)) {
            throw new IllegalArgumentException("dF/F floor must be finite and > 0, was " + floor);
        }
        this.rois = baseline.rois();
        this.neuropilCoefficient = neuropilCoefficient;
        this.floor = floor;
        this.baseline = baseline;
        this.f0 = new float[rois];
    }

    /** Number of ROIs. */
    public int rois() {
        return rois;
    }

    /** The neuropil coefficient r. */
    public float neuropilCoefficient() {
        return neuropilCoefficient;
    }

    /**
     * Processes one volume.
     *
     * @param f raw ROI fluorescence, one per ROI
     * @param fneu neuropil fluorescence, one per ROI
     * @param correctedOut receives Fc = F - r Fneu (may be null)
     * @param baselineOut receives F0 (may be null)
     * @param dffOut receives dF/F
     */
    public void process(final float[] f, final float[] fneu, final float[] correctedOut, final float[] baselineOut,
                        final float[] dffOut) {
        if (f.length < rois || fneu.length < rois || dffOut.length < rois) {
            throw new IllegalArgumentException("F, Fneu and dF/F arrays must hold " + rois + " values, had "
                    + f.length + ", " + fneu.length + ", " + dffOut.length);
        }
        final float r = neuropilCoefficient;
        final float[] fc = dffOut;
        for (int i = 0; i < rois; i++) {
            fc[i] = f[i] - r * fneu[i];
        }
        baseline.update(fc, f0);
        for (int i = 0; i < rois; i++) {
            final float c = fc[i];
            final float b = f0[i];
            if (correctedOut != null) {
                correctedOut[i] = c;
            }
            if (baselineOut != null) {
                baselineOut[i] = b;
            }
            dffOut[i] = (c - b) / Math.max(b, floor);
        }
    }
}
