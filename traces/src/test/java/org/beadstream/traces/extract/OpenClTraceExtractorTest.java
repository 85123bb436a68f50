package org.beadstream.traces.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.TestFootprints;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device extractor against the CPU one on simulated planes and random footprints. Tolerance: 1e-5 relative
 * (float32 sums of about 100 terms, summed in another order when lanes > 1).
 */
class OpenClTraceExtractorTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    private static void compare(final Footprints fp, final float[] volume, final int lanes) {
        compare(fp, volume, lanes, false);
        compare(fp, volume, lanes, true);
    }

    private static void compare(final Footprints fp, final float[] volume, final int lanes,
                                final boolean rowPrefix) {
        final PackedFootprints packed = PackedFootprints.of(fp);
        final int n = fp.roiCount();
        final float[] fRef = new float[n];
        final float[] nRef = new float[n];
        new CpuTraceExtractor(packed).extract(volume, fRef, nRef);
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        try (OpenClTraceExtractor ex = new OpenClTraceExtractor(cl, cl.queue(), packed, lanes, rowPrefix)) {
            for (int repeat = 0; repeat < 2; repeat++) {
                ex.extract(volume, f, fneu);
                for (int r = 0; r < n; r++) {
                    assertEquals(fRef[r], f[r], 1e-5 * Math.abs(fRef[r]) + 1e-5, "F of ROI " + r);
                    // row prefix sums: rounding of partial row sums, bounded at 1e-4 relative
                    assertEquals(nRef[r], fneu[r], (rowPrefix ? 1e-4 : 1e-5) * Math.abs(nRef[r]) + 1e-5,
                            "Fneu of ROI " + r + (rowPrefix ? " (row prefix)" : ""));
                }
            }
        }
    }

    @Test
    void shouldMatchTheCpuExtractorOnASimulatedPlane() {
        final SimulatedDffAccuracyTest.Scene s = SimulatedDffAccuracyTest.scene(21);
        final int pixels = s.plane().width() * s.plane().height();
        final float[] frame = java.util.Arrays.copyOfRange(s.plane().movie(), 7 * pixels, 8 * pixels);
        compare(s.footprints(), frame, 1);
        compare(s.footprints(), frame, 32);
    }

    @Test
    void shouldMatchTheCpuExtractorAcrossPlanesOfAVolume() {
        final Footprints fp = TestFootprints.disks(64, 48, 4, 25, 5);
        final float[] volume = new float[4 * 64 * 48];
        final java.util.Random rnd = new java.util.Random(5);
        for (int i = 0; i < volume.length; i++) {
            volume[i] = 50 + 10 * (float) rnd.nextGaussian() + (i / (64 * 48)) * 100;
        }
        compare(fp, volume, 1);
        compare(fp, volume, 8);
    }

    @Test
    void shouldRejectAVolumeOfTheWrongSize() {
        final Footprints fp = TestFootprints.disks(64, 48, 2, 3, 6);
        try (OpenClTraceExtractor ex = new OpenClTraceExtractor(cl, cl.queue(), PackedFootprints.of(fp), 1)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ex.extract(new float[10], new float[6], new float[6]));
            assertEquals("volume must hold 6144 pixels (2 planes of 3072), had 10", e.getMessage());
        }
    }

    @Test
    void shouldRejectPlanesBeyondTheTwentyBitIndex() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PackedFootprints.pack(2048, 1024, 1, new int[0], new int[] {0}, new int[0], new float[0],
                        new int[] {0}, new int[0]));
        assertEquals("plane 2048 x 1024 exceeds the packed layout's 1048576-pixel (20-bit index) limit or is empty",
                e.getMessage());
    }
}
