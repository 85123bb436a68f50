package org.beadstream.gpu.kernels.extraction;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code extract_traces} (sparse footprint products, F and neuropil per ROI, one launch per
 * volume). Layout of the buffers: {@link ExtractTracesReference}, which is also its CPU reference.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class ExtractTracesKernel implements AutoCloseable {

    /** Work-group size used for every launch. */
    public static final int LOCAL_SIZE = 256;

    private final ClKernel kernel;
    private final int lanes;
    private final boolean rowPrefix;

    /**
     * Builds the kernel, neuropil read pixel by pixel.
     *
     * @param lanes work-items per ROI: 1 for CPU devices, 32 for GPUs (a power of two, at most 256)
     */
    public ExtractTracesKernel(final OpenClRuntime cl, final int lanes) {
        this(cl, lanes, false);
    }

    /**
     * Builds the kernel.
     *
     * @param lanes work-items per ROI: 1 for CPU devices, 32 for GPUs (a power of two, at most 256)
     * @param rowPrefix true: neuropil runs are summed from row prefix sums ({@link ExtractRowPrefixKernel}), two
     *                  reads per run instead of one per pixel
     */
    public ExtractTracesKernel(final OpenClRuntime cl, final int lanes, final boolean rowPrefix) {
        if (lanes < 1 || lanes > LOCAL_SIZE || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("lanes per ROI must be a power of two in [1, " + LOCAL_SIZE
                    + "], was " + lanes);
        }
        this.lanes = lanes;
        this.rowPrefix = rowPrefix;
        final Defines d = Defines.of("LANES", lanes);
        this.kernel = cl.kernel("extract_traces", rowPrefix ? d.with("NEUROPIL_PREFIX") : d);
    }

    /** Whether neuropil runs are read from row prefix sums. */
    public boolean rowPrefix() {
        return rowPrefix;
    }

    /** Work-items per ROI. */
    public int lanes() {
        return lanes;
    }

    /**
     * Enqueues F and Fneu of ROIs [0, nRois) for the volume in {@code volume}.
     *
     * @param volume float planes, plane after plane
     * @param planePixels pixels per plane (&le; 2^20)
     * @param f output, nRois floats
     * @param fneu output, nRois floats
     */
    public void run(final CommandQueue q, final DeviceBuffer volume, final int planePixels, final int nRois,
                    final DeviceBuffer roiPlane, final DeviceBuffer cellOffsets, final DeviceBuffer cellPacked,
                    final DeviceBuffer cellScale, final DeviceBuffer npOffsets, final DeviceBuffer npRuns,
                    final DeviceBuffer npInvCount, final DeviceBuffer f, final DeviceBuffer fneu) {
        if (rowPrefix) {
            throw new IllegalStateException("kernel built for row prefix sums: pass the prefix buffer and width");
        }
        run(q, volume, planePixels, nRois, roiPlane, cellOffsets, cellPacked, cellScale, npOffsets, npRuns,
                npInvCount, f, fneu, volume, 1);
    }

    /**
     * As above, with the row prefix sums of the same volume (from {@link ExtractRowPrefixKernel}) and the plane
     * width; both are ignored unless the kernel was built with {@code rowPrefix}.
     */
    public void run(final CommandQueue q, final DeviceBuffer volume, final int planePixels, final int nRois,
                    final DeviceBuffer roiPlane, final DeviceBuffer cellOffsets, final DeviceBuffer cellPacked,
                    final DeviceBuffer cellScale, final DeviceBuffer npOffsets, final DeviceBuffer npRuns,
                    final DeviceBuffer npInvCount, final DeviceBuffer f, final DeviceBuffer fneu,
                    final DeviceBuffer prefix, final int width) {
        if (nRois == 0) {
            return;
        }
        if (width < 1 || planePixels % width != 0) {
            throw new IllegalArgumentException("plane width " + width + " does not divide the plane's "
                    + planePixels + " pixels");
        }
        kernel.arg(0, volume).arg(1, planePixels).arg(2, nRois).arg(3, roiPlane).arg(4, cellOffsets)
                .arg(5, cellPacked).arg(6, cellScale).arg(7, npOffsets).arg(8, npRuns).arg(9, npInvCount)
                .arg(10, f).arg(11, fneu).arg(12, prefix).arg(13, width);
        final long roisPerGroup = LOCAL_SIZE / lanes;
        final long groups = (nRois + roisPerGroup - 1) / roisPerGroup;
        kernel.launch(q, groups * LOCAL_SIZE, LOCAL_SIZE);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
