package org.beadstream.segmentation.footprint;

import java.nio.IntBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Every ROI of a volume as weighted pixel lists: THE hand-over from segmentation to the traces module.
 *
 * <p>Layout (compressed sparse rows, one row per ROI; ROI {@code r} is the ROI's id everywhere else):
 * <pre>
 *   roiPlane        int[n]        plane of ROI r (0-based depth index)
 *   pixelOffsets    int[n + 1]    ROI r owns entries [pixelOffsets[r], pixelOffsets[r + 1])
 *   pixelIndices    int[nnz]      y * planeWidth + x in the ASSEMBLED plane (row-major, x fastest), ascending per ROI
 *   pixelWeights    float[nnz]    non-negative, summing to 1 per ROI: F = sum(w * pixel) is a weighted mean
 *   neuropilOffsets int[n + 1]    ROI r's neuropil annulus: entries [neuropilOffsets[r], neuropilOffsets[r + 1])
 *   neuropilIndices int[nnzNp]    same indexing; uniform weight 1 / count; excludes every ROI pixel of the plane
 *   cellProbability float[n]      suite2p iscell analogue, in [0, 1]
 *   stats           RoiStats[n]   centroid, radius, compactness, skewness, SNR, overlap, npix, footprint, aspect
 * </pre>
 * Bytes per ROI: 8 per pixel (int index + float weight) + 4 per neuropil pixel + about 60 (offsets, plane,
 * probability, statistics). With about 100 pixels and 350 neuropil pixels that is about 2.3 kB per ROI (measured
 * 1.9 kB on a config-A volume); the cell pixels alone are 0.8 GB for 1e6 ROIs. The device never sees this layout:
 * the traces module packs it once ({@code PackedFootprints}: index and 12-bit weight in one 32-bit word, neuropil as
 * runs, about 0.6 kB per ROI); see docs/segmentation.md.
 *
 * <p>Immutable and thread-safe. Bulk accessors copy (made once at pipeline start, never per frame); per-entry
 * accessors read without copying.
 */
public final class Footprints {

    private final int planeWidth;
    private final int planeHeight;
    private final int planeCount;
    private final int[] roiPlane;
    private final int[] pixelOffsets;
    private final int[] pixelIndices;
    private final float[] pixelWeights;
    private final int[] neuropilOffsets;
    private final int[] neuropilIndices;
    private final float[] cellProbability;
    private final RoiStats[] stats;

    Footprints(final int planeWidth, final int planeHeight, final int planeCount, final int[] roiPlane,
            final int[] pixelOffsets, final int[] pixelIndices, final float[] pixelWeights,
            final int[] neuropilOffsets, final int[] neuropilIndices, final float[] cellProbability,
            final RoiStats[] stats) {
        if (planeWidth < 1 || planeHeight < 1) {
            throw new IllegalArgumentException("plane must be at least 1 x 1, was " + planeWidth + " x " + planeHeight);
        }
        if (planeCount < 1) {
            throw new IllegalArgumentException("plane count must be positive, was " + planeCount);
        }
        final int n = roiPlane.length;
        if (pixelOffsets.length != n + 1 || neuropilOffsets.length != n + 1 || cellProbability.length != n
                || stats.length != n) {
            throw new IllegalArgumentException("per-ROI arrays disagree on the ROI count " + n);
        }
        if (pixelIndices.length != pixelWeights.length || pixelOffsets[n] != pixelIndices.length) {
            throw new IllegalArgumentException("pixel offsets end at " + pixelOffsets[n] + " but there are "
                    + pixelIndices.length + " indices and " + pixelWeights.length + " weights");
        }
        if (neuropilOffsets[n] != neuropilIndices.length) {
            throw new IllegalArgumentException("neuropil offsets end at " + neuropilOffsets[n] + " but there are "
                    + neuropilIndices.length + " neuropil indices");
        }
        this.planeWidth = planeWidth;
        this.planeHeight = planeHeight;
        this.planeCount = planeCount;
        this.roiPlane = roiPlane;
        this.pixelOffsets = pixelOffsets;
        this.pixelIndices = pixelIndices;
        this.pixelWeights = pixelWeights;
        this.neuropilOffsets = neuropilOffsets;
        this.neuropilIndices = neuropilIndices;
        this.cellProbability = cellProbability;
        this.stats = stats;
    }

    /** Number of ROIs (cells and not-cells: filter with {@link #cellProbability(int)}). */
    public int roiCount() {
        return roiPlane.length;
    }

    /** Width of the assembled plane in pixels (pixel index = y * planeWidth + x). */
    public int planeWidth() {
        return planeWidth;
    }

    /** Height of the assembled plane in pixels. */
    public int planeHeight() {
        return planeHeight;
    }

    /** Pixels per assembled plane. */
    public int planePixels() {
        return planeWidth * planeHeight;
    }

    /** Number of planes of the volume these ROIs live in (planes may hold no ROI). */
    public int planeCount() {
        return planeCount;
    }

    /** Plane (0-based depth index) of ROI {@code roi}. */
    public int plane(final int roi) {
        return roiPlane[roi];
    }

    /** Number of cell pixels over all ROIs. */
    public int pixelCount() {
        return pixelIndices.length;
    }

    /** Number of neuropil pixels over all ROIs. */
    public int neuropilPixelCount() {
        return neuropilIndices.length;
    }

    /** First entry of ROI {@code roi} in the pixel arrays. */
    public int pixelStart(final int roi) {
        return pixelOffsets[roi];
    }

    /** One past the last entry of ROI {@code roi} in the pixel arrays. */
    public int pixelEnd(final int roi) {
        return pixelOffsets[roi + 1];
    }

    /** Number of pixels of ROI {@code roi}. */
    public int pixelCount(final int roi) {
        return pixelOffsets[roi + 1] - pixelOffsets[roi];
    }

    /** Pixel index (in the ROI's plane, row-major) of entry {@code entry}. */
    public int pixelIndex(final int entry) {
        return pixelIndices[entry];
    }

    /** Weight of entry {@code entry}. */
    public float pixelWeight(final int entry) {
        return pixelWeights[entry];
    }

    /** First entry of ROI {@code roi} in the neuropil arrays. */
    public int neuropilStart(final int roi) {
        return neuropilOffsets[roi];
    }

    /** One past the last entry of ROI {@code roi} in the neuropil arrays. */
    public int neuropilEnd(final int roi) {
        return neuropilOffsets[roi + 1];
    }

    /** Number of neuropil pixels of ROI {@code roi} (each weighs 1 / this). */
    public int neuropilCount(final int roi) {
        return neuropilOffsets[roi + 1] - neuropilOffsets[roi];
    }

    /** Neuropil pixel index (in the ROI's plane, row-major) of entry {@code entry}. */
    public int neuropilIndex(final int entry) {
        return neuropilIndices[entry];
    }

    /** Probability in [0, 1] that ROI {@code roi} is a cell (suite2p iscell column 1). */
    public float cellProbability(final int roi) {
        return cellProbability[roi];
    }

    /** Statistics of ROI {@code roi}. */
    public RoiStats stats(final int roi) {
        return stats[roi];
    }

    /** Copy of the per-ROI planes. */
    public int[] planes() {
        return roiPlane.clone();
    }

    /** Copy of the pixel offsets (length roiCount + 1). */
    public int[] pixelOffsets() {
        return pixelOffsets.clone();
    }

    /** Copy of all pixel indices. */
    public int[] pixelIndices() {
        return pixelIndices.clone();
    }

    /** Copy of all pixel weights. */
    public float[] pixelWeights() {
        return pixelWeights.clone();
    }

    /** Copy of the neuropil offsets (length roiCount + 1). */
    public int[] neuropilOffsets() {
        return neuropilOffsets.clone();
    }

    /** Copy of all neuropil pixel indices. */
    public int[] neuropilIndices() {
        return neuropilIndices.clone();
    }

    /** Copy of the cell probabilities. */
    public float[] cellProbabilities() {
        return cellProbability.clone();
    }

    /** Puts the pixel offsets into {@code dst} (e.g. a direct buffer for upload) at its position. */
    public void copyPixelOffsets(final IntBuffer dst) {
        dst.put(pixelOffsets);
    }

    /** Puts all pixel indices into {@code dst} at its position. */
    public void copyPixelIndices(final IntBuffer dst) {
        dst.put(pixelIndices);
    }

    /** Puts all pixel weights into {@code dst} at its position. */
    public void copyPixelWeights(final FloatBuffer dst) {
        dst.put(pixelWeights);
    }

    /** Puts the neuropil offsets into {@code dst} at its position. */
    public void copyNeuropilOffsets(final IntBuffer dst) {
        dst.put(neuropilOffsets);
    }

    /** Puts all neuropil indices into {@code dst} at its position. */
    public void copyNeuropilIndices(final IntBuffer dst) {
        dst.put(neuropilIndices);
    }

    /** Pixel indices of ROI {@code roi} (a copy). */
    public int[] roiPixels(final int roi) {
        return Arrays.copyOfRange(pixelIndices, pixelOffsets[roi], pixelOffsets[roi + 1]);
    }

    /** Weights of ROI {@code roi} (a copy). */
    public float[] roiWeights(final int roi) {
        return Arrays.copyOfRange(pixelWeights, pixelOffsets[roi], pixelOffsets[roi + 1]);
    }

    /** Neuropil pixel indices of ROI {@code roi} (a copy). */
    public int[] roiNeuropil(final int roi) {
        return Arrays.copyOfRange(neuropilIndices, neuropilOffsets[roi], neuropilOffsets[roi + 1]);
    }

    /** ROI ids (ascending) whose cell probability is at least {@code threshold}. */
    public int[] cells(final double threshold) {
        return java.util.stream.IntStream.range(0, roiCount()).filter(r -> cellProbability[r] >= threshold).toArray();
    }

    /** ROI ids (ascending) on plane {@code plane}. */
    public int[] roisOnPlane(final int plane) {
        return java.util.stream.IntStream.range(0, roiCount()).filter(r -> roiPlane[r] == plane).toArray();
    }

    /**
     * The ROIs {@code keep} (ascending or not; kept in the given order, which becomes the new ids), with their
     * pixels, neuropil, statistics and probabilities unchanged.
     */
    public Footprints select(final int[] keep) {
        Objects.requireNonNull(keep, "keep");
        final int n = keep.length;
        final int[] plane = new int[n];
        final int[] po = new int[n + 1];
        final int[] no = new int[n + 1];
        final float[] prob = new float[n];
        final RoiStats[] st = new RoiStats[n];
        for (int i = 0; i < n; i++) {
            final int r = keep[i];
            if (r < 0 || r >= roiCount()) {
                throw new IllegalArgumentException("ROI id " + r + " out of range [0, " + roiCount() + ")");
            }
            plane[i] = roiPlane[r];
            po[i + 1] = po[i] + pixelCount(r);
            no[i + 1] = no[i] + neuropilCount(r);
            prob[i] = cellProbability[r];
            st[i] = stats[r];
        }
        final int[] pi = new int[po[n]];
        final float[] pw = new float[po[n]];
        final int[] ni = new int[no[n]];
        for (int i = 0; i < n; i++) {
            final int r = keep[i];
            System.arraycopy(pixelIndices, pixelOffsets[r], pi, po[i], pixelCount(r));
            System.arraycopy(pixelWeights, pixelOffsets[r], pw, po[i], pixelCount(r));
            System.arraycopy(neuropilIndices, neuropilOffsets[r], ni, no[i], neuropilCount(r));
        }
        return new Footprints(planeWidth, planeHeight, planeCount, plane, po, pi, pw, no, ni, prob, st);
    }

    /** Host bytes held by the arrays (for memory reports). */
    public long sizeInBytes() {
        return 4L * (roiPlane.length + pixelOffsets.length + pixelIndices.length + pixelWeights.length
                + neuropilOffsets.length + neuropilIndices.length + cellProbability.length)
                + (long) stats.length * RoiStats.BYTES;
    }

    @Override
    public String toString() {
        return "Footprints[" + roiCount() + " ROIs on " + planeCount + " planes of " + planeWidth + " x "
                + planeHeight + ", " + pixelCount() + " pixels, " + neuropilPixelCount() + " neuropil pixels]";
    }
}
