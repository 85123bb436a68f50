package org.beadstream.segmentation.evaluate;

/**
 * A detected ROI's pixels in one plane.
 *
 * @param plane  plane index
 * @param pixels pixel indices y * width + x (any order, distinct)
 * <p>Immutable by convention; thread-safe for reading.
 */
public record DetectedMask(int plane, int[] pixels) {
}
