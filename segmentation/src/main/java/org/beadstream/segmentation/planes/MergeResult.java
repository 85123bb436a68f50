package org.beadstream.segmentation.planes;

import java.util.List;

import org.beadstream.segmentation.detect.DetectedRoi;

/**
 * The detections that survive the cross-plane merge, and the record of every merge.
 *
 * @param kept   one detection per neuron, in plane order
 * @param merges every dropped detection, with whom it merged and why
 * <p>Immutable; thread-safe.
 */
public record MergeResult(List<DetectedRoi> kept, List<MergeRecord> merges) {
}
