package org.beadstream.traces.extract;

import org.beadstream.gpu.kernels.extraction.ExtractTracesReference;

/**
 * Trace extraction in plain Java on the calling thread: {@link ExtractTracesReference} over {@link PackedFootprints}.
 * The reference for {@link OpenClTraceExtractor} and the fallback without an OpenCL device.
 *
 * <p>Not thread-safe.
 */
public final class CpuTraceExtractor implements TraceExtractor {

    private final PackedFootprints fp;

    /** An extractor for these footprints. */
    public CpuTraceExtractor(final PackedFootprints footprints) {
        this.fp = footprints;
    }

    @Override
    public int rois() {
        return fp.rois();
    }

    @Override
    public void extract(final float[] volume, final float[] fOut, final float[] fneuOut) {
        final long need = (long) fp.planeCount() * fp.planePixels();
        if (volume.length < need) {
            throw new IllegalArgumentException("volume must hold " + need + " pixels (" + fp.planeCount()
                    + " planes of " + fp.planePixels() + "), had " + volume.length);
        }
        if (fOut.length < fp.rois() || fneuOut.length < fp.rois()) {
            throw new IllegalArgumentException("outputs must hold " + fp.rois() + " values, had " + fOut.length
                    + " and " + fneuOut.length);
        }
        ExtractTracesReference.apply(volume, fp.planePixels(), fp.rois(), fp.roiPlaneArray(),
                fp.cellOffsetsArray(), fp.cellPackedArray(), fp.cellScaleArray(), fp.npOffsetsArray(),
                fp.npRunsArray(), fp.npInvCountArray(), fOut, fneuOut);
    }

    @Override
    public void close() {
        // nothing held
    }
}
