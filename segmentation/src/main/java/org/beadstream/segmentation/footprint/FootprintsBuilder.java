package org.beadstream.segmentation.footprint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Collects ROIs (plane, pixels, weights and optionally a trace) and builds {@link Footprints}: it sorts and
 * normalises each ROI's weights, draws the neuropil annuli (excluding every ROI pixel of the plane), computes the
 * statistics and applies the cell classifier.
 *
 * <pre>{@code
 * FootprintsBuilder b = new FootprintsBuilder(width, height, planes);
 * b.addRoi(plane, pixels, weights, trace);        // once per detected ROI
 * Footprints fp = b.neuropil(NeuropilParameters.DEFAULT).classifier(CellClassifier.standard()).build();
 * }</pre>
 *
 * <p>Not thread-safe: one builder per thread.
 */
public final class FootprintsBuilder {

    private final int width;
    private final int height;
    private final int planeCount;
    private final List<int[]> pixels = new ArrayList<>();
    private final List<float[]> weights = new ArrayList<>();
    private final List<float[]> traces = new ArrayList<>();
    private final List<Integer> planes = new ArrayList<>();
    private NeuropilParameters neuropil = NeuropilParameters.DEFAULT;
    private CellClassifier classifier = CellClassifier.standard();

    /**
     * A builder for ROIs in planes of {@code width x height} pixels.
     *
     * @param width      assembled plane width, pixels
     * @param height     assembled plane height, pixels
     * @param planeCount number of planes in the volume
     */
    public FootprintsBuilder(final int width, final int height, final int planeCount) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("plane must be at least 1 x 1 and index with an int, was " + width
                    + " x " + height);
        }
        if (planeCount < 1) {
            throw new IllegalArgumentException("plane count must be positive, was " + planeCount);
        }
        this.width = width;
        this.height = height;
        this.planeCount = planeCount;
    }

    /** Adds a ROI without a trace (temporal statistics become NaN); returns its id. */
    public int addRoi(final int plane, final int[] pixelIndices, final float[] pixelWeights) {
        return addRoi(plane, pixelIndices, pixelWeights, null);
    }

    /**
     * Adds a ROI; returns its id (ids are given in order, from 0).
     *
     * @param plane        plane index in [0, planeCount)
     * @param pixelIndices distinct pixel indices y * width + x, any order
     * @param pixelWeights non-negative weights, not all zero (normalised here to sum to 1)
     * @param trace        the ROI's activity over the detection window (for skewness and SNR), or null
     */
    public int addRoi(final int plane, final int[] pixelIndices, final float[] pixelWeights, final float[] trace) {
        Objects.requireNonNull(pixelIndices, "pixelIndices");
        Objects.requireNonNull(pixelWeights, "pixelWeights");
        final int id = pixels.size();
        if (plane < 0 || plane >= planeCount) {
            throw new IllegalArgumentException("ROI " + id + ": plane must be in [0, " + planeCount + "), was " + plane);
        }
        if (pixelIndices.length == 0 || pixelIndices.length != pixelWeights.length) {
            throw new IllegalArgumentException("ROI " + id + ": needs at least one pixel and one weight per pixel, got "
                    + pixelIndices.length + " pixels and " + pixelWeights.length + " weights");
        }
        final int n = pixelIndices.length;
        final long[] packed = new long[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            final int p = pixelIndices[i];
            final float w = pixelWeights[i];
            if (p < 0 || p >= width * height) {
                throw new IllegalArgumentException("ROI " + id + ": pixel index " + p + " outside the " + width + " x "
                        + height + " plane");
            }
            if (!(w >= 0) || !Float.isFinite(w)) {
                throw new IllegalArgumentException("ROI " + id + ": weights must be finite and non-negative, was " + w
                        + " at pixel " + p);
            }
            packed[i] = ((long) p << 32) | (Float.floatToRawIntBits(w) & 0xffffffffL);
            sum += w;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("ROI " + id + ": weights sum to 0");
        }
        Arrays.sort(packed);
        final int[] px = new int[n];
        final float[] wt = new float[n];
        for (int i = 0; i < n; i++) {
            px[i] = (int) (packed[i] >>> 32);
            wt[i] = (float) (Float.intBitsToFloat((int) packed[i]) / sum);
            if (i > 0 && px[i] == px[i - 1]) {
                throw new IllegalArgumentException("ROI " + id + ": pixel index " + px[i] + " given twice");
            }
        }
        pixels.add(px);
        weights.add(wt);
        traces.add(trace == null ? null : trace.clone());
        planes.add(plane);
        return id;
    }

    /** Number of ROIs added so far. */
    public int roiCount() {
        return pixels.size();
    }

    /** Sets how neuropil annuli are drawn (default {@link NeuropilParameters#DEFAULT}). */
    public FootprintsBuilder neuropil(final NeuropilParameters parameters) {
        this.neuropil = Objects.requireNonNull(parameters, "parameters");
        return this;
    }

    /** Sets the cell classifier (default {@link CellClassifier#standard()}). */
    public FootprintsBuilder classifier(final CellClassifier cellClassifier) {
        this.classifier = Objects.requireNonNull(cellClassifier, "cellClassifier");
        return this;
    }

    /** Builds the footprints; the builder can keep adding ROIs and build again. */
    public Footprints build() {
        final int n = pixels.size();
        final int planePixels = width * height;
        final int[] plane = new int[n];
        final int[] po = new int[n + 1];
        for (int r = 0; r < n; r++) {
            plane[r] = planes.get(r);
            po[r + 1] = po[r] + pixels.get(r).length;
        }
        final int[] pi = new int[po[n]];
        final float[] pw = new float[po[n]];
        for (int r = 0; r < n; r++) {
            System.arraycopy(pixels.get(r), 0, pi, po[r], pixels.get(r).length);
            System.arraycopy(weights.get(r), 0, pw, po[r], weights.get(r).length);
        }
        // per plane: how many ROIs cover each pixel (overlap, neuropil exclusion)
        final byte[][] cover = new byte[planeCount][];
        for (int r = 0; r < n; r++) {
            byte[] c = cover[plane[r]];
            if (c == null) {
                c = new byte[planePixels];
                cover[plane[r]] = c;
            }
            for (final int p : pixels.get(r)) {
                if (c[p] != Byte.MAX_VALUE) {
                    c[p]++;
                }
            }
        }
        final RoiStats[] stats = new RoiStats[n];
        final float[] prob = new float[n];
        final int[][] np = new int[n][];
        final int[] no = new int[n + 1];
        for (int r = 0; r < n; r++) {
            stats[r] = RoiShape.stats(pixels.get(r), weights.get(r), traces.get(r), cover[plane[r]], width);
            prob[r] = (float) classifier.probability(stats[r]);
            np[r] = NeuropilAnnulus.draw(pixels.get(r), stats[r], cover[plane[r]], width, height, neuropil);
            no[r + 1] = no[r] + np[r].length;
        }
        final int[] ni = new int[no[n]];
        for (int r = 0; r < n; r++) {
            System.arraycopy(np[r], 0, ni, no[r], np[r].length);
        }
        return new Footprints(width, height, planeCount, plane, po, pi, pw, no, ni, prob, stats);
    }
}
