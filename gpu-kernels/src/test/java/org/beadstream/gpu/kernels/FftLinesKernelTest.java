package org.beadstream.gpu.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * fft_lines and Fft2d against the double-precision reference. Tolerance: relative RMS error below
 * 2e-7 * log2(n) * 4 (float32 epsilon is 1.19e-7; a Stockham FFT's error grows about as log2 n).
 */
class FftLinesKernelTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    static double relativeRms(final float[] got, final float[] want) {
        double e = 0;
        double s = 0;
        for (int i = 0; i < got.length; i++) {
            e += (got[i] - want[i]) * (double) (got[i] - want[i]);
            s += want[i] * (double) want[i];
        }
        return Math.sqrt(e / s);
    }

    static float[] random(final int n, final long seed) {
        final Random r = new Random(seed);
        final float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    @Test
    void shouldMatchTheReferenceForRowsOfEveryPowerOfTwoLength() {
        for (int n : new int[] {8, 16, 32, 64, 128, 256, 512, 1024}) {
            final int lines = 16;
            final float[] data = random(2 * n * lines, n);
            final float[] want = data.clone();
            FftReference.lines(want, n, n, 1, lines, n * lines, 1, false, 1f);
            try (FftLinesKernel k = new FftLinesKernel(cl, n, false); DeviceBuffer b = cl.buffer("d", 4L * data.length)) {
                b.upload(cl.queue(), data);
                k.run(cl.queue(), b, n, 1, lines, n * lines, 1, false, 1f);
                final float[] got = new float[data.length];
                b.download(cl.queue(), got);
                final double err = relativeRms(got, want);
                final double tol = 4 * 2e-7 * Integer.numberOfTrailingZeros(n);
                assertTrue(err < tol, "n=" + n + " relative rms error " + err + " > " + tol);
            }
        }
    }

    @Test
    void shouldInvertTheForward2dTransformOfABatchOfNonSquareArrays() {
        final int h = 32;
        final int w = 64;
        final int batches = 3;
        final float[] data = random(2 * h * w * batches, 7);
        final float[] want = data.clone();
        FftReference.fft2d(want, h, w, batches, false);
        try (Fft2d f = new Fft2d(cl, h, w); DeviceBuffer b = cl.buffer("d", 4L * data.length)) {
            b.upload(cl.queue(), data);
            f.forward(cl.queue(), b, batches);
            final float[] got = new float[data.length];
            b.download(cl.queue(), got);
            final double err = relativeRms(got, want);
            assertTrue(err < 4 * 2e-7 * 11, "forward relative rms error " + err);
            f.inverse(cl.queue(), b, batches);
            b.download(cl.queue(), got);
            final double back = relativeRms(got, data);
            assertTrue(back < 4 * 2e-7 * 11 * 2, "round trip relative rms error " + back);
        }
    }

    @Test
    void shouldMatchTheReferenceOnTwoSimulatedFramesPackedAsOneComplexArray() {
        final org.beadstream.motion.SyntheticMotionMovie m =
                org.beadstream.motion.SyntheticMotionMovie.generate(128, 128, 2, 3, 1, 10, 4);
        final float[] data = new float[2 * 128 * 128];
        for (int i = 0; i < 128 * 128; i++) {
            data[2 * i] = m.frames()[i];
            data[2 * i + 1] = m.frames()[128 * 128 + i];
        }
        final float[] want = data.clone();
        FftReference.fft2d(want, 128, 128, 1, false);
        try (Fft2d f = new Fft2d(cl, 128, 128); DeviceBuffer b = cl.buffer("d", 4L * data.length)) {
            b.upload(cl.queue(), data);
            f.forward(cl.queue(), b, 1);
            final float[] got = new float[data.length];
            b.download(cl.queue(), got);
            // int16 frames with a large mean: the DC term dominates, so the error is relative to the whole spectrum
            final double err = relativeRms(got, want);
            assertTrue(err < 4 * 2e-7 * 14, "relative rms error " + err);
        }
    }

    @Test
    void shouldInvertExactlyInTheKeptColumnsOfAWindowedInverse() {
        final int h = 64;
        final int w = 128;
        final int batches = 2;
        final float[] data = random(2 * h * w * batches, 8);
        final float[] want = data.clone();
        FftReference.fft2d(want, h, w, batches, true);
        try (Fft2d f = new Fft2d(cl, h, w); DeviceBuffer b = cl.buffer("d", 4L * data.length)) {
            b.upload(cl.queue(), data);
            final int keep = f.columnGroup();
            f.inverseWindow(cl.queue(), b, batches, keep);
            final float[] got = new float[data.length];
            b.download(cl.queue(), got);
            double e = 0;
            double s = 0;
            for (int n = 0; n < batches; n++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (x >= keep && x < w - keep) {
                            continue;
                        }
                        for (int c = 0; c < 2; c++) {
                            final int i = 2 * ((n * h + y) * w + x) + c;
                            e += (got[i] - want[i]) * (double) (got[i] - want[i]);
                            s += want[i] * (double) want[i];
                        }
                    }
                }
            }
            assertTrue(Math.sqrt(e / s) < 4 * 2e-7 * 13, "kept columns relative rms error " + Math.sqrt(e / s));
            assertThrows(IllegalArgumentException.class, () -> f.inverseWindow(cl.queue(), b, 1, keep + 1));
        }
    }

    @Test
    void shouldRefuseLengthsThatAreNotPowersOfTwo() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FftLinesKernel(cl, 600, false));
        assertTrue(e.getMessage().contains("600"), e.getMessage());
    }
}
