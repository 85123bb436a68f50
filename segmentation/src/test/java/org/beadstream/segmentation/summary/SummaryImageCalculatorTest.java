package org.beadstream.segmentation.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.beadstream.gpu.kernels.summary.DeviceSummaryImages;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.segmentation.synthetic.SyntheticMovies;
import org.beadstream.segmentation.synthetic.SyntheticParameters;
import org.beadstream.segmentation.synthetic.SyntheticPlane;
import org.beadstream.segmentation.synthetic.TrueCell;
import org.junit.jupiter.api.Test;

/** Device and host summary images agree (correlation within 2e-4, float32 accumulation) and show the cells. */
class SummaryImageCalculatorTest {

    @Test
    void shouldAgreeBetweenDeviceAndHostAndLightUpActiveCellsInTheCorrelationImage() {
        final SyntheticParameters p = SyntheticParameters.moderate(2).withSize(64, 48, 150).withSnr(3);
        final SyntheticPlane plane = SyntheticMovies.plane(p);
        final SummaryImages host = SummaryImageCalculator.onHost(10).compute(plane.movie(), 150, 64, 48);
        final SummaryImages dev;
        try (OpenClRuntime cl = OpenClRuntime.create((String) null);
                DeviceSummaryImages d = new DeviceSummaryImages(cl, 64, 48, 32)) {
            dev = SummaryImageCalculator.onDevice(d, 10).compute(plane.movie(), 150, 64, 48);
        }
        assertArrayEquals(host.correlation(), dev.correlation(), 2e-4f);
        assertArrayEquals(host.std(), dev.std(), 2e-3f);
        assertArrayEquals(host.max(), dev.max(), 1e-5f);
        for (int i = 0; i < host.mean().length; i++) {
            assertTrue(Math.abs(host.mean()[i] - dev.mean()[i]) <= 1e-5 * Math.abs(host.mean()[i]) + 1e-5,
                    "mean at " + i);
            assertTrue(host.enhancedMean()[i] >= 0 && host.enhancedMean()[i] <= 1, "enhanced mean in [0, 1]");
        }
        // active cells' centres correlate with their neighbours far more than the background does
        double inCells = 0;
        int n = 0;
        for (final TrueCell c : plane.cells()) {
            if (c.active()) {
                inCells += host.correlation()[(int) Math.round(c.y()) * 64 + (int) Math.round(c.x())];
                n++;
            }
        }
        final float[] sorted = host.correlation().clone();
        java.util.Arrays.sort(sorted);
        final double median = sorted[sorted.length / 2];
        assertTrue(n > 0 && inCells / n > median + 0.2, "cells " + inCells / n + " vs background median " + median);
    }
}
