package org.beadstream.segmentation.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DetectionEvaluatorTest {

    static int[] range(final int from, final int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    @Test
    void shouldCountTruePositivesFalsePositivesDuplicatesAndIgnoredDetections() {
        final List<TruthMask> truth = List.of(
                new TruthMask(0, 0, range(0, 10), true),
                new TruthMask(0, 1, range(0, 10), true), // the same neuron in the next plane
                new TruthMask(1, 0, range(100, 110), true),
                new TruthMask(2, 0, range(200, 210), false)); // silent
        final List<DetectedMask> det = List.of(
                new DetectedMask(0, range(0, 9)), // TP neuron 0 (IoU 0.9)
                new DetectedMask(1, range(1, 10)), // duplicate of neuron 0 in plane 1
                new DetectedMask(0, range(200, 208)), // matches the silent neuron: ignored
                new DetectedMask(0, range(300, 310)), // false positive
                new DetectedMask(0, range(100, 103))); // too small for neuron 1 (IoU 0.3): false positive
        final DetectionScore s = DetectionEvaluator.score(truth, det);
        assertEquals(2, s.truthNeurons());
        assertEquals(1, s.truePositives());
        assertEquals(1, s.duplicates());
        assertEquals(1, s.ignored());
        assertEquals(2, s.falsePositives());
        assertEquals(0.25, s.precision(), 1e-12);
        assertEquals(0.5, s.recall(), 1e-12);
        assertEquals(1 / 3.0, s.f1(), 1e-12);
        assertEquals(0.9, s.meanIou(), 1e-12);
        assertEquals(0, s.neuronOfDetection()[0]);
        assertEquals(-1, s.neuronOfDetection()[1]);
    }

    @Test
    void shouldMeasureTraceAccuracyAsTheMedianCorrelationOfMatchedNeurons() {
        final float[] a = {0, 1, 0, 2, 0, 3};
        final float[] b = {0, 2, 0, 4, 0, 6};
        final float[] c = {3, 0, 2, 0, 1, 0};
        final double r = DetectionEvaluator.medianTraceCorrelation(Map.of(7, a, 8, a, 9, a),
                new float[][] {b, b, c}, new int[] {7, 8, 9});
        assertEquals(1.0, r, 1e-6, "two perfect and one anti-correlated: the median is perfect");
        assertEquals(Double.NaN, DetectionEvaluator.medianTraceCorrelation(Map.of(), new float[0][], new int[0]));
        assertThrows(IllegalArgumentException.class, () -> DetectionEvaluator.score(List.of(), List.of(), 0));
    }
}
