package org.beadstream.acquisition.sim;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeAccess;

/**
 * The frame path of the simulator: composes a plane's scene for one volume (static scene and neuropil scaled by
 * bleaching and the neuropil level, plus the active somata added sparsely), samples it along each strip line with the
 * frame's motion and the line's scan phase (bilinear), then adds noise from the precomputed table and quantises to
 * int16. The same code renders the true assembled planes, so truth and pages agree exactly.
 *
 * <p>Allocates nothing after construction. Not thread-safe: one per source (the truth renderer is guarded by its
 * simulation).
 */
final class PlaneRenderer {

    private static final float ACTIVE = 1e-6f;
    private static final boolean NATIVE_LE = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final long SHORT_BASE = UnsafeAccess.UNSAFE.arrayBaseOffset(short[].class);

    private final LbmSimulation sim;
    private final float[] scene;
    private final float[] line;
    private final short[] quantised;
    private final float[] coeffX = new float[MotionModel.TERMS];
    private final float[] coeffY = new float[MotionModel.TERMS];
    private final float[] rowX = new float[MotionModel.TERMS];
    private final float[] rowY = new float[MotionModel.TERMS];
    private double rigidX;
    private double rigidY;
    private boolean nonrigid;

    PlaneRenderer(final LbmSimulation sim) {
        this.sim = sim;
        this.scene = new float[sim.sceneWidth * sim.sceneHeight];
        this.line = new float[sim.layout().stripWidth()];
        this.quantised = new short[sim.layout().stripWidth()];
    }

    /** Fills the scene of plane {@code c} at volume {@code v} in ADU above the offset. */
    void compose(final long v, final int c, final float[] dff) {
        final double bleach = sim.activity.bleach(v);
        final float k1 = (float) (sim.gain * bleach);
        final float k2 = (float) (sim.gain * bleach * sim.activity.neuropilLevel(v));
        final float[] st = sim.staticScene[c];
        final float[] np = sim.neuropilScene[c];
        final float[] sc = scene;
        for (int i = 0; i < sc.length; i++) {
            sc[i] = k1 * st[i] + k2 * np[i];
        }
        final int[] pn = sim.pairNeuron[c];
        final int[] ps = sim.pairShapeBin[c];
        final int[] pc = sim.pairCentre[c];
        final int[] offsets = sim.entryOffset;
        final float[] weights = sim.entryWeight;
        final SomaShapes shapes = sim.shapes;
        final NeuronTable neurons = sim.neurons();
        for (int q = 0; q < pn.length; q++) {
            final int i = pn[q];
            final float d = dff[i];
            if (d > ACTIVE) {
                final float amp = k1 * neurons.baselineRaw(i) * d;
                final int base = pc[q];
                final int sb = ps[q];
                for (int e = shapes.startOf(sb), end = shapes.endOf(sb); e < end; e++) {
                    sc[base + offsets[e]] += amp * weights[e];
                }
            }
        }
    }

    /** Loads the frame's motion (or none). */
    void prepareMotion(final long v, final int c, final boolean motion) {
        final MotionModel m = sim.motion;
        if (motion) {
            rigidX = m.rigid(v, c, 0);
            rigidY = m.rigid(v, c, 1);
            nonrigid = m.hasNonrigid();
            m.nonrigid(v, c, 0, coeffX);
            m.nonrigid(v, c, 1, coeffY);
        } else {
            rigidX = 0;
            rigidY = 0;
            nonrigid = false;
        }
    }

    /** Samples line {@code r} of strip {@code s} (all stripWidth raw columns) with the loaded motion. */
    void sampleStripLine(final int s, final int r, final double phase, final float[] out) {
        final LbmSimulation w = sim;
        final int width = w.layout().stripWidth();
        final int sceneW = w.sceneWidth;
        final float[] sc = scene;
        final int pad = w.pad;
        final int x0 = s * w.layout().usefulWidth() - w.layout().trimLeft();
        if (nonrigid) {
            final float[][] cy = w.basisY;
            for (int k = 0; k < MotionModel.TERMS; k++) {
                rowX[k] = coeffX[k] * cy[k][r];
                rowY[k] = coeffY[k] * cy[k][r];
            }
        }
        int j = 0;
        while (j < width) {
            final int x = x0 + j;
            final int tile = Math.floorDiv(x, MotionModel.TILE);
            final int end = Math.min(width, (tile + 1) * MotionModel.TILE - x0);
            double ux = rigidX;
            double uy = rigidY;
            if (nonrigid) {
                final int ti = tile - w.tileMin;
                final float[][] cx = w.basisX;
                float ax = 0f;
                float ay = 0f;
                for (int k = 0; k < MotionModel.TERMS; k++) {
                    ax += rowX[k] * cx[k][ti];
                    ay += rowY[k] * cx[k][ti];
                }
                ux += ax;
                uy += ay;
            }
            final double xs = x - ux - phase + pad;
            final double ys = r - uy + pad;
            final int ix = (int) Math.floor(xs);
            final int iy = (int) Math.floor(ys);
            final float fx = (float) (xs - ix);
            final float fy = (float) (ys - iy);
            int k = iy * sceneW + ix;
            for (int jj = j; jj < end; jj++, k++) {
                final float a = sc[k];
                final float b = sc[k + 1];
                final float cc = sc[k + sceneW];
                final float d = sc[k + sceneW + 1];
                final float top = a + fx * (b - a);
                final float bot = cc + fx * (d - cc);
                out[jj] = top + fy * (bot - top);
            }
            j = end;
        }
    }

    /** The noisy value (ADU, unrounded) of signal {@code x} (ADU above offset) with standard-normal sample {@code z}. */
    static float noisy(final float x, final float z, final float offset, final float gain, final float read2) {
        // x >= 0: scenes are sums of non-negative photon counts, bilinear weights are non-negative
        final float sd = (float) Math.sqrt(gain * x + read2);
        return offset + x + sd * z;
    }

    /** Quantises to int16: round half up (floor(y + 0.5)), clipped to [-32768, 32767]. */
    static short quantise(final float y) {
        return (short) (int) Math.floor(Math.max(-32768f, Math.min(32767f, y)) + 0.5f);
    }

    /** Renders the whole raw page of frame (v, c) into {@code dst}. */
    void renderPage(final long v, final int c, final long frameIndex, final float[] dff,
            final MutableDirectBuffer dst) {
        compose(v, c, dff);
        prepareMotion(v, c, true);
        final LbmLayout lay = sim.layout();
        final int width = lay.stripWidth();
        final float[] ln = line;
        final float[] table = sim.noiseTable;
        final boolean noise = sim.parameters().noise();
        final float offset = sim.offset;
        final float gain = sim.gain;
        final float read2 = sim.read2;
        final int pageHeight = lay.pageHeight();
        for (int pl = 0; pl < pageHeight; pl++) {
            final int s = lay.stripOfLine(pl);
            final long h = sim.lineNoiseHash(frameIndex, pl);
            final int o = sim.noiseOffset(h);
            final float sign = sim.noiseSign(h);
            final int bi = pl * width * 2;
            if (s < 0) {
                // fly-to line: no light is collected while the beam moves between strips
                for (int j = 0; j < width; j++) {
                    ln[j] = noise ? offset + sim.readNoise * (sign * table[o + j]) : offset;
                }
                store(ln, width, dst, bi);
                continue;
            }
            final int r = pl - lay.stripFirstLine(s);
            sampleStripLine(s, r, lay.isReverseRow(r) ? sim.scanPhase[s] : 0.0, ln);
            // two simple loops (noise in floats, then int16) let the JIT vectorise the first
            if (noise) {
                for (int j = 0; j < width; j++) {
                    ln[j] = noisy(ln[j], sign * table[o + j], offset, gain, read2);
                }
            } else {
                for (int j = 0; j < width; j++) {
                    ln[j] = offset + ln[j];
                }
            }
            store(ln, width, dst, bi);
        }
    }

    /** Quantises {@code values[0, n)} and writes them as int16 little-endian at byte {@code index} of {@code dst}. */
    private void store(final float[] values, final int n, final MutableDirectBuffer dst, final int index) {
        final short[] q = quantised;
        for (int j = 0; j < n; j++) {
            q[j] = quantise(values[j]);
        }
        if (NATIVE_LE) {
            dst.boundsCheck(index, 2 * n);
            // one bulk copy per line instead of a bounds-checked store per pixel
            UnsafeAccess.UNSAFE.copyMemory(q, SHORT_BASE, dst.byteArray(), dst.addressOffset() + index, 2L * n);
        } else {
            for (int j = 0; j < n; j++) {
                dst.putShort(index + 2 * j, q[j], ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    /** Renders the true assembled plane of frame (v, c) into {@code out} (planeWidth x planeHeight, ADU). */
    void renderAssembled(final long v, final int c, final float[] dff, final float[] out, final RenderOptions opt) {
        compose(v, c, dff);
        prepareMotion(v, c, opt.motion());
        final LbmLayout lay = sim.layout();
        final int u = lay.usefulWidth();
        final int tl = lay.trimLeft();
        final int pw = lay.planeWidth();
        final long frameIndex = v * lay.planes() + c;
        final float[] table = sim.noiseTable;
        for (int s = 0; s < lay.strips(); s++) {
            for (int r = 0; r < lay.stripHeight(); r++) {
                sampleStripLine(s, r, 0.0, line);
                final int pl = lay.stripFirstLine(s) + r;
                final long h = sim.lineNoiseHash(frameIndex, pl);
                final int o = sim.noiseOffset(h);
                final float sign = sim.noiseSign(h);
                final int row = r * pw + s * u - tl;
                for (int j = tl; j < tl + u; j++) {
                    out[row + j] = opt.noise()
                            ? noisy(line[j], sign * table[o + j], sim.offset, sim.gain, sim.read2)
                            : sim.offset + line[j];
                }
            }
        }
    }
}
