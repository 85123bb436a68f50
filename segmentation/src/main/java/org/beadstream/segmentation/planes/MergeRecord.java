package org.beadstream.segmentation.planes;

/**
 * One merge: the detection {@code mergedPlane / mergedIndex} was the same neuron as {@code keptPlane / keptIndex}
 * (indices into each plane's {@code PlaneDetection.rois()}), and was dropped.
 *
 * @param keptPlane      plane of the kept detection
 * @param keptIndex      index of the kept detection in its plane
 * @param mergedPlane    plane of the dropped detection
 * @param mergedIndex    index of the dropped detection in its plane
 * @param distancePixels lateral distance of the two centroids after plane offsets, pixels (of the linking pair)
 * @param correlation    Pearson correlation of the two detection traces (of the linking pair)
 * @param reason         human-readable reason ("same soma: 1.2 px apart, r = 0.93; kept plane 4 (score 812 > 301)")
 * <p>Immutable and thread-safe.
 */
public record MergeRecord(int keptPlane, int keptIndex, int mergedPlane, int mergedIndex, double distancePixels,
        double correlation, String reason) {
}
