package org.beadstream.traces.dff;

/**
 * A causal running baseline F0 for many traces at once, fed one sample per ROI per volume.
 *
 * <p>Implementations hold bounded per-ROI state made at construction and allocate nothing in {@link #update}.
 * Not thread-safe unless an implementation says otherwise.
 */
public interface BaselineEstimator {

    /** Number of ROIs this estimator tracks. */
    int rois();

    /**
     * Adds one sample per ROI and writes the current baseline of each.
     *
     * @param samples one value per ROI
     * @param baselineOut receives one baseline per ROI (may be the same array as samples)
     */
    void update(float[] samples, float[] baselineOut);
}
