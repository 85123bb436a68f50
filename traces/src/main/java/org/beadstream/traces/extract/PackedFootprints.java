package org.beadstream.traces.extract;

import java.util.Arrays;
import org.beadstream.segmentation.footprint.Footprints;

/**
 * Footprints packed for extraction, the layout kernel {@code extract_traces} reads (drawn in
 * {@link org.beadstream.gpu.kernels.extraction.ExtractTracesReference}):
 * <ul>
 *   <li>cell pixels: one 32-bit word each, a 20-bit pixel index in the ROI's plane and a 12-bit weight quantised
 *       against the ROI's largest weight ({@code w = q * scale}, relative step 1/4095 of the peak weight); entries
 *       whose weight rounds to 0 are dropped;</li>
 *   <li>neuropil: the annulus as horizontal runs, one 32-bit word each (20-bit start, 12-bit length), and
 *       1 / pixel count per ROI.</li>
 * </ul>
 * For ROIs of about 100 pixels with 350-pixel annuli (about 50 runs) that is about 0.6 kB per ROI, 0.6 GB for
 * 1e6 ROIs, against 2.3 kB per ROI for int index + float weight lists.
 *
 * <p>Immutable once built (arrays are not exposed for writing except through the copy-free accessors used for
 * upload, which callers must not modify); thread-safe to read.
 */
public final class PackedFootprints {

    /** Largest plane (pixels) the 20-bit index addresses. */
    public static final int MAX_PLANE_PIXELS = 1 << 20;

    private final int planeWidth;
    private final int planePixels;
    private final int planeCount;
    private final int rois;
    private final int[] roiPlane;
    private final int[] cellOffsets;
    private final int[] cellPacked;
    private final float[] cellScale;
    private final int[] npOffsets;
    private final int[] npRuns;
    private final float[] npInvCount;

    private PackedFootprints(final int planeWidth, final int planePixels, final int planeCount, final int[] roiPlane,
                             final int[] cellOffsets, final int[] cellPacked, final float[] cellScale,
                             final int[] npOffsets, final int[] npRuns, final float[] npInvCount) {
        this.planeWidth = planeWidth;
        this.planePixels = planePixels;
        this.planeCount = planeCount;
        this.rois = roiPlane.length;
        this.roiPlane = roiPlane;
        this.cellOffsets = cellOffsets;
        this.cellPacked = cellPacked;
        this.cellScale = cellScale;
        this.npOffsets = npOffsets;
        this.npRuns = npRuns;
        this.npInvCount = npInvCount;
    }

    /** Packs segmentation's footprints (done once at pipeline start). */
    public static PackedFootprints of(final Footprints fp) {
        return pack(fp.planeWidth(), fp.planeHeight(), fp.planeCount(), fp.planes(), fp.pixelOffsets(),
                fp.pixelIndices(), fp.pixelWeights(), fp.neuropilOffsets(), fp.neuropilIndices());
    }

    /**
     * Packs footprints given as CSR arrays (the layout of {@link Footprints}).
     *
     * @param roiPlane plane per ROI
     * @param pixelOffsets ROI r's pixels are [pixelOffsets[r], pixelOffsets[r + 1])
     * @param pixelIndices y * width + x in the ROI's plane
     * @param pixelWeights non-negative weights
     * @param neuropilOffsets ROI r's neuropil pixels are [neuropilOffsets[r], neuropilOffsets[r + 1])
     * @param neuropilIndices y * width + x, any order, no duplicates
     * @throws IllegalArgumentException naming the ROI and the entry that is out of range
     */
    public static PackedFootprints pack(final int width, final int height, final int planeCount,
                                        final int[] roiPlane, final int[] pixelOffsets, final int[] pixelIndices,
                                        final float[] pixelWeights, final int[] neuropilOffsets,
                                        final int[] neuropilIndices) {
        if (width < 1 || height < 1 || (long) width * height > MAX_PLANE_PIXELS) {
            throw new IllegalArgumentException("plane " + width + " x " + height + " exceeds the packed layout's "
                    + MAX_PLANE_PIXELS + "-pixel (20-bit index) limit or is empty");
        }
        if (planeCount < 1 || (long) planeCount * width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("plane count must be >= 1 and the volume must index with an int, was "
                    + planeCount + " planes");
        }
        final int n = roiPlane.length;
        if (pixelOffsets.length != n + 1 || neuropilOffsets.length != n + 1) {
            throw new IllegalArgumentException("offset arrays must hold " + (n + 1) + " entries for " + n
                    + " ROIs, had " + pixelOffsets.length + " and " + neuropilOffsets.length);
        }
        final int planePixels = width * height;
        final int[] cellOffsets = new int[n + 1];
        final int[] packed = new int[pixelOffsets[n]];
        final float[] scale = new float[n];
        int out = 0;
        for (int r = 0; r < n; r++) {
            if (roiPlane[r] < 0 || roiPlane[r] >= planeCount) {
                throw new IllegalArgumentException("ROI " + r + ": plane " + roiPlane[r] + " outside [0, "
                        + planeCount + ")");
            }
            float max = 0f;
            for (int e = pixelOffsets[r]; e < pixelOffsets[r + 1]; e++) {
                final float w = pixelWeights[e];
                if (!(w >= 0) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("ROI " + r + ": weight " + w + " at entry " + e
                            + " is not finite and >= 0");
                }
                max = Math.max(max, w);
            }
            scale[r] = max / 4095f;
            for (int e = pixelOffsets[r]; e < pixelOffsets[r + 1]; e++) {
                final int idx = pixelIndices[e];
                if (idx < 0 || idx >= planePixels) {
                    throw new IllegalArgumentException("ROI " + r + ": pixel index " + idx + " outside the plane of "
                            + planePixels + " pixels");
                }
                final int q = max > 0 ? Math.round(pixelWeights[e] / max * 4095f) : 0;
                if (q > 0) {
                    packed[out++] = idx << 12 | q;
                }
            }
            cellOffsets[r + 1] = out;
        }
        final int[] npOffsetsOut = new int[n + 1];
        final float[] invCount = new float[n];
        int[] runs = new int[Math.max(16, neuropilIndices.length / 4)];
        int nr = 0;
        for (int r = 0; r < n; r++) {
            final int[] idx = Arrays.copyOfRange(neuropilIndices, neuropilOffsets[r], neuropilOffsets[r + 1]);
            Arrays.sort(idx);
            invCount[r] = idx.length == 0 ? 0f : 1f / idx.length;
            int i = 0;
            while (i < idx.length) {
                final int start = idx[i];
                if (start < 0 || start >= planePixels) {
                    throw new IllegalArgumentException("ROI " + r + ": neuropil index " + start
                            + " outside the plane of " + planePixels + " pixels");
                }
                if (i > 0 && idx[i - 1] == start) {
                    throw new IllegalArgumentException("ROI " + r + ": neuropil index " + start + " given twice");
                }
                final int row = start / width;
                int len = 1;
                while (i + len < idx.length && idx[i + len] == start + len && (start + len) / width == row
                        && len < 4095) {
                    len++;
                }
                if (nr == runs.length) {
                    runs = Arrays.copyOf(runs, runs.length * 2);
                }
                runs[nr++] = start << 12 | len;
                i += len;
            }
            npOffsetsOut[r + 1] = nr;
        }
        return new PackedFootprints(width, planePixels, planeCount, roiPlane.clone(), cellOffsets,
                Arrays.copyOf(packed, out), scale, npOffsetsOut, Arrays.copyOf(runs, nr), invCount);
    }

    /** Number of ROIs. */
    public int rois() {
        return rois;
    }

    /** Plane width in pixels. */
    public int planeWidth() {
        return planeWidth;
    }

    /** Pixels per plane. */
    public int planePixels() {
        return planePixels;
    }

    /** Planes per volume. */
    public int planeCount() {
        return planeCount;
    }

    /** Packed cell entries. */
    public int cellEntries() {
        return cellPacked.length;
    }

    /** Neuropil runs. */
    public int neuropilRuns() {
        return npRuns.length;
    }

    /** Bytes of the packed arrays (what the device reads per volume, besides the planes). */
    public long bytes() {
        return 4L * (roiPlane.length + cellOffsets.length + cellPacked.length + cellScale.length + npOffsets.length
                + npRuns.length + npInvCount.length);
    }

    // Copy-free accessors for upload and the reference; callers must not modify the arrays.

    int[] roiPlaneArray() {
        return roiPlane;
    }

    int[] cellOffsetsArray() {
        return cellOffsets;
    }

    int[] cellPackedArray() {
        return cellPacked;
    }

    float[] cellScaleArray() {
        return cellScale;
    }

    int[] npOffsetsArray() {
        return npOffsets;
    }

    int[] npRunsArray() {
        return npRuns;
    }

    float[] npInvCountArray() {
        return npInvCount;
    }
}
