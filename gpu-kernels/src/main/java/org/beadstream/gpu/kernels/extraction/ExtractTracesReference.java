package org.beadstream.gpu.kernels.extraction;

/**
 * Plain-Java reference of kernel {@code extract_traces}: F and neuropil of every ROI of one volume from packed
 * footprints.
 *
 * <pre>
 *   volume       float[planes * planePixels]   motion-corrected planes, row-major, plane after plane
 *   roiPlane     int[n]                        plane of ROI r
 *   cellOffsets  int[n + 1]                    ROI r's cell entries are [cellOffsets[r], cellOffsets[r + 1])
 *   cellPacked   int[nnz]   bits 31..12: pixel index in the plane (< 2^20)   bits 11..0: weight q (0..4095)
 *   cellScale    float[n]                      weight of entry = q * cellScale[r]
 *   npOffsets    int[n + 1]                    ROI r's neuropil runs are [npOffsets[r], npOffsets[r + 1])
 *   npRuns       int[runs]  bits 31..12: first pixel index   bits 11..0: run length (1..4095, within one row)
 *   npInvCount   float[n]                      1 / neuropil pixel count (0 when there is none)
 *
 *   F[r]    = cellScale[r] * sum q * volume[plane base + index]
 *   Fneu[r] = npInvCount[r] * sum over runs of volume[plane base + start .. + len)
 * </pre>
 * Sums run in float in entry order, as the kernel with LANES = 1 does. With row prefix sums
 * ({@link #applyWithRowPrefix}) each run adds {@code prefix[end] - prefix[start]} of its row instead.
 * Stateless and thread-safe.
 */
public final class ExtractTracesReference {

    private ExtractTracesReference() {
    }

    /** Computes F and Fneu for ROIs [0, nRois). */
    public static void apply(final float[] volume, final int planePixels, final int nRois, final int[] roiPlane,
                             final int[] cellOffsets, final int[] cellPacked, final float[] cellScale,
                             final int[] npOffsets, final int[] npRuns, final float[] npInvCount,
                             final float[] f, final float[] fneu) {
        for (int r = 0; r < nRois; r++) {
            final int base = roiPlane[r] * planePixels;
            float acc = 0f;
            for (int e = cellOffsets[r]; e < cellOffsets[r + 1]; e++) {
                final int p = cellPacked[e];
                acc += (float) (p & 0xFFF) * volume[base + (p >>> 12)];
            }
            float nacc = 0f;
            for (int e = npOffsets[r]; e < npOffsets[r + 1]; e++) {
                final int run = npRuns[e];
                final int start = base + (run >>> 12);
                final int len = run & 0xFFF;
                for (int k = 0; k < len; k++) {
                    nacc += volume[start + k];
                }
            }
            f[r] = acc * cellScale[r];
            fneu[r] = nacc * npInvCount[r];
        }
    }

    /**
     * As {@link #apply}, neuropil runs summed from row prefix sums ({@link ExtractRowPrefixReference}) of
     * {@code width}-pixel rows.
     */
    public static void applyWithRowPrefix(final float[] volume, final float[] prefix, final int width,
                                          final int planePixels, final int nRois, final int[] roiPlane,
                                          final int[] cellOffsets, final int[] cellPacked, final float[] cellScale,
                                          final int[] npOffsets, final int[] npRuns, final float[] npInvCount,
                                          final float[] f, final float[] fneu) {
        final int rowsPerPlane = planePixels / width;
        for (int r = 0; r < nRois; r++) {
            final int base = roiPlane[r] * planePixels;
            float acc = 0f;
            for (int e = cellOffsets[r]; e < cellOffsets[r + 1]; e++) {
                final int p = cellPacked[e];
                acc += (float) (p & 0xFFF) * volume[base + (p >>> 12)];
            }
            final int pre = roiPlane[r] * rowsPerPlane * (width + 1);
            float nacc = 0f;
            for (int e = npOffsets[r]; e < npOffsets[r + 1]; e++) {
                final int run = npRuns[e];
                final int start = run >>> 12;
                final int y = start / width;
                final int at = pre + y * (width + 1) + (start - y * width);
                nacc += prefix[at + (run & 0xFFF)] - prefix[at];
            }
            f[r] = acc * cellScale[r];
            fneu[r] = nacc * npInvCount[r];
        }
    }
}
