package org.beadstream.segmentation.footprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FootprintsBuilderTest {

    static int[] disk(final int w, final double cx, final double cy, final double r) {
        final List<Integer> out = new ArrayList<>();
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < w; x++) {
                if (Math.hypot(x - cx, y - cy) <= r) {
                    out.add(y * w + x);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static float[] ones(final int n) {
        final float[] w = new float[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    @Test
    void shouldSortNormaliseAndIndexPixelsInCsrLayout() {
        final FootprintsBuilder b = new FootprintsBuilder(10, 10, 2);
        assertEquals(0, b.addRoi(1, new int[] {12, 3, 7}, new float[] {2, 1, 1}));
        assertEquals(1, b.addRoi(0, new int[] {50}, new float[] {5}));
        final Footprints fp = b.neuropil(new NeuropilParameters(0, 5, 5)).build();
        assertEquals(2, fp.roiCount());
        assertArrayEquals(new int[] {0, 3, 4}, fp.pixelOffsets());
        assertArrayEquals(new int[] {3, 7, 12, 50}, fp.pixelIndices());
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f, 1f}, fp.pixelWeights(), 1e-7f);
        assertEquals(1, fp.plane(0));
        assertArrayEquals(new int[] {1}, fp.roisOnPlane(0));
        final IntBuffer buf = IntBuffer.allocate(4);
        fp.copyPixelIndices(buf);
        assertArrayEquals(fp.pixelIndices(), buf.array());
        final Footprints one = fp.select(new int[] {1});
        assertEquals(1, one.roiCount());
        assertArrayEquals(new int[] {50}, one.roiPixels(0));
        assertEquals(fp.stats(1), one.stats(0));
        assertEquals(fp.neuropilCount(1), one.neuropilCount(0));
    }

    @Test
    void shouldDrawNeuropilAnnuliThatAvoidEveryRoiPixelAndTheInnerGap() {
        final int w = 100;
        final FootprintsBuilder b = new FootprintsBuilder(w, 100, 1);
        final int[] a = disk(w, 40, 50, 5);
        final int[] c = disk(w, 52, 50, 5);
        b.addRoi(0, a, ones(a.length));
        b.addRoi(0, c, ones(c.length));
        final Footprints fp = b.neuropil(NeuropilParameters.DEFAULT).build();
        final Set<Integer> cellPixels = new HashSet<>();
        for (final int p : a) {
            cellPixels.add(p);
        }
        for (final int p : c) {
            cellPixels.add(p);
        }
        for (int r = 0; r < 2; r++) {
            assertEquals(350, fp.neuropilCount(r), "annulus should hold min pixels");
            final int[] own = fp.roiPixels(r);
            for (final int q : fp.roiNeuropil(r)) {
                assertFalse(cellPixels.contains(q), "neuropil pixel " + q + " belongs to a ROI");
                for (final int o : own) {
                    final int dx = Math.abs(q % w - o % w);
                    final int dy = Math.abs(q / w - o / w);
                    assertTrue(Math.max(dx, dy) > 2, "neuropil pixel " + q + " within the 2 px gap of ROI " + r);
                }
            }
        }
    }

    @Test
    void shouldMeasureADiskAsRoundCompactAndOfItsRadius() {
        final int w = 100;
        final int[] d = disk(w, 50, 40, 6);
        final FootprintsBuilder b = new FootprintsBuilder(w, 100, 1);
        final float[] trace = new float[200];
        for (int i = 0; i < trace.length; i++) {
            trace[i] = (float) (Math.sin(i * 0.37) * 0.3 + (i % 10 == 0 ? 8 : 0));
        }
        b.addRoi(0, d, ones(d.length), trace);
        final RoiStats s = b.build().stats(0);
        // weights are stored as float32 (normalised to sum 1): centroids are exact to about 1e-7 relative
        assertEquals(50, s.centroidX(), 1e-5);
        assertEquals(40, s.centroidY(), 1e-5);
        assertEquals(6, s.radius(), 0.3, "radius of a 6 px disk");
        assertEquals(1, s.aspectRatio(), 0.02);
        assertEquals(1, s.compactness(), 0.05);
        assertEquals(1, s.footprint(), 1e-5, "flat weights");
        assertEquals(0, s.overlap(), 0);
        assertEquals(d.length, s.npix());
        assertTrue(s.skewness() > 2, "sparse events are positively skewed: " + s.skewness());
        assertTrue(s.snr() > 5, "events far above the noise: " + s.snr());
    }

    @Test
    void shouldRejectBadRoisNamingTheRoiAndTheProblem() {
        final FootprintsBuilder b = new FootprintsBuilder(10, 10, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.addRoi(0, new int[] {1, 1}, new float[] {1, 1}));
        assertEquals("ROI 0: pixel index 1 given twice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.addRoi(3, new int[] {1}, new float[] {1}));
        assertEquals("ROI 0: plane must be in [0, 3), was 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.addRoi(0, new int[] {100}, new float[] {1}));
        assertTrue(e.getMessage().contains("outside the 10 x 10 plane"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.addRoi(0, new int[] {1}, new float[] {-1}));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.addRoi(0, new int[] {1}, new float[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new FootprintsBuilder(0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new NeuropilParameters(2, 0, 50));
        assertEquals(0, b.build().roiCount(), "rejected ROIs are not added");
    }
}
