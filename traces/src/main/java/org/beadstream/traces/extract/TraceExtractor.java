package org.beadstream.traces.extract;

/**
 * Extracts F (weighted footprint mean) and Fneu (neuropil annulus mean) of every ROI from one motion-corrected volume.
 *
 * <p>Implementations make every buffer at construction and allocate nothing per volume. Not thread-safe unless an
 * implementation says otherwise: one extraction thread.
 */
public interface TraceExtractor extends AutoCloseable {

    /** Number of ROIs (length of the outputs). */
    int rois();

    /**
     * Extracts one volume.
     *
     * @param volume planes of float pixels, plane after plane, row-major ({@code planeCount * planePixels} values)
     * @param fOut receives F per ROI
     * @param fneuOut receives Fneu per ROI
     */
    void extract(float[] volume, float[] fOut, float[] fneuOut);

    /** Releases device buffers, if any. */
    @Override
    void close();
}
