package org.beadstream.gpu.kernels.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.beadstream.gpu.runtime.OpenClRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * summary_moments + correlation_image against {@link SummaryReference}. Tolerances: mean and max within 1e-4
 * relative to the data range; std within 1e-4 relative; correlation within 2e-4 absolute (float32 sums of a few
 * hundred shifted products).
 */
class DeviceSummaryImagesTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    /** Correlated blobs (cells) firing independently over a bright offset, plus noise: like a registered plane. */
    static float[] cellMovie(final int frames, final int w, final int h, final long seed) {
        final Random r = new Random(seed);
        final float[] m = new float[frames * w * h];
        final int cells = 6;
        final int[] cx = new int[cells];
        final int[] cy = new int[cells];
        for (int c = 0; c < cells; c++) {
            cx[c] = 4 + r.nextInt(w - 8);
            cy[c] = 4 + r.nextInt(h - 8);
        }
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < w * h; i++) {
                m[t * w * h + i] = 1000 + (float) (20 * r.nextGaussian());
            }
            for (int c = 0; c < cells; c++) {
                final float a = r.nextDouble() < 0.1 ? 200 : 0;
                for (int dy = -2; dy <= 2; dy++) {
                    for (int dx = -2; dx <= 2; dx++) {
                        m[t * w * h + (cy[c] + dy) * w + cx[c] + dx] += a;
                    }
                }
            }
        }
        return m;
    }

    private static void assertClose(final float[] want, final float[] got, final int w, final int h) {
        final int px = w * h;
        for (int i = 0; i < px; i++) {
            assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), "mean at " + i);
            assertEquals(want[px + i], got[px + i], 1e-4 * Math.max(1, want[px + i]) + 1e-3, "std at " + i);
            assertEquals(want[2 * px + i], got[2 * px + i], 1e-4 * Math.max(1, Math.abs(want[2 * px + i])),
                    "max at " + i);
            assertEquals(want[3 * px + i], got[3 * px + i], 2e-4, "correlation at " + i);
        }
    }

    @Test
    void shouldMatchTheReferenceOnASimulatedPlaneStreamedInUnevenChunks() {
        final int w = 37;
        final int h = 29;
        final int t = 200;
        final float[] movie = cellMovie(t, w, h, 3);
        final float[] want = SummaryReference.compute(movie, t, w, h);
        final float[] got = new float[4 * w * h];
        try (DeviceSummaryImages s = new DeviceSummaryImages(cl, w, h, 16)) {
            s.add(movie, 0, 7);
            s.add(movie, 7, 150);
            s.add(movie, 157, 43);
            assertEquals(t, s.frames());
            s.finish(got);
        }
        assertClose(want, got, w, h);
        // the cells stand out in the correlation image: its maximum is well above the noise floor
        float max = 0;
        for (int i = 0; i < w * h; i++) {
            max = Math.max(max, got[3 * w * h + i]);
        }
        assertTrue(max > 0.5, "cells should correlate with their neighbours, max correlation was " + max);
    }

    @Test
    void shouldMatchTheReferenceOnRandomFramesAndGiveZeroForConstantPixels() {
        final int w = 16;
        final int h = 9;
        final int t = 50;
        final Random r = new Random(5);
        final float[] movie = new float[t * w * h];
        for (int i = 0; i < movie.length; i++) {
            movie[i] = (float) r.nextGaussian() * 3 - 7;
        }
        for (int k = 0; k < t; k++) {
            movie[k * w * h + 3 * w + 4] = 42; // a dead pixel
        }
        final float[] want = SummaryReference.compute(movie, t, w, h);
        final float[] got = new float[4 * w * h];
        try (DeviceSummaryImages s = new DeviceSummaryImages(cl, w, h, 64)) {
            s.add(movie, 0, t);
            s.finish(got);
            assertClose(want, got, w, h);
            assertEquals(0, got[3 * w * h + 3 * w + 4], 0, "a constant pixel correlates with nothing");
            // reset starts a fresh window
            s.reset();
            s.add(movie, 0, t);
            final float[] again = new float[4 * w * h];
            s.finish(again);
            assertClose(want, again, w, h);
        }
    }

    @Test
    void shouldRefuseToFinishAnEmptyWindowAndFramesOutsideTheMovie() {
        try (DeviceSummaryImages s = new DeviceSummaryImages(cl, 8, 8, 4)) {
            assertThrows(IllegalStateException.class, () -> s.finish(new float[256]));
            assertThrows(IllegalArgumentException.class, () -> s.add(new float[64 * 3], 2, 2));
        }
        assertThrows(IllegalArgumentException.class, () -> new DeviceSummaryImages(cl, 0, 8, 4));
    }
}
