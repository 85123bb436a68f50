/**
 * Neuropil correction and dF/F0 with online baselines, one volume at a time for all ROIs, bounded memory and no
 * allocation per volume: {@link org.beadstream.traces.dff.DeltaFOverF} combines
 * {@code Fc = F - r * Fneu} with a {@link org.beadstream.traces.dff.BaselineEstimator}
 * ({@link org.beadstream.traces.dff.SlidingPercentileBaseline} or {@link org.beadstream.traces.dff.MaximinBaseline}).
 */
package org.beadstream.traces.dff;
