package org.beadstream.segmentation.sessions;

/**
 * One cell found in both sessions.
 *
 * @param roiA           ROI id in the reference session's footprints
 * @param roiB           ROI id in the moving session's footprints
 * @param distancePixels centroid distance after registration, pixels
 * @param iou            IoU of B's pixels mapped into A with A's pixels
 * @param confidence     0.5 IoU + 0.5 exp(-d^2 / 2 sigma^2), in [0, 1]
 * <p>Immutable and thread-safe.
 */
public record RoiMatch(int roiA, int roiB, double distancePixels, double iou, double confidence) {
}
