package org.beadstream.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

import org.beadstream.gpu.runtime.OpenClRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on simulated movies with known motion at a realistic photon count (neurons peak near 10 photons per pixel
 * per frame), and behaviour on bad input. One runtime and one corrector of each kind for the class.
 */
class PhaseCorrelationCorrectorTest {

    private static final int N = 256;
    private static final int FRAMES = 24;

    private static OpenClRuntime cl;
    private static PhaseCorrelationCorrector rigid;
    private static PhaseCorrelationCorrector piecewise;
    private static SyntheticMotionMovie rigidMovie;
    private static SyntheticMotionMovie warpedMovie;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
        rigid = new PhaseCorrelationCorrector(cl, MotionSettings.defaults(N, N).withNonRigid(false).withMaxBatch(8));
        piecewise = new PhaseCorrelationCorrector(cl, MotionSettings.defaults(N, N).withMaxBatch(8).withPlanes(2));
        rigidMovie = SyntheticMotionMovie.generate(N, N, FRAMES, 7, 0, 10, 1);
        warpedMovie = SyntheticMotionMovie.generate(N, N, FRAMES, 7, 1.5, 10, 2);
    }

    @AfterAll
    static void close() {
        rigid.close();
        piecewise.close();
        cl.close();
    }

    @Test
    void shouldRecoverRigidShiftsWithinATenthOfAPixelRms() {
        rigid.setTemplate(0, rigidMovie.template());
        final MotionResult r = rigid.newResult(FRAMES);
        final float[] out = new float[FRAMES * N * N];
        rigid.correct(0, rigidMovie.frames(), FRAMES, out, r);
        double e2 = 0;
        for (int i = 0; i < FRAMES; i++) {
            e2 += sq(r.dy(i) - rigidMovie.rigidDy(i)) + sq(r.dx(i) - rigidMovie.rigidDx(i));
            assertEquals(0, r.flags(i) & ~MotionFlags.LOW_CONFIDENCE, "frame " + i + ": "
                    + MotionFlags.describe(r.flags(i)));
            assertTrue(r.peak(i) > 0.1f, "clear phase-correlation peak, was " + r.peak(i));
        }
        final double rms = Math.sqrt(e2 / (2 * FRAMES));
        assertTrue(rms < 0.1, "rigid RMS error per axis " + rms + " px");
    }

    @Test
    void shouldRecoverBlockShiftsWithinAQuarterPixelRmsAndRaiseTheCorrelationWithTheTemplate() {
        piecewise.setTemplate(1, warpedMovie.template());
        final MotionResult r = piecewise.newResult(FRAMES);
        final float[] out = new float[FRAMES * N * N];
        piecewise.correct(1, warpedMovie.frames(), FRAMES, out, r);
        final BlockGrid g = piecewise.grid();
        assertEquals(9, g.count());
        final int bs = g.blockSize();
        double e2 = 0;
        for (int i = 0; i < FRAMES; i++) {
            for (int b = 0; b < g.count(); b++) {
                final int y0 = g.yStart(b / g.cols());
                final int x0 = g.xStart(b % g.cols());
                // truth: the mean displacement over the block (what a block estimate measures)
                e2 += sq(r.blockDy(i, b) - warpedMovie.meanDy(i, y0, x0, bs, bs))
                        + sq(r.blockDx(i, b) - warpedMovie.meanDx(i, y0, x0, bs, bs));
            }
        }
        final double rms = Math.sqrt(e2 / (2.0 * FRAMES * g.count()));
        assertTrue(rms < 0.25, "block RMS error per axis " + rms + " px");
        // the corrected frames match the template better than the raw ones
        final float[] rawCorr = new float[FRAMES];
        org.beadstream.gpu.kernels.FrameCorrelationReference.run(warpedMovie.framesAsFloat(), warpedMovie.template(),
                N, N, piecewise.settings().maxShift(), rawCorr, FRAMES);
        double gain = 0;
        for (int i = 0; i < FRAMES; i++) {
            gain += r.correlation(i) - rawCorr[i];
        }
        assertTrue(gain / FRAMES > 0.1, "mean correlation gain " + gain / FRAMES);
    }

    @Test
    void shouldGiveTheSameResultForInt16AndFloatArraysBuffersAndADeviceTarget() {
        rigid.setTemplate(0, rigidMovie.template());
        final int n = 5;
        final int px = N * N;
        final MotionResult a = rigid.newResult(n);
        final MotionResult b = rigid.newResult(n);
        final MotionResult c = rigid.newResult(n);
        final float[] outA = new float[n * px];
        final float[] outB = new float[n * px];
        rigid.correct(0, Arrays.copyOf(rigidMovie.frames(), n * px), n, outA, a);
        rigid.correct(0, Arrays.copyOf(rigidMovie.framesAsFloat(), n * px), n, outB, b);
        final ShortBuffer in = ByteBuffer.allocateDirect(2 * (n + 1) * px).order(ByteOrder.nativeOrder())
                .asShortBuffer();
        in.position(px);
        in.put(rigidMovie.frames(), 0, n * px);
        in.position(px);
        final FloatBuffer outC = ByteBuffer.allocateDirect(4 * n * px).order(ByteOrder.nativeOrder()).asFloatBuffer();
        rigid.correct(0, in, n, outC, c);
        assertEquals(px, in.position(), "the input position is not moved");
        final MotionResult d = rigid.newResult(n);
        final FloatBuffer inD = FloatBuffer.wrap(rigidMovie.framesAsFloat(), 0, n * px);
        final FloatBuffer outD = FloatBuffer.allocate(n * px);
        rigid.correct(0, inD, n, outD, d);
        final MotionResult e = rigid.newResult(n);
        final float[] outE = new float[n * px];
        try (org.beadstream.gpu.runtime.DeviceBuffer target = cl.buffer("trace input", 4L * (n + 1) * px)) {
            rigid.correctToDevice(0, in, n, target, 4L * px, e);
            target.download(cl.queue(), 4L * px, outE, 0, n * px);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(a.dy(i), b.dy(i), 0f);
            assertEquals(a.dx(i), c.dx(i), 0f);
            assertEquals(a.correlation(i), c.correlation(i), 0f);
            assertEquals(a.dy(i), d.dy(i), 0f);
            assertEquals(a.dx(i), e.dx(i), 0f);
        }
        for (int p = 0; p < n * px; p += 997) {
            assertEquals(outA[p], outB[p], 0f);
            assertEquals(outA[p], outC.get(p), 0f);
            assertEquals(outA[p], outD.get(p), 0f);
            assertEquals(outA[p], outE[p], 0f);
        }
    }

    @Test
    void shouldFlagNaNAndConstantFramesAndPassThemThroughWithoutHarmingTheirNeighbours() {
        piecewise.setTemplate(0, warpedMovie.template());
        final int n = 4;
        final int px = N * N;
        final float[] frames = Arrays.copyOf(warpedMovie.framesAsFloat(), n * px);
        frames[1 * px + 100 * N + 100] = Float.NaN;
        Arrays.fill(frames, 2 * px, 3 * px, 321f);
        final MotionResult r = piecewise.newResult(n);
        final float[] out = new float[n * px];
        piecewise.correct(0, frames, n, out, r);
        assertEquals(MotionFlags.NON_FINITE_INPUT, r.flags(1) & MotionFlags.NON_FINITE_INPUT);
        assertEquals(MotionFlags.CONSTANT_FRAME, r.flags(2) & MotionFlags.CONSTANT_FRAME);
        assertTrue(MotionFlags.passedThrough(r.flags(1)) && MotionFlags.passedThrough(r.flags(2)));
        assertEquals(0f, r.dy(1), 0f);
        assertEquals(0f, r.blockDx(2, 4), 0f);
        assertEquals(321f, out[2 * px + 5000], 0f, "a constant frame passes through unchanged");
        assertEquals(frames[px + 7], out[px + 7], 0f, "a NaN frame passes through unshifted");
        for (int i : new int[] {0, 3}) {
            assertFalse(MotionFlags.passedThrough(r.flags(i)));
            assertEquals(warpedMovie.rigidDy(i), r.dy(i), 1.0, "neighbour frame " + i + " still registered");
        }
    }

    @Test
    void shouldPassFramesThroughFlaggedWhenThePlaneHasNoTemplate() {
        try (PhaseCorrelationCorrector fresh = new PhaseCorrelationCorrector(cl,
                MotionSettings.defaults(64, 64).withNonRigid(false).withMaxBatch(2))) {
            final float[] frames = new float[3 * 64 * 64];
            Arrays.fill(frames, 5f);
            frames[7] = 9f;
            final float[] out = new float[frames.length];
            final MotionResult r = fresh.newResult(3);
            fresh.correct(0, frames, 3, out, r);
            assertEquals(MotionFlags.NO_TEMPLATE, r.flags(2));
            assertEquals(9f, out[7], 0f);
            assertFalse(fresh.hasTemplate(0));
        }
    }

    @Test
    void shouldRefuseFramesSmallerThanABlockAndBadSizesWithClearMessages() {
        final IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> MotionSettings.defaults(100, 300).withBlockSize(128));
        assertTrue(small.getMessage().contains("smaller than the 128-pixel block"), small.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(8, 8));
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(64, 64).withMaxShift(40));
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(64, 64).withBlockSize(48));
        final MotionResult r = rigid.newResult(2);
        final IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
                () -> rigid.correct(0, new float[N * N], 2, new float[2 * N * N], r));
        assertTrue(shortInput.getMessage().contains("input pixels"), shortInput.getMessage());
        assertThrows(IllegalArgumentException.class, () -> rigid.correct(3, new float[N * N], 1, new float[N * N], r));
        assertThrows(IllegalArgumentException.class, () -> rigid.correct(0, new float[N * N], 1, new float[N * N],
                piecewise.newResult(1)));
        assertThrows(IllegalArgumentException.class, () -> rigid.setTemplate(0, new float[10]));
        final float[] bad = rigidMovie.template();
        bad[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> rigid.setTemplate(0, bad));
    }

    @Test
    void shouldFailWithAClearErrorOnceTheDeviceIsGone() {
        final OpenClRuntime other = OpenClRuntime.create(cl.device());
        final PhaseCorrelationCorrector c = new PhaseCorrelationCorrector(other,
                MotionSettings.defaults(64, 64).withNonRigid(false).withMaxBatch(2));
        other.close();
        final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> c.correct(0, new float[64 * 64], 1, new float[64 * 64], c.newResult(1)));
        assertTrue(e.getMessage().contains(cl.deviceName()) && e.getMessage().contains("closed"), e.getMessage());
        c.close();
    }

    @Test
    void shouldBuildATemplateFromShiftedFramesThatRegistersThemConsistently() {
        final SyntheticMotionMovie m = SyntheticMotionMovie.generate(N, N, FRAMES, 4, 0, 10, 8);
        try (PhaseCorrelationCorrector c = new PhaseCorrelationCorrector(cl,
                MotionSettings.defaults(N, N).withNonRigid(false).withMaxBatch(8))) {
            final float[] t = new TemplateBuilder(10, 4, 0.8).build(c, 0, m.frames(), FRAMES);
            assertEquals(N * N, t.length);
            assertTrue(c.hasTemplate(0));
            final MotionResult r = c.newResult(FRAMES);
            c.correct(0, m.frames(), FRAMES, new float[FRAMES * N * N], r);
            // the built template sits at some offset of its own: compare shifts after removing the mean offset
            double oy = 0;
            double ox = 0;
            for (int i = 0; i < FRAMES; i++) {
                oy += (r.dy(i) - m.rigidDy(i)) / FRAMES;
                ox += (r.dx(i) - m.rigidDx(i)) / FRAMES;
            }
            double e2 = 0;
            for (int i = 0; i < FRAMES; i++) {
                e2 += sq(r.dy(i) - m.rigidDy(i) - oy) + sq(r.dx(i) - m.rigidDx(i) - ox);
            }
            final double rms = Math.sqrt(e2 / (2 * FRAMES));
            assertTrue(rms < 0.1, "RMS error against a built template " + rms + " px");
        }
        assertThrows(IllegalArgumentException.class, () -> new TemplateBuilder(0, 1, 0.5));
    }

    @Test
    void shouldLayOutBlocksAsSuite2p() {
        final BlockGrid g = BlockGrid.of(MotionSettings.defaults(512, 512));
        assertEquals(6, g.rows());
        assertEquals(6, g.cols());
        final int[] want = {0, 76, 153, 230, 307, 384};
        for (int i = 0; i < 6; i++) {
            assertEquals(want[i], g.yStart(i));
        }
        final float[] gy = g.gridY();
        assertEquals(0f, gy[0], 0f);
        assertEquals(5f, gy[511], 0f);
        // second block centre at 76 + 63.5: pixel 139 lies 75.5 / 76 of the way from the first centre (63.5)
        assertEquals(75.5f / 76f, gy[139], 1e-6f);
    }

    private static double sq(final double v) {
        return v * v;
    }
}
