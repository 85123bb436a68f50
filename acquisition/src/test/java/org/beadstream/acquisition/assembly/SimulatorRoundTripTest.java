package org.beadstream.acquisition.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.scanimage.ScanImageWriter;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.RenderOptions;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.beadstream.acquisition.tiff.SharedData;
import org.beadstream.acquisition.tiff.TiffReader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * simulate -> ScanImage files -> ScanImageSource -> VolumeAssembler gives back the simulator's ground-truth planes,
 * after its known channel order, scan phase and plane offsets, for the config-a and config-b geometries.
 */
class SimulatorRoundTripTest {

    /** Even (forward) rows only differ by the int16 rounding of the pages: half an ADU. */
    static final double EVEN_ROW_TOLERANCE_ADU = 0.5 + 1e-3;
    /**
     * Odd rows are resampled twice (the simulator's bilinear sampling at x - phase, our cubic correction back) on top
     * of the int16 rounding (RMS 1/sqrt(12) ADU, at most 0.5 ADU times the cubic weights' absolute sum 1.25): their
     * RMS error must stay within the rounding RMS plus 1 % of the plane's contrast (standard deviation), added in
     * quadrature. Per pixel, resampling cannot restore detail at the Nyquist frequency (bilinear sampling at a
     * half-pixel fraction removes it entirely), whose amplitude is at most half the local range of the truth (max - min
     * over x-2..x+2), so no pixel may be off by more than the worst rounding plus half that local range.
     */
    static final double ODD_ROW_RMS_FRACTION = 0.01;
    static final double ODD_ROW_MAX_FRACTION = 0.5;
    static final double ROUNDING_RMS_ADU = 1 / Math.sqrt(12);
    static final double ROUNDING_MAX_ADU = 0.5 * 1.25;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"config-a", "config-b"})
    void shouldAssembleScanImageFilesIntoTheSimulatorsGroundTruthPlanes(final String preset) {
        final SimulationParameters params = SimulationParameters.builder(preset).neurons(150).volumes(2).noise(false)
                .seed(11).build();
        final SimulatedLbmSource sim = SimulatedLbmSource.offline(params);
        final LbmSimulation world = sim.simulation();
        final FrameGeometry geometry = world.frameGeometry();
        final ScanImageMetadata template;
        try (TiffReader r = TiffReader.open(SharedData.file(
                "scanimage/si2021-single-roi/hostpixelcorr_noavg_00001_00001.tif"))) {
            template = ScanImageMetadata.read(r);
        }
        final ScanImageMetadata header = ScanImageWriter.lbmHeader(template, geometry,
                ScanImageWriter.sideBySideStrips(params.strips(), params.stripWidth(), params.stripHeight()),
                params.flyToLines(), true);
        final FrameSlot slot = FrameSlot.forGeometry(geometry);
        sim.open();
        sim.start();
        try (ScanImageWriter w = ScanImageWriter.create(dir, "lbm", header, geometry, 1)) {
            while (sim.read(slot, 0) == ReadStatus.FRAME) {
                w.write(slot);
            }
            assertEquals(2, w.files().size());
        } finally {
            sim.close();
        }

        final ScanImageSource source = new ScanImageSource(dir.resolve("lbm_00001_00001.tif"));
        source.open();
        try {
            assertEquals(geometry, source.geometry());
            assertEquals(params.planes() * 2L, source.pageCount());
            final AssemblyLayout layout = AssemblyLayout.of(source.metadata(), source.geometry(), params.trimLeft(),
                    params.trimRight());
            assertEquals(world.layout().planeWidth(), layout.planeWidth());
            assertEquals(world.layout().planeHeight(), layout.planeHeight());
            final int planes = params.planes();
            final int[] order = world.planeOrder();
            final double[] dx = new double[planes];
            final double[] dy = new double[planes];
            for (int c = 0; c < planes; c++) {
                dx[order[c]] = world.planeOffsetPx(c)[0];
                dy[order[c]] = world.planeOffsetPx(c)[1];
            }
            final VolumeAssembler assembler = new VolumeAssembler(layout, new PlaneCalibration(order, dx, dy));
            final double[] phase = new double[params.strips()];
            for (int s = 0; s < phase.length; s++) {
                phase[s] = world.scanPhasePx(s);
            }
            assembler.setScanPhase(phase);
            final AssembledVolume out = assembler.newVolume();
            final int w = layout.planeWidth();
            final int h = layout.planeHeight();
            final float[] truth = new float[w * h];
            final float[] aligned = new float[w * h];
            source.start();
            final FrameSlot in = FrameSlot.forGeometry(source.geometry());
            int volumes = 0;
            double worstRms = 0;
            while (source.read(in, 0) == ReadStatus.FRAME) {
                if (!assembler.assemble(in, out)) {
                    continue;
                }
                for (int c = 0; c < planes; c++) {
                    world.renderAssembledPlane(out.volume(), c, truth, RenderOptions.MOTION);
                    shift(truth, aligned, w, h, world.planeOffsetPx(c));
                    worstRms = Math.max(worstRms, compare(out, order[c], aligned, w, h, world.planeOffsetPx(c),
                            world.layout().usefulWidth(), maxAbs(phase),
                            preset + " volume " + out.volume() + " channel " + c));
                }
                volumes++;
            }
            assertEquals(2, volumes);
            // the estimator, sampling the files themselves, finds the simulator's phases (noise-free pages)
            final double[] measured = new ScanPhaseEstimator(layout, 5).estimate(source, 60);
            for (int s = 0; s < phase.length; s++) {
                assertEquals(phase[s], measured[s], 0.1, preset + " strip " + s);
            }
            assertTrue(worstRms < 0.05, "odd-row RMS error relative to contrast, worst plane: " + worstRms);
        } finally {
            source.close();
        }
    }

    private static double maxAbs(final double[] v) {
        double m = 0;
        for (final double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m;
    }

    /** Aligns a truth plane the way calibration does: out(x, y) = in(x - dx, y - dy), bilinear, 0 outside. */
    static void shift(final float[] in, final float[] out, final int w, final int h, final double[] off) {
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                final double sx = x - off[0];
                final double sy = y - off[1];
                final int ix = (int) Math.floor(sx);
                final int iy = (int) Math.floor(sy);
                final double fx = sx - ix;
                final double fy = sy - iy;
                double v = 0;
                v += (1 - fx) * (1 - fy) * at(in, w, h, ix, iy);
                v += fx * (1 - fy) * at(in, w, h, ix + 1, iy);
                v += (1 - fx) * fy * at(in, w, h, ix, iy + 1);
                v += fx * fy * at(in, w, h, ix + 1, iy + 1);
                out[y * w + x] = (float) v;
            }
        }
    }

    private static double at(final float[] a, final int w, final int h, final int x, final int y) {
        return x >= 0 && x < w && y >= 0 && y < h ? a[y * w + x] : 0;
    }

    /**
     * Compares the interior: away from plane borders that alignment fills with 0, and away from strip ends, where the
     * phase correction of odd rows needs samples beyond the acquired line and must extrapolate (that is what trimming
     * is for). Returns the odd-row RMS error relative to the contrast.
     */
    static double compare(final AssembledVolume out, final int depth, final float[] truth, final int w, final int h,
            final double[] off, final int stripWidth, final double maxPhase, final String what) {
        final int edge = (int) Math.ceil(maxPhase) + 2 + (int) Math.ceil(Math.abs(off[0]));
        final int mx = (int) Math.ceil(Math.abs(off[0])) + 3;
        final int my = (int) Math.ceil(Math.abs(off[1])) + 2;
        double mean = 0;
        double sq = 0;
        int n = 0;
        for (int y = my; y < h - my; y++) {
            for (int x = mx; x < w - mx; x++) {
                mean += truth[y * w + x];
                sq += truth[y * w + x] * (double) truth[y * w + x];
                n++;
            }
        }
        mean /= n;
        final double contrast = Math.sqrt(sq / n - mean * mean);
        double oddSq = 0;
        int oddN = 0;
        double oddMax = Double.NEGATIVE_INFINITY;
        String worstAt = "";
        final boolean fractionalY = off[1] != Math.rint(off[1]);
        for (int y = my; y < h - my; y++) {
            for (int x = mx; x < w - mx; x++) {
                final int inStrip = x % stripWidth;
                if (inStrip < edge || stripWidth - 1 - inStrip < edge) {
                    continue;
                }
                final double e = out.get(depth, x, y) - truth[y * w + x];
                // with a fractional y offset every aligned row mixes an even and an odd source row
                final boolean oddSource = fractionalY || (((int) Math.floor(y - off[1])) & 1) == 1;
                if (!oddSource && Math.abs(e) > EVEN_ROW_TOLERANCE_ADU) {
                    throw new AssertionError(what + ": even-row pixel (" + x + ", " + y + ") differs by " + e
                            + " ADU (tolerance " + EVEN_ROW_TOLERANCE_ADU + ")");
                }
                if (oddSource) {
                    oddSq += e * e;
                    oddN++;
                    double lo = Double.POSITIVE_INFINITY;
                    double hi = Double.NEGATIVE_INFINITY;
                    for (int k = -2; k <= 2; k++) {
                        lo = Math.min(lo, truth[y * w + x + k]);
                        hi = Math.max(hi, truth[y * w + x + k]);
                    }
                    final double local = ROUNDING_MAX_ADU + ODD_ROW_MAX_FRACTION * (hi - lo);
                    if (Math.abs(e) - local > oddMax) {
                        oddMax = Math.abs(e) - local;
                        worstAt = "(" + x + ", " + y + ") truth " + truth[y * w + x - 2] + " " + truth[y * w + x - 1]
                                + " [" + truth[y * w + x] + "] " + truth[y * w + x + 1] + " " + truth[y * w + x + 2]
                                + " got " + out.get(depth, x, y);
                    }
                }
            }
        }
        final double rms = Math.sqrt(oddSq / oddN);
        assertTrue(contrast > 1, what + ": plane has contrast " + contrast);
        final double rmsLimit = Math.hypot(ROUNDING_RMS_ADU, ODD_ROW_RMS_FRACTION * contrast);
        final double maxLimit = 0;
        assertTrue(rms < rmsLimit, what + ": odd-row RMS error " + rms + " ADU exceeds " + rmsLimit + " (contrast "
                + contrast + " ADU)");
        assertTrue(oddMax <= maxLimit, what + ": an odd-row pixel exceeds its tolerance by " + oddMax + " ADU at "
                + worstAt);
        return rms / contrast;
    }
}
