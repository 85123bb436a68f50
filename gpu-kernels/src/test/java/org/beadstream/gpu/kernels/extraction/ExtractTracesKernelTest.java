package org.beadstream.gpu.kernels.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * extract_traces against {@link ExtractTracesReference} on random packed footprints. Tolerance: |diff| at most
 * 1e-5 x (sum of |terms|) per ROI: float32 sums of up to a few hundred terms in a different order (lanes > 1).
 */
class ExtractTracesKernelTest {

    private static OpenClRuntime cl;

    @BeforeAll
    static void open() {
        cl = OpenClRuntime.create((String) null);
    }

    @AfterAll
    static void close() {
        cl.close();
    }

    /** Random layout: n ROIs over planes of w x h, 20..150 cell entries, 0..40 runs of 1..30 pixels. */
    static final class Layout {
        final int w = 97;
        final int h = 61;
        final int planes = 3;
        final int n;
        final int[] roiPlane;
        final int[] cellOffsets;
        final int[] cellPacked;
        final float[] cellScale;
        final int[] npOffsets;
        final int[] npRuns;
        final float[] npInvCount;
        final float[] volume;

        Layout(final int n, final long seed) {
            this.n = n;
            final Random rnd = new Random(seed);
            roiPlane = new int[n];
            cellOffsets = new int[n + 1];
            npOffsets = new int[n + 1];
            cellScale = new float[n];
            npInvCount = new float[n];
            final int[] cells = new int[n * 150];
            final int[] runs = new int[n * 40];
            int c = 0;
            int rr = 0;
            for (int r = 0; r < n; r++) {
                roiPlane[r] = rnd.nextInt(planes);
                final int k = 20 + rnd.nextInt(131);
                for (int i = 0; i < k; i++) {
                    cells[c++] = rnd.nextInt(w * h) << 12 | (1 + rnd.nextInt(4095));
                }
                cellOffsets[r + 1] = c;
                cellScale[r] = 1f / (4095f * k);
                final int m = rnd.nextInt(41);
                int count = 0;
                for (int i = 0; i < m; i++) {
                    final int len = 1 + rnd.nextInt(30);
                    final int y = rnd.nextInt(h);
                    final int x = rnd.nextInt(w - len + 1);
                    runs[rr++] = (y * w + x) << 12 | len;
                    count += len;
                }
                npOffsets[r + 1] = rr;
                npInvCount[r] = count == 0 ? 0f : 1f / count;
            }
            cellPacked = java.util.Arrays.copyOf(cells, c);
            npRuns = java.util.Arrays.copyOf(runs, rr);
            volume = new float[planes * w * h];
            for (int i = 0; i < volume.length; i++) {
                volume[i] = 100f + 50f * (float) rnd.nextGaussian();
            }
        }
    }

    private static void compare(final int n, final int lanes, final long seed) {
        final Layout l = new Layout(n, seed);
        final float[] fRef = new float[n];
        final float[] nRef = new float[n];
        ExtractTracesReference.apply(l.volume, l.w * l.h, n, l.roiPlane, l.cellOffsets, l.cellPacked, l.cellScale,
                l.npOffsets, l.npRuns, l.npInvCount, fRef, nRef);
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        try (ExtractTracesKernel k = new ExtractTracesKernel(cl, lanes);
             DeviceBuffer vol = cl.buffer("vol", 4L * l.volume.length);
             DeviceBuffer plane = cl.buffer("plane", 4L * n);
             DeviceBuffer co = cl.buffer("co", 4L * (n + 1));
             DeviceBuffer cp = cl.buffer("cp", 4L * l.cellPacked.length);
             DeviceBuffer cs = cl.buffer("cs", 4L * n);
             DeviceBuffer no = cl.buffer("no", 4L * (n + 1));
             DeviceBuffer nr = cl.buffer("nr", 4L * Math.max(1, l.npRuns.length));
             DeviceBuffer ni = cl.buffer("ni", 4L * n);
             DeviceBuffer fb = cl.buffer("f", 4L * n);
             DeviceBuffer nb = cl.buffer("fneu", 4L * n)) {
            vol.upload(cl.queue(), l.volume);
            plane.upload(cl.queue(), l.roiPlane);
            co.upload(cl.queue(), l.cellOffsets);
            cp.upload(cl.queue(), l.cellPacked);
            cs.upload(cl.queue(), l.cellScale);
            no.upload(cl.queue(), l.npOffsets);
            if (l.npRuns.length > 0) {
                nr.upload(cl.queue(), l.npRuns);
            }
            ni.upload(cl.queue(), l.npInvCount);
            k.run(cl.queue(), vol, l.w * l.h, n, plane, co, cp, cs, no, nr, ni, fb, nb);
            fb.download(cl.queue(), f);
            nb.download(cl.queue(), fneu);
        }
        for (int r = 0; r < n; r++) {
            // terms are positive-ish (volume ~100 +- 50); bound by the magnitude of the sum of |terms|
            assertEquals(fRef[r], f[r], 1e-5 * (Math.abs(fRef[r]) + 200), "F of ROI " + r + " lanes " + lanes);
            assertEquals(nRef[r], fneu[r], 1e-5 * (Math.abs(nRef[r]) + 200), "Fneu of ROI " + r + " lanes " + lanes);
        }
    }

    @Test
    void shouldMatchTheReferenceWithOneLanePerRoi() {
        compare(1000, 1, 1);
    }

    @Test
    void shouldMatchTheReferenceWithThirtyTwoLanesPerRoi() {
        compare(777, 32, 2);
    }

    @Test
    void shouldMatchTheReferenceForAPartialLastWorkGroup() {
        compare(3, 4, 3);
    }

    private static void compareWithRowPrefix(final int n, final int lanes, final long seed) {
        final Layout l = new Layout(n, seed);
        final int rows = l.planes * l.h;
        final float[] prefixRef = new float[rows * (l.w + 1)];
        ExtractRowPrefixReference.apply(l.volume, l.w, rows, prefixRef);
        final float[] fRef = new float[n];
        final float[] nRef = new float[n];
        ExtractTracesReference.applyWithRowPrefix(l.volume, prefixRef, l.w, l.w * l.h, n, l.roiPlane,
                l.cellOffsets, l.cellPacked, l.cellScale, l.npOffsets, l.npRuns, l.npInvCount, fRef, nRef);
        final float[] fDirect = new float[n];
        final float[] nDirect = new float[n];
        ExtractTracesReference.apply(l.volume, l.w * l.h, n, l.roiPlane, l.cellOffsets, l.cellPacked, l.cellScale,
                l.npOffsets, l.npRuns, l.npInvCount, fDirect, nDirect);
        final float[] prefix = new float[prefixRef.length];
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        try (ExtractRowPrefixKernel pk = new ExtractRowPrefixKernel(cl);
             ExtractTracesKernel k = new ExtractTracesKernel(cl, lanes, true);
             DeviceBuffer vol = cl.buffer("vol", 4L * l.volume.length);
             DeviceBuffer pre = cl.buffer("prefix", 4L * prefix.length);
             DeviceBuffer plane = cl.buffer("plane", 4L * n);
             DeviceBuffer co = cl.buffer("co", 4L * (n + 1));
             DeviceBuffer cp = cl.buffer("cp", 4L * l.cellPacked.length);
             DeviceBuffer cs = cl.buffer("cs", 4L * n);
             DeviceBuffer no = cl.buffer("no", 4L * (n + 1));
             DeviceBuffer nr = cl.buffer("nr", 4L * Math.max(1, l.npRuns.length));
             DeviceBuffer ni = cl.buffer("ni", 4L * n);
             DeviceBuffer fb = cl.buffer("f", 4L * n);
             DeviceBuffer nb = cl.buffer("fneu", 4L * n)) {
            vol.upload(cl.queue(), l.volume);
            plane.upload(cl.queue(), l.roiPlane);
            co.upload(cl.queue(), l.cellOffsets);
            cp.upload(cl.queue(), l.cellPacked);
            cs.upload(cl.queue(), l.cellScale);
            no.upload(cl.queue(), l.npOffsets);
            if (l.npRuns.length > 0) {
                nr.upload(cl.queue(), l.npRuns);
            }
            ni.upload(cl.queue(), l.npInvCount);
            pk.run(cl.queue(), vol, l.w, rows, pre);
            k.run(cl.queue(), vol, l.w * l.h, n, plane, co, cp, cs, no, nr, ni, fb, nb, pre, l.w);
            pre.download(cl.queue(), prefix);
            fb.download(cl.queue(), f);
            nb.download(cl.queue(), fneu);
        }
        for (int i = 0; i < prefix.length; i++) {
            // Kahan-compensated float sums of at most 97 values of about 100: identical up to rounding of the last bit
            assertEquals(prefixRef[i], prefix[i], 1e-6 * Math.abs(prefixRef[i]) + 1e-6, "prefix " + i);
        }
        for (int r = 0; r < n; r++) {
            assertEquals(fRef[r], f[r], 1e-5 * (Math.abs(fRef[r]) + 200), "F of ROI " + r);
            assertEquals(nRef[r], fneu[r], 1e-5 * (Math.abs(nRef[r]) + 200), "Fneu of ROI " + r);
            // prefix differences vs pixel-by-pixel sums: rounding of row sums up to ~1e4 per run, at most 40 runs
            assertEquals(nDirect[r], fneu[r], 1e-4 * (Math.abs(nDirect[r]) + 200), "Fneu vs direct, ROI " + r);
        }
    }

    @Test
    void shouldMatchTheReferenceWithRowPrefixNeuropilOnOneLane() {
        compareWithRowPrefix(500, 1, 4);
    }

    @Test
    void shouldMatchTheReferenceWithRowPrefixNeuropilOnThirtyTwoLanes() {
        compareWithRowPrefix(300, 32, 5);
    }

    @Test
    void shouldRejectLaneCountsThatAreNotPowersOfTwo() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ExtractTracesKernel(cl, 3));
        assertEquals("lanes per ROI must be a power of two in [1, 256], was 3", e.getMessage());
    }
}
