package org.beadstream.segmentation.evaluate;

/**
 * Detection accuracy of a run against ground truth.
 *
 * @param truthNeurons    neurons that had to be found (counted)
 * @param detections      detected ROIs
 * @param truePositives   detections assigned one-to-one to a counted neuron at IoU at least the threshold
 * @param falsePositives  detections matching no neuron at all (not even an uncounted one, and not a duplicate)
 * @param duplicates      detections matching an already matched neuron (in this or another plane) at the threshold:
 *                        a neuron counted twice
 * @param ignored         detections matching only uncounted neurons (silent or barely visible)
 * @param precision       TP / (TP + FP + duplicates)
 * @param recall          TP / truthNeurons
 * @param f1              harmonic mean of precision and recall
 * @param meanIou         mean IoU of the true positives
 * @param neuronOfDetection neuron id matched to each detection (true positives only), or -1
 * @param iouThreshold    the IoU threshold used
 * <p>Immutable by convention; thread-safe for reading.
 */
public record DetectionScore(int truthNeurons, int detections, int truePositives, int falsePositives,
        int duplicates, int ignored, double precision, double recall, double f1, double meanIou,
        int[] neuronOfDetection, double iouThreshold) {

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "precision %.3f recall %.3f F1 %.3f (TP %d, FP %d, duplicates %d, ignored %d, truth %d, mean IoU %.2f)",
                precision, recall, f1, truePositives, falsePositives, duplicates, ignored, truthNeurons, meanIou);
    }
}
