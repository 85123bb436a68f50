package org.beadstream.segmentation.detect;

import java.util.List;

import org.beadstream.segmentation.footprint.FootprintsBuilder;

/**
 * What the detector found in one plane.
 *
 * @param plane     plane index
 * @param width     plane width, pixels
 * @param height    plane height, pixels
 * @param binFrames frames per bin of the window
 * @param bins      bins in the window
 * @param rois      the ROIs, in the order found (highest score first, roughly)
 * @param scoreMap  the initial score map (height x width, sigma^2), for pictures and diagnostics
 * @param nanos     wall time of the detection, ns
 * <p>Immutable by convention (arrays shared); thread-safe for reading.
 */
public record PlaneDetection(int plane, int width, int height, int binFrames, int bins, List<DetectedRoi> rois,
        float[] scoreMap, long nanos) implements java.io.Serializable {

    /** Adds every ROI (with its trace) to {@code builder}; returns the id of the first one. */
    public int addTo(final FootprintsBuilder builder) {
        final int first = builder.roiCount();
        for (final DetectedRoi r : rois) {
            builder.addRoi(plane, r.pixels(), r.weights(), r.trace());
        }
        return first;
    }
}
