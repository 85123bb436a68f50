package org.beadstream.acquisition.assembly;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.scanimage.RoiStrip;

/**
 * Turns raw light-beads pages into assembled, depth-ordered float32 planes. For each page (one channel of one volume):
 * <ol>
 *   <li>the depth is {@code calibration.depthOf(page.plane())} (the rig's channel-to-depth order);</li>
 *   <li>each ROI strip is cut from its rows (fly-to lines are skipped);</li>
 *   <li>its odd (reverse-scanned) rows are shifted back by the strip's scan phase {@code d}:
 *       {@code row(x) <- row(x + d)}, with Keys' cubic interpolation for the fractional part (an exact copy when
 *       {@code d} is an integer); samples beyond the line's ends repeat the end sample;</li>
 *   <li>{@code trimLeft} / {@code trimRight} pixels are dropped and the strip is placed at its column;</li>
 *   <li>the plane is aligned to the reference by its calibration offset: {@code out(x, y) = in(x - dx, y - dy)}
 *       (bilinear for fractional offsets, 0 outside).</li>
 * </ol>
 * Pages of a volume may come in any order; {@link AssembledVolume#isComplete()} says when all planes are in.
 *
 * <p>Not thread-safe: one thread assembles (it owns scratch rows). Allocation-free per page after construction.
 */
public final class VolumeAssembler {

    private final AssemblyLayout layout;
    private final PlaneCalibration calibration;
    private final int planeWidth;
    private final int planeHeight;
    private final int[] stripOutX;
    private final double[] phase;
    private final int[] phaseInt;
    private final double[][] phaseWeights;
    private final boolean[] phaseFractional;
    private final float[] row;
    private final float[] plane;
    private final float[] zeros;
    private final int[] offsetIntX;
    private final int[] offsetIntY;
    private final boolean[] offsetFractional;

    /**
     * @param layout      where strips lie and go
     * @param calibration channel-to-depth order and per-plane offsets; its plane count is the volume's
     */
    public VolumeAssembler(final AssemblyLayout layout, final PlaneCalibration calibration) {
        this.layout = layout;
        this.calibration = calibration;
        this.planeWidth = layout.planeWidth();
        this.planeHeight = layout.planeHeight();
        final int n = layout.strips().size();
        this.stripOutX = new int[n];
        for (int i = 0; i < n; i++) {
            stripOutX[i] = layout.outputColumn(i);
        }
        this.phase = new double[n];
        this.phaseInt = new int[n];
        this.phaseWeights = new double[n][4];
        this.phaseFractional = new boolean[n];
        int widest = 0;
        for (final RoiStrip s : layout.strips()) {
            widest = Math.max(widest, s.width());
        }
        this.row = new float[widest];
        this.plane = new float[planeWidth * planeHeight];
        this.zeros = new float[planeWidth];
        final int p = calibration.planes();
        this.offsetIntX = new int[p];
        this.offsetIntY = new int[p];
        this.offsetFractional = new boolean[p];
        for (int d = 0; d < p; d++) {
            final double dx = -calibration.dx(d);
            final double dy = -calibration.dy(d);
            offsetIntX[d] = (int) Math.floor(dx);
            offsetIntY[d] = (int) Math.floor(dy);
            offsetFractional[d] = dx != Math.floor(dx) || dy != Math.floor(dy);
        }
        setScanPhase(new double[n]);
    }

    /** The layout. */
    public AssemblyLayout layout() {
        return layout;
    }

    /** The calibration. */
    public PlaneCalibration calibration() {
        return calibration;
    }

    /** Planes per volume. */
    public int planes() {
        return calibration.planes();
    }

    /** Assembled plane width. */
    public int planeWidth() {
        return planeWidth;
    }

    /** Assembled plane height. */
    public int planeHeight() {
        return planeHeight;
    }

    /** A volume sized for this assembler's output (allocate once, refill per volume). */
    public AssembledVolume newVolume() {
        return new AssembledVolume(planes(), planeWidth, planeHeight);
    }

    /**
     * Sets the scan phase of each strip (page order), in pixels, positive when odd rows are displaced to the right;
     * e.g. from {@link ScanPhaseEstimator#estimate()}. Zeros turn the correction off.
     */
    public void setScanPhase(final double[] perStripPx) {
        if (perStripPx.length != phase.length) {
            throw new IllegalArgumentException("need one scan phase per strip (" + phase.length + "), got "
                    + perStripPx.length);
        }
        for (int i = 0; i < phase.length; i++) {
            final double d = perStripPx[i];
            final int w = layout.strips().get(i).width();
            if (!Double.isFinite(d) || Math.abs(d) > w / 2.0) {
                throw new IllegalArgumentException("scan phase of strip " + i + " must be finite and within half the "
                        + "strip width (" + w / 2.0 + " px), was " + d);
            }
            phase[i] = d;
            phaseInt[i] = (int) Math.floor(d);
            final double f = d - Math.floor(d);
            phaseFractional[i] = f != 0;
            CubicKernel.weights(f, phaseWeights[i]);
        }
    }

    /** The scan phase per strip in use (a copy). */
    public double[] scanPhase() {
        return phase.clone();
    }

    /**
     * Assembles {@code page} into its depth of {@code out}. A page of a new volume (by {@link FrameSlot#volume()})
     * starts that volume in {@code out}. Allocation-free.
     *
     * @return whether {@code out} now holds every plane of the page's volume
     * @throws IllegalArgumentException if the page's shape or plane does not match the layout and calibration
     */
    public boolean assemble(final FrameSlot page, final AssembledVolume out) {
        if (page.width() != layout.pageWidth() || page.height() != layout.pageHeight()) {
            throw new IllegalArgumentException("page of " + page.width() + " x " + page.height()
                    + " does not match the assembly layout's " + layout.pageWidth() + " x " + layout.pageHeight());
        }
        if (page.plane() < 0 || page.plane() >= planes()) {
            throw new IllegalArgumentException("page plane " + page.plane() + " is outside 0.." + (planes() - 1));
        }
        if (out.planes() != planes() || out.width() != planeWidth || out.height() != planeHeight) {
            throw new IllegalArgumentException("output volume of " + out.planes() + " x " + out.width() + " x "
                    + out.height() + " does not match " + planes() + " x " + planeWidth + " x " + planeHeight);
        }
        if (out.volume() != page.volume()) {
            out.begin(page.volume(), page.timestampNanos());
        }
        final int depth = calibration.depthOf(page.plane());
        assemblePlane(page, plane);
        place(depth, out);
        out.markFilled(depth);
        return out.isComplete();
    }

    /**
     * Assembles one page into {@code dst} (planeWidth x planeHeight, row-major) without applying the plane offset:
     * strips cut, phase-corrected, trimmed and placed. Allocation-free.
     */
    public void assemblePlane(final FrameSlot page, final float[] dst) {
        if (dst.length < planeWidth * planeHeight) {
            throw new IllegalArgumentException("destination holds " + dst.length + " floats, needs "
                    + planeWidth * planeHeight);
        }
        Arrays.fill(dst, 0, planeWidth * planeHeight, 0f);
        final UnsafeBuffer b = page.buffer();
        final int pw = page.width();
        final int trimLeft = layout.trimLeft();
        final int trimRight = layout.trimRight();
        final float[] r = row;
        for (int i = 0; i < stripOutX.length; i++) {
            final RoiStrip s = layout.strips().get(i);
            final int w = s.width();
            final int keep = w - trimLeft - trimRight;
            final int outX = stripOutX[i];
            final int pi = phaseInt[i];
            final boolean frac = phaseFractional[i];
            final double[] wt = phaseWeights[i];
            for (int y = 0; y < s.height(); y++) {
                final int src = (s.firstRow() + y) * pw * 2;
                final int dstRow = y * planeWidth + outX;
                if ((y & 1) == 0 || (pi == 0 && !frac)) {
                    for (int x = 0; x < keep; x++) {
                        dst[dstRow + x] = b.getShort(src + (x + trimLeft) * 2, ByteOrder.LITTLE_ENDIAN);
                    }
                    continue;
                }
                for (int x = 0; x < w; x++) {
                    r[x] = b.getShort(src + x * 2, ByteOrder.LITTLE_ENDIAN);
                }
                final int last = w - 1;
                if (!frac) {
                    for (int x = 0; x < keep; x++) {
                        final int j = x + trimLeft + pi;
                        dst[dstRow + x] = r[j < 0 ? 0 : (j > last ? last : j)];
                    }
                } else {
                    final double w0 = wt[0];
                    final double w1 = wt[1];
                    final double w2 = wt[2];
                    final double w3 = wt[3];
                    for (int x = 0; x < keep; x++) {
                        final int j = x + trimLeft + pi;
                        if (j >= 1 && j + 2 <= last) {
                            dst[dstRow + x] = (float) (w0 * r[j - 1] + w1 * r[j] + w2 * r[j + 1] + w3 * r[j + 2]);
                        } else {
                            dst[dstRow + x] = (float) (w0 * r[clamp(j - 1, last)] + w1 * r[clamp(j, last)]
                                    + w2 * r[clamp(j + 1, last)] + w3 * r[clamp(j + 2, last)]);
                        }
                    }
                }
            }
        }
    }

    private static int clamp(final int j, final int last) {
        return j < 0 ? 0 : (j > last ? last : j);
    }

    /** Writes the scratch plane into {@code out}'s depth, aligned by the depth's calibration offset. */
    private void place(final int depth, final AssembledVolume out) {
        final int w = planeWidth;
        final int h = planeHeight;
        final float[] in = plane;
        final int ox = offsetIntX[depth];
        final int oy = offsetIntY[depth];
        if (!offsetFractional[depth]) {
            final FloatBuffer dst = out.plane(depth);
            final int x0 = Math.max(0, -ox);
            final int x1 = Math.min(w, w - ox);
            for (int y = 0; y < h; y++) {
                final int sy = y + oy;
                final int row = y * w;
                if (sy < 0 || sy >= h || x1 <= x0) {
                    dst.put(row, zeros, 0, w);
                    continue;
                }
                if (x0 > 0) {
                    dst.put(row, zeros, 0, x0);
                }
                dst.put(row + x0, in, sy * w + x0 + ox, x1 - x0);
                if (x1 < w) {
                    dst.put(row + x1, zeros, 0, w - x1);
                }
            }
            return;
        }
        final double fx = -calibration.dx(depth) - ox;
        final double fy = -calibration.dy(depth) - oy;
        final double w00 = (1 - fx) * (1 - fy);
        final double w10 = fx * (1 - fy);
        final double w01 = (1 - fx) * fy;
        final double w11 = fx * fy;
        for (int y = 0; y < h; y++) {
            final int sy = y + oy;
            for (int x = 0; x < w; x++) {
                final int sx = x + ox;
                double v = 0;
                if (sy >= 0 && sy < h) {
                    if (sx >= 0 && sx < w) {
                        v += w00 * in[sy * w + sx];
                    }
                    if (sx + 1 >= 0 && sx + 1 < w) {
                        v += w10 * in[sy * w + sx + 1];
                    }
                }
                if (sy + 1 >= 0 && sy + 1 < h) {
                    if (sx >= 0 && sx < w) {
                        v += w01 * in[(sy + 1) * w + sx];
                    }
                    if (sx + 1 >= 0 && sx + 1 < w) {
                        v += w11 * in[(sy + 1) * w + sx + 1];
                    }
                }
                out.put(depth, x, y, (float) v);
            }
        }
    }
}
