package org.beadstream.gpu.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.SyntheticMotionMovie;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every motion kernel against its plain-Java reference on random and simulated inputs. Tolerances are stated per
 * test in units of float32 rounding of the quantities involved.
 */
class MotionKernelsTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    private static float maxAbsDiff(final float[] a, final float[] b, final int n) {
        float m = 0;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static float maxAbs(final float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void shouldPackTaperedBlocksLikeTheReferenceForInt16AndFloatFramesWithShiftsAndNaNs() {
        final int h = 80;
        final int w = 96;
        final int bs = 32;
        final int frames = 3;
        final int[] origins = {0, 0, 10, 40, 48, 64};
        final int blocks = 3;
        final int maps = frames * blocks; // odd: the last pair is padded
        final Random r = new Random(3);
        final short[] raw = new short[frames * h * w];
        final float[] asFloat = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (short) (100 + r.nextInt(3000));
            asFloat[i] = raw[i];
        }
        asFloat[1 * h * w + 12 * w + 60] = Float.NaN; // inside block 1 of frame 1 (origin (10, 40) moved by (-7, 9))
        final float[] shifts = {2.4f, -3.6f, 0, 0, -7f, 9.2f, 0, 0, 0.49f, -0.51f, 0, 0};
        final float[] taper = new float[2 * bs];
        System.arraycopy(TaperPackReference.taper(bs, 3.45), 0, taper, 0, bs);
        System.arraycopy(TaperPackReference.taper(bs, 3.45), 0, taper, bs, bs);
        final int pairs = (maps + 1) / 2;
        for (boolean int16 : new boolean[] {true, false}) {
            final float[] wantOut = new float[2 * bs * bs * pairs];
            final float[] wantStats = new float[4 * maps];
            final float[] input = int16 ? toFloat(raw) : asFloat;
            TaperPackReference.run(input, h, w, bs, bs, blocks, maps, origins, shifts, true, taper, wantOut, wantStats);
            try (TaperPackKernel k = new TaperPackKernel(cl, bs, bs, int16);
                    DeviceBuffer in = cl.buffer("in", 4L * raw.length);
                    DeviceBuffer org = cl.buffer("origins", 4L * origins.length);
                    DeviceBuffer sh = cl.buffer("shifts", 4L * shifts.length);
                    DeviceBuffer tp = cl.buffer("taper", 4L * taper.length);
                    DeviceBuffer out = cl.buffer("out", 4L * wantOut.length);
                    DeviceBuffer st = cl.buffer("stats", 4L * wantStats.length)) {
                if (int16) {
                    in.upload(cl.queue(), raw, 0, raw.length, 0);
                } else {
                    in.upload(cl.queue(), asFloat);
                }
                org.upload(cl.queue(), origins);
                sh.upload(cl.queue(), shifts);
                tp.upload(cl.queue(), taper);
                k.run(cl.queue(), in, h, w, blocks, maps, org, sh, true, tp, out, st);
                final float[] got = new float[wantOut.length];
                final float[] gotStats = new float[wantStats.length];
                out.download(cl.queue(), got);
                st.download(cl.queue(), gotStats);
                // values up to ~3000: float32 sums of 1024 terms round to about 3000 * 1024 * 6e-8 = 2e-4 in the mean
                assertTrue(maxAbsDiff(got, wantOut, got.length) < 1e-3f, "packed blocks differ by "
                        + maxAbsDiff(got, wantOut, got.length));
                for (int m = 0; m < maps; m++) {
                    assertEquals(wantStats[4 * m], gotStats[4 * m], 1e-3f, "mean of block " + m);
                    assertEquals(wantStats[4 * m + 1], gotStats[4 * m + 1], 1e-3f, "std of block " + m);
                    assertEquals(wantStats[4 * m + 2], gotStats[4 * m + 2], 0f, "non-finite count of block " + m);
                }
                assertEquals(int16 ? 0f : 1f, gotStats[4 * 4 + 2], 0f, "the NaN is counted in block 1 of frame 1");
            }
        }
    }

    private static float[] toFloat(final short[] s) {
        final float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = s[i];
        }
        return f;
    }

    @Test
    void shouldMultiplyPairPackedSpectraLikeTheReferenceWithAndWithoutWhitening() {
        final int h = 32;
        final int w = 64;
        final int pairs = 3;
        final int templates = 5;
        final float[] z = FftLinesKernelTest.random(2 * h * w * pairs, 11);
        for (boolean whiten : new boolean[] {true, false}) {
            // template spectra are spectra of real images (Hermitian), as the kernel requires
            final float[] ref = new float[2 * h * w * templates];
            for (int t = 0; t < templates; t++) {
                final float[] img = FftLinesKernelTest.random(h * w, 12 + t);
                System.arraycopy(CrossPowerReference.prepareTemplate(img, h, w, whiten, 1.15, CrossPowerKernel.EPS), 0,
                        ref, 2 * h * w * t, 2 * h * w);
            }
            final float[] want = new float[z.length];
            CrossPowerReference.run(z, ref, templates, want, h, w, pairs, whiten, CrossPowerKernel.EPS);
            try (CrossPowerKernel k = new CrossPowerKernel(cl, h, w, templates, whiten);
                    DeviceBuffer zb = cl.buffer("z", 4L * z.length);
                    DeviceBuffer rb = cl.buffer("ref", 4L * ref.length);
                    DeviceBuffer ob = cl.buffer("out", 4L * z.length)) {
                zb.upload(cl.queue(), z);
                rb.upload(cl.queue(), ref);
                k.run(cl.queue(), zb, rb, ob, pairs);
                final float[] got = new float[z.length];
                ob.download(cl.queue(), got);
                // a handful of float32 operations on O(1..10) values: 1e-5 relative to the largest output
                final float tol = 1e-5f * maxAbs(want);
                assertTrue(maxAbsDiff(got, want, got.length) <= tol, "whiten=" + whiten + ": differs by "
                        + maxAbsDiff(got, want, got.length) + " > " + tol);
            }
        }
    }

    @Test
    void shouldFindTheSamePeakAsTheReferenceOnRandomAndGaussianMaps() {
        final int h = 64;
        final int w = 64;
        final int maps = 5;
        final int maxShift = 9;
        final float[] corr = FftLinesKernelTest.random(2 * h * w * 3, 21);
        // map 2 (pair 1, real part): a sampled Gaussian peak at (-3.3, 4.2)
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                final double dy = ((y + h / 2) % h - h / 2) + 3.3;
                final double dx = ((x + w / 2) % w - w / 2) - 4.2;
                corr[2 * (h * w + y * w + x)] = (float) (10 * Math.exp(-(dy * dy + dx * dx) / (2 * 1.6 * 1.6)));
            }
        }
        final float[] want = new float[4 * maps];
        CorrelationPeakReference.run(corr, h, w, maxShift, 0.5f, want, maps);
        try (CorrelationPeakKernel k = new CorrelationPeakKernel(cl, h, w, maxShift);
                DeviceBuffer cb = cl.buffer("corr", 4L * corr.length);
                DeviceBuffer ob = cl.buffer("out", 16L * maps)) {
            cb.upload(cl.queue(), corr);
            k.run(cl.queue(), cb, 0.5f, ob, maps);
            final float[] got = new float[4 * maps];
            ob.download(cl.queue(), got);
            for (int m = 0; m < maps; m++) {
                // same integer peak; the subpixel fit uses float32 logs: agree to 1e-4 px
                assertEquals(want[4 * m], got[4 * m], 1e-4f, "dy of map " + m);
                assertEquals(want[4 * m + 1], got[4 * m + 1], 1e-4f, "dx of map " + m);
                assertEquals(want[4 * m + 2], got[4 * m + 2], 1e-6f * Math.abs(want[4 * m + 2]), "peak of map " + m);
                assertEquals(want[4 * m + 3], got[4 * m + 3], 0f, "flags of map " + m);
            }
        }
        // and the Gaussian fit is exact for a sampled Gaussian
        assertEquals(-3.3f, want[8], 1e-4f);
        assertEquals(4.2f, want[9], 1e-4f);
        // the reported peak is the highest sample (times norm 0.5)
        assertEquals((float) (5 * Math.exp(-(0.3 * 0.3 + 0.2 * 0.2) / (2 * 1.6 * 1.6))), want[10], 1e-5f);
    }

    @Test
    void shouldWarpLikeTheReferenceWithAShiftFieldOnSimulatedFrames() {
        final SyntheticMotionMovie movie = SyntheticMotionMovie.generate(48, 64, 2, 3, 1, 10, 5);
        final int h = 48;
        final int w = 64;
        final int gy = 2;
        final int gx = 3;
        final float[] grid = {1.5f, -2.25f, 0.3f, 0.7f, -4f, 2f, 0f, 0f, 3.9f, 3.1f, -0.2f, 60f,
            0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -2.5f, 1.5f};
        final float[] gridY = new float[h];
        final float[] gridX = new float[w];
        for (int y = 0; y < h; y++) {
            gridY[y] = Math.max(0f, Math.min(1f, (y - 10f) / 28f));
        }
        for (int x = 0; x < w; x++) {
            gridX[x] = Math.max(0f, Math.min(2f, (x - 8f) / 24f));
        }
        final float[] in = movie.framesAsFloat();
        final float[] want = new float[in.length];
        ShiftWarpReference.run(in, h, w, grid, gy, gx, gridY, gridX, want, 2);
        for (boolean int16 : new boolean[] {true, false}) {
            try (ShiftWarpKernel k = new ShiftWarpKernel(cl, int16);
                    DeviceBuffer ib = cl.buffer("in", 4L * in.length);
                    DeviceBuffer gb = cl.buffer("grid", 4L * grid.length);
                    DeviceBuffer yb = cl.buffer("gy", 4L * h);
                    DeviceBuffer xb = cl.buffer("gx", 4L * w);
                    DeviceBuffer ob = cl.buffer("out", 4L * in.length)) {
                if (int16) {
                    ib.upload(cl.queue(), movie.frames(), 0, in.length, 0);
                } else {
                    ib.upload(cl.queue(), in);
                }
                gb.upload(cl.queue(), grid);
                yb.upload(cl.queue(), gridY);
                xb.upload(cl.queue(), gridX);
                k.run(cl.queue(), ib, h, w, gb, gy, gx, yb, xb, ob, 2);
                final float[] got = new float[in.length];
                ob.download(cl.queue(), got);
                // interpolation weights rounded in float32 (possibly fused): 1e-5 of the pixel range
                final float tol = 1e-5f * maxAbs(in);
                assertTrue(maxAbsDiff(got, want, got.length) <= tol, "int16=" + int16 + " differs by "
                        + maxAbsDiff(got, want, got.length) + " > " + tol);
            }
        }
    }

    @Test
    void shouldMeasureTheSameFrameCorrelationAsTheReference() {
        final SyntheticMotionMovie movie = SyntheticMotionMovie.generate(64, 64, 4, 2, 0, 10, 9);
        final float[] frames = movie.framesAsFloat();
        final float[] tmpl = movie.template();
        final float[] want = new float[4];
        FrameCorrelationReference.run(frames, tmpl, 64, 64, 4, want, 4);
        try (FrameCorrelationKernel k = new FrameCorrelationKernel(cl);
                DeviceBuffer fb = cl.buffer("frames", 4L * frames.length);
                DeviceBuffer tb = cl.buffer("template", 4L * tmpl.length);
                DeviceBuffer ob = cl.buffer("out", 16)) {
            fb.upload(cl.queue(), frames);
            tb.upload(cl.queue(), tmpl);
            float mean = 0;
            for (float v : tmpl) {
                mean += v / tmpl.length;
            }
            k.run(cl.queue(), fb, tb, 64, 64, 4, mean, ob, 4);
            final float[] got = new float[4];
            ob.download(cl.queue(), got);
            for (int i = 0; i < 4; i++) {
                // float32 sums of 3136 centred terms: 1e-4 absolute on r
                assertEquals(want[i], got[i], 1e-4f, "frame " + i);
                assertTrue(want[i] > 0.2f && want[i] < 1f, "a noisy moved frame correlates partially: " + want[i]);
            }
        }
    }
}
