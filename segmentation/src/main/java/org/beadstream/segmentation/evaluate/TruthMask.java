package org.beadstream.segmentation.evaluate;

/**
 * A true neuron's mask in one plane (a neuron may have one mask per plane it is visible in).
 *
 * @param neuron  neuron id (shared across planes)
 * @param plane   plane index
 * @param pixels  pixel indices y * width + x (any order, distinct)
 * @param counted whether the neuron must be found (active and clearly visible); detections matching a neuron that
 *                is not counted are neither true nor false positives
 * <p>Immutable by convention; thread-safe for reading.
 */
public record TruthMask(int neuron, int plane, int[] pixels, boolean counted) {
}
