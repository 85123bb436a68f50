package org.beadstream.acquisition.assembly;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.scanimage.RoiStrip;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.tiff.TiffStack;

/**
 * Measures the bidirectional scan phase of each ROI strip with subpixel precision: how far (in pixels, positive =
 * to the right) the reverse-scanned lines are displaced relative to the forward lines.
 *
 * <h2>Method</h2>
 * <ol>
 *   <li>Average each strip over a sample of pages ({@link #accumulate}), which beats the noise down; pages alternate
 *       between two half-averages A and B, whose noise is independent.</li>
 *   <li>For each odd (reverse) strip row r, the reference is the mean of its even neighbours r-1 and r+1: the same
 *       scene sampled at the same height, so vertical structure does not bias the estimate. Rows are blurred along x
 *       by a Gaussian of 1 px (a shift commutes with the blur, so the optimum stays put; it smooths the cost).</li>
 *   <li>The cost is the mean squared difference between odd rows and the reference shifted by d, with the
 *       reference interpolated by Keys' cubic kernel, written so that noise cannot bias it:
 *       {@code cost(d) = sum[-2 odd(x) ref(x-d) + refA(x-d) refB(x-d)]}. It equals the squared difference up to a
 *       constant, but the reference's energy is taken from the product of the two independent half-averages, so the
 *       noise energy (which interpolation smooths more at half-pixel fractions than at whole pixels, and which pulls a
 *       plain least-squares estimate towards half pixels by up to 0.3 px at low signal-to-noise) drops out.</li>
 *   <li>Integer search over [-max, max], then golden-section search to 1e-4 px within one pixel of the integer
 *       optimum. Unlike a parabola through a correlation peak there is no bias from the peak's shape, and unlike a
 *       plain correlation there is no bias from structure entering and leaving the window.</li>
 * </ol>
 * Odd rows are the odd rows of each strip (row 1, 3, ... counted from the strip's first line), as ScanImage starts
 * every ROI with a forward line.
 *
 * <p>Not thread-safe: one thread accumulates and estimates. Accumulating allocates nothing.
 */
public final class ScanPhaseEstimator {

    /** Gaussian pre-blur along lines: sigma in pixels and kernel radius. */
    static final double BLUR_SIGMA = 2.0;
    static final int BLUR_RADIUS = 6;

    private final AssemblyLayout layout;
    private final double maxShiftPx;
    private final double[][] sumsA;
    private final double[][] sumsB;
    private int pages;

    /**
     * An estimator searching up to 8 px, or a quarter of the narrowest strip when that is less (what every pipeline
     * uses; bidirectional phases are rarely more than 3 px).
     */
    public static ScanPhaseEstimator forLayout(final AssemblyLayout layout) {
        int narrowest = Integer.MAX_VALUE;
        for (final RoiStrip s : layout.strips()) {
            narrowest = Math.min(narrowest, s.width());
        }
        return new ScanPhaseEstimator(layout, Math.min(8, narrowest / 4.0));
    }

    /**
     * @param layout     where the strips lie
     * @param maxShiftPx largest phase searched, in pixels (at least 0.5, at most a quarter of the narrowest strip)
     */
    public ScanPhaseEstimator(final AssemblyLayout layout, final double maxShiftPx) {
        int narrowest = Integer.MAX_VALUE;
        for (final RoiStrip s : layout.strips()) {
            narrowest = Math.min(narrowest, s.width());
        }
        if (!(maxShiftPx >= 0.5) || maxShiftPx > narrowest / 4.0) {
            throw new IllegalArgumentException("largest scan phase must be between 0.5 px and a quarter of the "
                    + "narrowest strip (" + narrowest / 4.0 + " px), was " + maxShiftPx);
        }
        this.layout = layout;
        this.maxShiftPx = maxShiftPx;
        this.sumsA = new double[layout.strips().size()][];
        this.sumsB = new double[layout.strips().size()][];
        for (int i = 0; i < sumsA.length; i++) {
            final RoiStrip s = layout.strips().get(i);
            sumsA[i] = new double[s.width() * s.height()];
            sumsB[i] = new double[s.width() * s.height()];
        }
    }

    /** Adds one raw page (any plane) to the per-strip averages. Allocation-free. */
    public void accumulate(final FrameSlot page) {
        if (page.width() != layout.pageWidth() || page.height() != layout.pageHeight()) {
            throw new IllegalArgumentException("page of " + page.width() + " x " + page.height()
                    + " does not match the layout's " + layout.pageWidth() + " x " + layout.pageHeight());
        }
        final UnsafeBuffer b = page.buffer();
        final int pw = page.width();
        final double[][] sums = (pages & 1) == 0 ? sumsA : sumsB;
        for (int i = 0; i < sums.length; i++) {
            final RoiStrip s = layout.strips().get(i);
            final double[] acc = sums[i];
            final int w = s.width();
            for (int r = 0; r < s.height(); r++) {
                final int src = (s.firstRow() + r) * pw * 2;
                final int dst = r * w;
                for (int x = 0; x < w; x++) {
                    acc[dst + x] += b.getShort(src + x * 2, ByteOrder.LITTLE_ENDIAN);
                }
            }
        }
        pages++;
    }

    /**
     * Accumulates up to {@code maxPages} pages spread evenly over the whole recording (read by page number, so the
     * source's own reading position is untouched) and returns {@link #estimate()}. Allocates one page buffer: call at
     * start-up, not per frame.
     *
     * @param source an open ScanImage source whose pages match the layout
     */
    public double[] estimate(final ScanImageSource source, final int maxPages) {
        if (maxPages < 1) {
            throw new IllegalArgumentException("sample at least one page, was " + maxPages);
        }
        final TiffStack stack = source.stack();
        final FrameSlot slot = FrameSlot.forGeometry(source.geometry());
        final long pages = stack.pageCount();
        final long n = Math.min(pages, maxPages);
        for (long k = 0; k < n; k++) {
            stack.readPage(k * pages / n, slot);
            accumulate(slot);
        }
        return estimate();
    }

    /** Pages accumulated since construction or {@link #reset()}. */
    public int pagesAccumulated() {
        return pages;
    }

    /** Forgets the accumulated pages. */
    public void reset() {
        for (int i = 0; i < sumsA.length; i++) {
            java.util.Arrays.fill(sumsA[i], 0);
            java.util.Arrays.fill(sumsB[i], 0);
        }
        pages = 0;
    }

    /**
     * The scan phase of every strip (page order) from the pages accumulated so far.
     *
     * @throws IllegalStateException if no page was accumulated
     */
    public double[] estimate() {
        if (pages == 0) {
            throw new IllegalStateException("no pages accumulated: call accumulate() on a sample of pages first");
        }
        final double[] out = new double[sumsA.length];
        for (int i = 0; i < sumsA.length; i++) {
            final RoiStrip s = layout.strips().get(i);
            out[i] = estimate(sumsA[i], pages > 1 ? sumsB[i] : sumsA[i], s.width(), s.height(), maxShiftPx);
        }
        return out;
    }

    /**
     * The scan phase of one strip image ({@code width x height}, row-major): the displacement of its odd rows relative
     * to its even rows, in pixels; 0 for images with fewer than 3 rows or too narrow. With a single image the noise
     * term cannot be separated; prefer {@link #estimate(double[], double[], int, int, double)} with two independent
     * half-averages.
     */
    public static double estimate(final double[] image, final int width, final int height, final double maxShiftPx) {
        return estimate(image, image, width, height, maxShiftPx);
    }

    /**
     * The scan phase of a strip from two independent half-averages {@code halfA} and {@code halfB} (e.g. even and odd
     * pages of a sample, summed or averaged alike), free of noise bias (see the class comment).
     */
    public static double estimate(final double[] halfA, final double[] halfB, final int width, final int height,
            final double maxShiftPx) {
        if (height < 3 || width < 8) {
            return 0;
        }
        final int m = (int) Math.ceil(maxShiftPx);
        final int oddRows = height / 2;
        final int n = oddRows * width;
        final double[] odd = new double[n];
        final double[] refA = new double[n];
        final double[] refB = new double[n];
        for (int k = 0; k < oddRows; k++) {
            final int r = 2 * k + 1;
            final int below = r + 1 < height ? r + 1 : r - 1;
            for (int x = 0; x < width; x++) {
                odd[k * width + x] = 0.5 * (halfA[r * width + x] + halfB[r * width + x]);
                refA[k * width + x] = 0.5 * (halfA[(r - 1) * width + x] + halfA[below * width + x]);
                refB[k * width + x] = 0.5 * (halfB[(r - 1) * width + x] + halfB[below * width + x]);
            }
        }
        subtractMean(odd);
        subtractMean(refA);
        subtractMean(refB);
        blurRows(odd, width, oddRows);
        blurRows(refA, width, oddRows);
        blurRows(refB, width, oddRows);
        final int x0 = m + 3 + BLUR_RADIUS;
        final int x1 = width - m - 3 - BLUR_RADIUS;
        if (x1 - x0 < 4) {
            return 0;
        }
        final double[] w = new double[4];
        int best = 0;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int s = -m; s <= m; s++) {
            final double c = cost(odd, refA, refB, width, oddRows, x0, x1, s, w);
            if (c < bestCost) {
                bestCost = c;
                best = s;
            }
        }
        final double phi = (Math.sqrt(5) - 1) / 2;
        double lo = best - 1;
        double hi = best + 1;
        double a = hi - phi * (hi - lo);
        double b = lo + phi * (hi - lo);
        double ca = cost(odd, refA, refB, width, oddRows, x0, x1, a, w);
        double cb = cost(odd, refA, refB, width, oddRows, x0, x1, b, w);
        while (hi - lo > 1e-4) {
            if (ca < cb) {
                hi = b;
                b = a;
                cb = ca;
                a = hi - phi * (hi - lo);
                ca = cost(odd, refA, refB, width, oddRows, x0, x1, a, w);
            } else {
                lo = a;
                a = b;
                ca = cb;
                b = lo + phi * (hi - lo);
                cb = cost(odd, refA, refB, width, oddRows, x0, x1, b, w);
            }
        }
        final double d = 0.5 * (lo + hi);
        return Math.max(-m - 0.5, Math.min(m + 0.5, d));
    }

    private static void subtractMean(final double[] a) {
        double mean = 0;
        for (final double v : a) {
            mean += v;
        }
        mean /= a.length;
        for (int i = 0; i < a.length; i++) {
            a[i] -= mean;
        }
    }

    /**
     * {@code sum[-2 odd(x) ref(x-d) + refA(x-d) refB(x-d)]} over odd rows, {@code ref = (refA + refB) / 2}, the
     * references interpolated with Keys' cubic kernel.
     */
    private static double cost(final double[] odd, final double[] refA, final double[] refB, final int width,
            final int rows, final int x0, final int x1, final double d, final double[] w) {
        final int shift = (int) Math.floor(-d);
        CubicKernel.weights(-d - shift, w);
        final double w0 = w[0];
        final double w1 = w[1];
        final double w2 = w[2];
        final double w3 = w[3];
        double c = 0;
        for (int k = 0; k < rows; k++) {
            final int row = k * width;
            for (int x = x0; x < x1; x++) {
                final int i = row + x + shift;
                final double ia = w0 * refA[i - 1] + w1 * refA[i] + w2 * refA[i + 1] + w3 * refA[i + 2];
                final double ib = w0 * refB[i - 1] + w1 * refB[i] + w2 * refB[i + 1] + w3 * refB[i + 2];
                c += -odd[row + x] * (ia + ib) + ia * ib;
            }
        }
        return c;
    }

    /** Blurs each row of {@code a} ({@code rows x width}) with a Gaussian of {@link #BLUR_SIGMA}, edges clamped. */
    private static void blurRows(final double[] a, final int width, final int rows) {
        final double[] k = new double[2 * BLUR_RADIUS + 1];
        double sum = 0;
        for (int i = -BLUR_RADIUS; i <= BLUR_RADIUS; i++) {
            k[i + BLUR_RADIUS] = Math.exp(-i * i / (2 * BLUR_SIGMA * BLUR_SIGMA));
            sum += k[i + BLUR_RADIUS];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        final double[] line = new double[width];
        for (int r = 0; r < rows; r++) {
            final int row = r * width;
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (int i = -BLUR_RADIUS; i <= BLUR_RADIUS; i++) {
                    v += k[i + BLUR_RADIUS] * a[row + Math.min(width - 1, Math.max(0, x + i))];
                }
                line[x] = v;
            }
            System.arraycopy(line, 0, a, row, width);
        }
    }
}
