package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ground truth says what the pages show. */
class GroundTruthConsistencyTest {

    private static LbmSimulation noiseFree;
    private static LbmSimulation still;

    @BeforeAll
    static void build() {
        noiseFree = new LbmSimulation(SimulationParameters.builder("small").seed(11).noise(false).build());
        // no noise, no motion and a constant neuropil level: a footprint's pixels change only with the somata
        still = new LbmSimulation(SimulationParameters.builder("small").seed(12).noise(false).noMotion()
                .neuropil(0.0, 20).build());
    }

    @Test
    void shouldCentreEachInFocusFootprintOnItsNeuron() {
        final NeuronTable nt = noiseFree.neurons();
        final int planes = noiseFree.parameters().planes();
        int checked = 0;
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = noiseFree.footprints(c);
            final double[] off = noiseFree.planeOffsetPx(c);
            for (int k = 0; k < f.count(); k++) {
                final int i = f.neuron(k);
                final double x = nt.xPx(i) - off[0];
                final double y = nt.yPx(i) - off[1];
                final boolean inside = x > 12 && y > 12 && x < f.width() - 12 && y < f.height() - 12;
                if (!inside || Math.abs(nt.zUm(i) - noiseFree.planeDepthUm(c)) > 1.0) {
                    continue;
                }
                // The footprint sits on the pixel holding the centre (<= 0.5 px per axis); a slice within 1 um of
                // the centre of a tilted ellipsoid moves by well under 0.25 px: 0.71 + 0.25 < 1.
                final double[] cen = f.centroid(k);
                assertEquals(0, Math.hypot(cen[0] - x, cen[1] - y), 1.0, "neuron " + i + " on plane " + c);
                checked++;
            }
        }
        assertTrue(checked >= 5, "only " + checked + " in-focus neurons checked");
    }

    @Test
    void shouldKnowTheWholeFootprintOfASomaThePlaneEdgeCuts() {
        final NeuronTable nt = noiseFree.neurons();
        int whole = 0;
        int cut = 0;
        for (int c = 0; c < noiseFree.parameters().planes(); c++) {
            final PlaneFootprints f = noiseFree.footprints(c);
            final double[] off = noiseFree.planeOffsetPx(c);
            for (int k = 0; k < f.count(); k++) {
                final int i = f.neuron(k);
                final double x = nt.xPx(i) - off[0];
                final double y = nt.yPx(i) - off[1];
                final int held = f.end(k) - f.start(k);
                if (x > 12 && y > 12 && x < f.width() - 12 && y < f.height() - 12) {
                    assertEquals(held, f.unclippedSize(k), "neuron " + i + " lies wholly in plane " + c);
                    whole++;
                } else if (x < -0.5 || y < -0.5 || x > f.width() + 0.5 || y > f.height() + 0.5) {
                    // its centre is outside: the plane holds less than half of a (centrally symmetric) footprint
                    assertTrue(2 * held < f.unclippedSize(k), "neuron " + i + " on plane " + c + " at (" + x + ", "
                            + y + "): " + held + " of " + f.unclippedSize(k) + " pixels held");
                    cut++;
                }
            }
        }
        assertTrue(whole > 100 && cut >= 3, whole + " whole, " + cut + " cut by the edge");
    }

    @Test
    void shouldGiveEveryNeuronNearAPlaneAFootprintThere() {
        final NeuronTable nt = noiseFree.neurons();
        for (int c = 0; c < noiseFree.parameters().planes(); c++) {
            final PlaneFootprints f = noiseFree.footprints(c);
            final double[] off = noiseFree.planeOffsetPx(c);
            for (int i = 0; i < nt.count(); i++) {
                final double x = nt.xPx(i) - off[0];
                final double y = nt.yPx(i) - off[1];
                if (x > 0 && y > 0 && x < f.width() && y < f.height()
                        && Math.abs(nt.zUm(i) - noiseFree.planeDepthUm(c)) < 3) {
                    assertTrue(f.rowOf(i) >= 0, "neuron " + i + " 3 um from plane " + c + " has no footprint");
                }
            }
        }
    }

    @Test
    void shouldPutFootprintsOnTheChannelThatImagesTheirDepth() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").seed(13)
                .planeOrder(5, 0, 4, 1, 3, 2).build());
        final NeuronTable nt = sim.neurons();
        final double reach = 25; // soma radius (<= 9 um) + 3 PSF sigmas (15.3 um), rounded up
        int rows = 0;
        for (int c = 0; c < 6; c++) {
            assertEquals(new int[] {5, 0, 4, 1, 3, 2}[c] * 15.0, sim.planeDepthUm(c));
            final PlaneFootprints f = sim.footprints(c);
            for (int k = 0; k < f.count(); k++) {
                final int i = f.neuron(k);
                assertTrue(Math.abs(nt.zUm(i) - sim.planeDepthUm(c)) < reach, "neuron " + i + " at z = " + nt.zUm(i)
                        + " um seen by channel " + c + " at " + sim.planeDepthUm(c) + " um");
                final int depth = (int) Math.round(sim.planeDepthUm(c) / 15.0);
                assertTrue(depth >= nt.firstDepth(i) && depth <= nt.lastDepth(i), "depth range of neuron " + i);
                rows++;
            }
        }
        assertTrue(rows > 300, "every neuron is seen somewhere: " + rows + " footprint rows");
    }

    @Test
    void shouldMakeTheFootprintPixelsFollowTheTrueFluorescence() {
        final int volumes = 200;
        final ActivityTraces truth = still.activity(0, still.neurons().count(), volumes);
        int checked = 0;
        for (int plane = 0; plane < still.parameters().planes(); plane++) {
            final PlaneFootprints f = still.footprints(plane);
            final int w = f.width();
            final float[][] frames = new float[volumes][w * f.height()];
            for (int v = 0; v < volumes; v++) {
                still.renderAssembledPlane(v, plane, frames[v], RenderOptions.CLEAN);
            }
            // isolated neurons: no other footprint on the plane shares a pixel of weight > 0.05 with them
            final int[] owners = new int[w * f.height()];
            for (int k = 0; k < f.count(); k++) {
                for (int e = f.start(k); e < f.end(k); e++) {
                    if (f.weight(e) > 0.05f) {
                        owners[f.pixel(e)]++;
                    }
                }
            }
            for (int k = 0; k < f.count(); k++) {
                final int i = f.neuron(k);
                int spikes = 0;
                for (int v = 0; v < volumes; v++) {
                    spikes += truth.spikes(i, v);
                }
                float maxW = 0;
                boolean isolated = true;
                for (int e = f.start(k); e < f.end(k); e++) {
                    maxW = Math.max(maxW, f.weight(e));
                    isolated &= f.weight(e) <= 0.05f || owners[f.pixel(e)] == 1;
                }
                if (spikes < 3 || maxW < 0.5f || !isolated) {
                    continue;
                }
                final double[] mean = new double[volumes];
                final double[] trueF = new double[volumes];
                for (int v = 0; v < volumes; v++) {
                    double s = 0;
                    for (int e = f.start(k); e < f.end(k); e++) {
                        s += frames[v][f.pixel(e)];
                    }
                    mean[v] = s / (f.end(k) - f.start(k));
                    trueF[v] = truth.fluorescence(i, v);
                }
                final double r = pearson(mean, trueF);
                assertTrue(r > 0.9, "neuron " + i + " on plane " + plane + ": footprint mean follows F with r = " + r);
                checked++;
            }
        }
        assertTrue(checked >= 10, "only " + checked + " isolated active neurons checked");
    }

    @Test
    void shouldFireAtTheTrueRates() {
        final int volumes = 3000;
        final int n = still.neurons().count();
        final ActivityTraces t = still.activity(0, n, volumes);
        double expected = 0;
        long observed = 0;
        for (int i = 0; i < n; i++) {
            double e = 0;
            long o = 0;
            for (int v = 0; v < volumes; v++) {
                e += still.expectedSpikes(i, v);
                o += t.spikes(i, v);
            }
            if (still.neurons().spikeRateHz(i) == 0) {
                assertEquals(0, o, "silent neuron " + i + " fired");
            } else if (e >= 100) {
                // Poisson: 5 standard deviations
                assertEquals(e, o, 5 * Math.sqrt(e), "spikes of neuron " + i);
            }
            expected += e;
            observed += o;
        }
        // the whole population: tens of thousands of spikes, 3 % is more than 6 standard deviations
        assertEquals(expected, observed, 0.03 * expected, "total spikes");
        int silent = 0;
        for (int i = 0; i < n; i++) {
            silent += still.neurons().spikeRateHz(i) == 0 ? 1 : 0;
        }
        assertEquals(0.2, silent / (double) n, 0.08, "silent fraction (binomial, 300 cells: sd 0.023)");
    }

    @Test
    void shouldRiseAfterASpikeAndDecayWithTheCellsTimeConstants() {
        final int volumes = 600;
        final ActivityTraces t = still.activity(0, still.neurons().count(), volumes);
        final SimulationParameters p = still.parameters();
        final double dt = 1 / p.volumeRateHz();
        int checked = 0;
        for (int i = 0; i < t.neurons() && checked < 10; i++) {
            final double td = still.neurons().tauDecayS(i);
            final double tr = p.tauRiseS();
            final double tPeak = Math.log(td / tr) * td * tr / (td - tr);
            final double peakH = Math.exp(-tPeak / td) - Math.exp(-tPeak / tr);
            for (int v = 40; v < volumes - 10; v++) {
                if (t.spikes(i, v) != 1 || spikedWithin(t, i, v - 40, v - 1) || spikedWithin(t, i, v + 1, v + 5)) {
                    continue;
                }
                // an isolated single spike at the start of volume v, sampled at its end: c = h((k + 1) dt) / peak
                for (int k = 0; k <= 5; k++) {
                    final double c = (Math.exp(-(k + 1) * dt / td) - Math.exp(-(k + 1) * dt / tr)) / peakH;
                    final double cn = Math.pow(c, p.hillN());
                    final double expected = p.dffMax() * cn / (cn + Math.pow(p.hillK(), p.hillN()));
                    // calcium left from spikes 40+ volumes (>= 4 s, >= 4 decay times) earlier: under 2 % of a peak
                    assertEquals(expected, t.dff(i, v + k), 0.05 * expected + 1e-3,
                            "dF/F of neuron " + i + " " + k + " volumes after its spike at volume " + v);
                }
                assertTrue(t.dff(i, v) > t.dff(i, v + 5), "decays after the spike");
                checked++;
                break;
            }
        }
        assertTrue(checked >= 3, "only " + checked + " isolated single spikes found");
    }

    private static boolean spikedWithin(final ActivityTraces t, final int i, final int from, final int to) {
        for (int u = Math.max(0, from); u <= Math.min(t.volumes() - 1, to); u++) {
            if (t.spikes(i, u) > 0) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldDimEverythingByTheStoredBleachingFactor() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").neurons(0).noise(false)
                .noMotion().neuropil(0.0, 20).bleaching(0.5, 100).build());
        assertRatio(sim, sim.bleachFactor(900) / sim.bleachFactor(0), "bleaching");
        assertEquals(0.5 + 0.5 * Math.exp(-90.0 / 100), sim.bleachFactor(900), 1e-12);
    }

    @Test
    void shouldScaleTheNeuropilByTheStoredLevel() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").neurons(0).noise(false)
                .noMotion().background(0, 2).neuropil(0.5, 20).bleaching(0, 100).build());
        assertRatio(sim, sim.neuropilLevel(900) / sim.neuropilLevel(0), "neuropil level");
        assertEquals(1 + 0.5 * sim.populationDrive(900), sim.neuropilLevel(900), 1e-12);
    }

    private static void assertRatio(final LbmSimulation sim, final double expected, final String what) {
        final int n = sim.layout().planeWidth() * sim.layout().planeHeight();
        final float[] early = new float[n];
        final float[] late = new float[n];
        final float offset = (float) sim.parameters().offsetAdu();
        sim.renderAssembledPlane(0, 1, early, RenderOptions.CLEAN);
        sim.renderAssembledPlane(900, 1, late, RenderOptions.CLEAN);
        for (int i = 0; i < n; i++) {
            // float arithmetic on values of tens to hundreds of ADU: relative error ~1e-6
            assertEquals(expected, (late[i] - offset) / (early[i] - offset), 1e-4, what + " at pixel " + i);
        }
    }

    @Test
    void shouldShowTheStoredRigidShiftInTheFrames() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").seed(5).noise(false)
                .motion(3, 0.3, 0).build());
        final int w = sim.layout().planeWidth();
        final int h = sim.layout().planeHeight();
        final float[] clean = new float[w * h];
        final float[] moved = new float[w * h];
        for (final int[] frame : new int[][] {{3, 1}, {17, 4}, {40, 0}}) {
            sim.renderAssembledPlane(frame[0], frame[1], clean, RenderOptions.CLEAN);
            sim.renderAssembledPlane(frame[0], frame[1], moved, RenderOptions.MOTION);
            final double[] est = estimateShift(clean, moved, w, h);
            final double[] truth = sim.rigidShiftPx(frame[0], frame[1]);
            assertEquals(truth[0], est[0], 0.02, "x shift of volume " + frame[0] + " plane " + frame[1]);
            assertEquals(truth[1], est[1], 0.02, "y shift of volume " + frame[0] + " plane " + frame[1]);
            assertTrue(Math.hypot(truth[0], truth[1]) > 0.2, "the test needs visible motion");
        }
    }

    @Test
    void shouldMoveEveryPixelByTheStoredDisplacementField() {
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("small").seed(6).noise(false)
                .motion(1.5, 0.2, 2.0).build());
        final int w = sim.layout().planeWidth();
        final int h = sim.layout().planeHeight();
        final float[] clean = new float[w * h];
        final float[] moved = new float[w * h];
        final long v = 25;
        final int c = 3;
        sim.renderAssembledPlane(v, c, clean, RenderOptions.CLEAN);
        sim.renderAssembledPlane(v, c, moved, RenderOptions.MOTION);
        double maxNonrigid = 0;
        final double[] rigid = sim.rigidShiftPx(v, c);
        for (int y = 8; y < h - 8; y++) {
            for (int x = 8; x < w - 8; x++) {
                final double[] u = sim.displacementPx(v, c, x, y);
                maxNonrigid = Math.max(maxNonrigid, Math.hypot(u[0] - rigid[0], u[1] - rigid[1]));
                final double expected = bilinear(clean, w, x - u[0], y - u[1]);
                // float arithmetic on values of a few hundred ADU
                assertEquals(expected, moved[y * w + x], 0.01, "pixel (" + x + ", " + y + ")");
            }
        }
        assertTrue(maxNonrigid > 0.3, "the non-rigid part is visible: " + maxNonrigid);
    }

    @Test
    void shouldShowTheStoredScanPhaseOnOddLines() {
        final SimulationParameters p = SimulationParameters.builder("small").seed(9).noise(false).noMotion()
                .scanPhase(1.7, 0.3).build();
        final LbmSimulation sim = new LbmSimulation(p);
        final LbmLayout lay = sim.layout();
        final int w = lay.planeWidth();
        final float[] clean = new float[w * lay.planeHeight()];
        sim.renderAssembledPlane(0, 0, clean, RenderOptions.CLEAN);
        try (SimulatedLbmSource src = new SimulatedLbmSource(sim, false)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            assertEquals(ReadStatus.FRAME, src.read(slot, 0));
            for (int s = 0; s < lay.strips(); s++) {
                final double truth = sim.scanPhasePx(s);
                // exact: odd lines are the truth sampled at x - phase
                double best = Double.NaN;
                double bestErr = Double.MAX_VALUE;
                for (double ph = -3; ph <= 3; ph += 0.005) {
                    double err = 0;
                    for (int r = 1; r < lay.stripHeight(); r += 2) {
                        for (int j = 8; j < lay.stripWidth() - 8; j++) {
                            final double x = lay.assembledColumn(s, j) - ph;
                            final double d = slot.pixel(j, lay.stripFirstLine(s) + r)
                                    - bilinear(clean, w, Math.min(w - 1.001, Math.max(0, x)), r);
                            err += d * d;
                        }
                    }
                    if (err < bestErr) {
                        bestErr = err;
                        best = ph;
                    }
                }
                // int16 rounding (0.5 ADU) on gradients of tens of ADU per pixel: a few thousandths of a pixel
                assertEquals(truth, best, 0.02, "phase of strip " + s + " from the truth image");
                // as assembly sees it: odd lines against the mean of their even neighbours
                final double est = phaseFromEvenOdd(slot, lay, s);
                assertEquals(truth, est, 0.1, "phase of strip " + s + " from odd vs even lines");
            }
        }
    }

    private static double phaseFromEvenOdd(final FrameSlot slot, final LbmLayout lay, final int s) {
        double best = Double.NaN;
        double bestErr = Double.MAX_VALUE;
        final int w = lay.stripWidth();
        final double[] even = new double[w];
        for (double ph = -3; ph <= 3; ph += 0.01) {
            double err = 0;
            for (int r = 1; r < lay.stripHeight() - 1; r += 2) {
                final int line = lay.stripFirstLine(s) + r;
                for (int j = 0; j < w; j++) {
                    even[j] = 0.5 * (slot.pixel(j, line - 1) + slot.pixel(j, line + 1));
                }
                for (int j = 8; j < w - 8; j++) {
                    final double x = j - ph;
                    final int ix = (int) Math.floor(x);
                    final double fx = x - ix;
                    final double d = slot.pixel(j, line) - (even[ix] + fx * (even[ix + 1] - even[ix]));
                    err += d * d;
                }
            }
            if (err < bestErr) {
                bestErr = err;
                best = ph;
            }
        }
        return best;
    }

    static double bilinear(final float[] img, final int w, final double x, final double y) {
        final int ix = (int) Math.floor(x);
        final int iy = (int) Math.floor(y);
        final double fx = x - ix;
        final double fy = y - iy;
        final int k = iy * w + ix;
        final double top = img[k] + fx * (img[k + 1] - img[k]);
        if (fy == 0) {
            return top;
        }
        final double bot = img[k + w] + fx * (img[k + w + 1] - img[k + w]);
        return top + fy * (bot - top);
    }

    /** Shift d with moved(x) = clean(x - d), by least squares over a coarse then a fine grid (0.005 px). */
    private static double[] estimateShift(final float[] clean, final float[] moved, final int w, final int h) {
        double bx = 0;
        double by = 0;
        for (final double[] grid : new double[][] {{-6, 6, 0.5, 3}, {-0.6, 0.6, 0.05, 2}, {-0.05, 0.05, 0.005, 1}}) {
            double bestErr = Double.MAX_VALUE;
            double nx = bx;
            double ny = by;
            for (double dy = grid[0]; dy <= grid[1] + 1e-9; dy += grid[2]) {
                for (double dx = grid[0]; dx <= grid[1] + 1e-9; dx += grid[2]) {
                    final double sx = bx + dx;
                    final double sy = by + dy;
                    double err = 0;
                    final int stride = (int) grid[3];
                    for (int y = 10; y < h - 10; y += stride) {
                        for (int x = 10; x < w - 10; x += stride) {
                            final double d = moved[y * w + x] - bilinear(clean, w, x - sx, y - sy);
                            err += d * d;
                        }
                    }
                    if (err < bestErr) {
                        bestErr = err;
                        nx = sx;
                        ny = sy;
                    }
                }
            }
            bx = nx;
            by = ny;
        }
        return new double[] {bx, by};
    }

    private static double pearson(final double[] a, final double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= b.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
