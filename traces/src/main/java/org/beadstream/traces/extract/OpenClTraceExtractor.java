package org.beadstream.traces.extract;

import org.beadstream.gpu.kernels.extraction.ExtractRowPrefixKernel;
import org.beadstream.gpu.kernels.extraction.ExtractTracesKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Trace extraction on an OpenCL device: the packed footprints are uploaded once; per volume one launch of
 * {@code extract_traces} over every ROI of every plane, then F and Fneu come back (8 bytes per ROI).
 *
 * <p>Neuropil: read pixel by pixel, or (rowPrefix) from row prefix sums made per volume by
 * {@code extract_row_prefix}, two reads per annulus run instead of one per pixel (a 336-pixel annulus is 42 runs);
 * Fneu then differs from the pixel-by-pixel sum by float rounding of row sums (about 1e-5 relative).
 *
 * <p>The volume may already be on the device (motion correction's output, {@link #extract(DeviceBuffer)}); from
 * the host, {@link #extract(float[], float[], float[])} uploads it into a buffer made once.
 *
 * <p>Not thread-safe: one extraction thread, with its own queue.
 */
public final class OpenClTraceExtractor implements TraceExtractor {

    private final PackedFootprints fp;
    private final CommandQueue queue;
    private final ExtractTracesKernel kernel;
    private final ExtractRowPrefixKernel prefixKernel;
    private final DeviceBuffer prefix;
    private final DeviceBuffer volume;
    private final DeviceBuffer roiPlane;
    private final DeviceBuffer cellOffsets;
    private final DeviceBuffer cellPacked;
    private final DeviceBuffer cellScale;
    private final DeviceBuffer npOffsets;
    private final DeviceBuffer npRuns;
    private final DeviceBuffer npInvCount;
    private final DeviceBuffer f;
    private final DeviceBuffer fneu;

    /**
     * Uploads the footprints and builds the kernel.
     *
     * @param cl the runtime (shared; not closed by this extractor)
     * @param queue the queue of the extraction thread
     * @param footprints packed footprints
     * @param lanes work-items per ROI (1 on CPU devices, 32 on GPUs)
     */
    public OpenClTraceExtractor(final OpenClRuntime cl, final CommandQueue queue, final PackedFootprints footprints,
                                final int lanes) {
        this(cl, queue, footprints, lanes, false);
    }

    /**
     * Uploads the footprints and builds the kernels.
     *
     * @param rowPrefix sum neuropil runs from row prefix sums (one extra pass over the volume, far fewer reads)
     */
    public OpenClTraceExtractor(final OpenClRuntime cl, final CommandQueue queue, final PackedFootprints footprints,
                                final int lanes, final boolean rowPrefix) {
        this.fp = footprints;
        this.queue = queue;
        this.kernel = new ExtractTracesKernel(cl, lanes, rowPrefix);
        this.prefixKernel = rowPrefix ? new ExtractRowPrefixKernel(cl) : null;
        this.prefix = rowPrefix ? cl.buffer("extract.rowPrefix", 4L * fp.planeCount()
                * (fp.planePixels() / fp.planeWidth()) * (fp.planeWidth() + 1)) : null;
        final long n = Math.max(1, fp.rois());
        this.volume = cl.buffer("extract.volume", 4L * fp.planeCount() * fp.planePixels());
        this.roiPlane = upload(cl, "extract.roiPlane", fp.roiPlaneArray());
        this.cellOffsets = upload(cl, "extract.cellOffsets", fp.cellOffsetsArray());
        this.cellPacked = upload(cl, "extract.cellPacked", fp.cellPackedArray());
        this.cellScale = upload(cl, "extract.cellScale", fp.cellScaleArray());
        this.npOffsets = upload(cl, "extract.npOffsets", fp.npOffsetsArray());
        this.npRuns = upload(cl, "extract.npRuns", fp.npRunsArray());
        this.npInvCount = upload(cl, "extract.npInvCount", fp.npInvCountArray());
        this.f = cl.buffer("extract.F", 4 * n);
        this.fneu = cl.buffer("extract.Fneu", 4 * n);
    }

    private DeviceBuffer upload(final OpenClRuntime cl, final String name, final int[] data) {
        final DeviceBuffer b = cl.buffer(name, 4L * Math.max(1, data.length));
        if (data.length > 0) {
            b.upload(queue, data);
        }
        return b;
    }

    private DeviceBuffer upload(final OpenClRuntime cl, final String name, final float[] data) {
        final DeviceBuffer b = cl.buffer(name, 4L * Math.max(1, data.length));
        if (data.length > 0) {
            b.upload(queue, data);
        }
        return b;
    }

    @Override
    public int rois() {
        return fp.rois();
    }

    /** The device buffer {@link #extract(float[], float[], float[])} uploads volumes into. */
    public DeviceBuffer volumeBuffer() {
        return volume;
    }

    @Override
    public void extract(final float[] hostVolume, final float[] fOut, final float[] fneuOut) {
        final long need = (long) fp.planeCount() * fp.planePixels();
        if (hostVolume.length < need) {
            throw new IllegalArgumentException("volume must hold " + need + " pixels (" + fp.planeCount()
                    + " planes of " + fp.planePixels() + "), had " + hostVolume.length);
        }
        volume.upload(queue, hostVolume, 0, (int) need, 0);
        extract(volume);
        download(fOut, fneuOut);
    }

    /** Enqueues extraction from a volume already on the device (results stay there until {@link #download}). */
    public void extract(final DeviceBuffer deviceVolume) {
        final long need = 4L * fp.planeCount() * fp.planePixels();
        if (deviceVolume.bytes() < need) {
            throw new IllegalArgumentException("device volume " + deviceVolume.name() + " holds "
                    + deviceVolume.bytes() + " bytes, need " + need);
        }
        if (prefixKernel != null) {
            prefixKernel.run(queue, deviceVolume, fp.planeWidth(), fp.planeCount() * (fp.planePixels()
                    / fp.planeWidth()), prefix);
            kernel.run(queue, deviceVolume, fp.planePixels(), fp.rois(), roiPlane, cellOffsets, cellPacked,
                    cellScale, npOffsets, npRuns, npInvCount, f, fneu, prefix, fp.planeWidth());
        } else {
            kernel.run(queue, deviceVolume, fp.planePixels(), fp.rois(), roiPlane, cellOffsets, cellPacked,
                    cellScale, npOffsets, npRuns, npInvCount, f, fneu);
        }
    }

    /** Downloads the last extraction's F and Fneu (blocks until done). */
    public void download(final float[] fOut, final float[] fneuOut) {
        if (fOut.length < fp.rois() || fneuOut.length < fp.rois()) {
            throw new IllegalArgumentException("outputs must hold " + fp.rois() + " values, had " + fOut.length
                    + " and " + fneuOut.length);
        }
        if (fp.rois() == 0) {
            return;
        }
        f.download(queue, 0, fOut, 0, fp.rois());
        fneu.download(queue, 0, fneuOut, 0, fp.rois());
    }

    @Override
    public void close() {
        kernel.close();
        if (prefixKernel != null) {
            prefixKernel.close();
            prefix.close();
        }
        for (final DeviceBuffer b : new DeviceBuffer[] {volume, roiPlane, cellOffsets, cellPacked, cellScale,
            npOffsets, npRuns, npInvCount, f, fneu}) {
            b.close();
        }
    }
}
