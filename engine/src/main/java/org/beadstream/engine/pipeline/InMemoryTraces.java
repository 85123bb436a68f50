package org.beadstream.engine.pipeline;

import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;

/**
 * A {@link TraceSink} that keeps F and dF/F of the first {@code maxRois} ROIs in memory (in chunks, so a long run
 * allocates only once every 4096 volumes per ROI), for the report's figures and the accuracy check against ground
 * truth. The files on disk remain the complete record. Not thread-safe: fed by the pipeline thread, read after it.
 */
public final class InMemoryTraces implements TraceSink {

    private final int kept;
    private final ChunkedFloats[] dff;
    private final ChunkedFloats[] f;

    /**
     * @param rois    ROIs in the run
     * @param maxRois keep at most this many (the first ones)
     */
    public InMemoryTraces(final int rois, final int maxRois) {
        if (rois < 0 || maxRois < 0) {
            throw new IllegalArgumentException("ROI counts must be >= 0, were " + rois + " and " + maxRois);
        }
        this.kept = Math.min(rois, maxRois);
        this.dff = new ChunkedFloats[kept];
        this.f = new ChunkedFloats[kept];
        for (int i = 0; i < kept; i++) {
            dff[i] = new ChunkedFloats();
            f[i] = new ChunkedFloats();
        }
    }

    @Override
    public void onVolume(final VolumeTraces traces) {
        if (!traces.hasTraces()) {
            return;
        }
        final float[] d = traces.dff();
        final float[] ff = traces.f();
        for (int i = 0; i < kept; i++) {
            dff[i].add(d[i]);
            f[i].add(ff[i]);
        }
    }

    /** ROIs kept. */
    public int rois() {
        return kept;
    }

    /** dF/F of every kept ROI, {@code [roi][volume]}. */
    public float[][] dff() {
        final float[][] out = new float[kept][];
        for (int i = 0; i < kept; i++) {
            out[i] = dff[i].toArray();
        }
        return out;
    }

    /** Raw F of every kept ROI, {@code [roi][volume]}. */
    public float[][] f() {
        final float[][] out = new float[kept][];
        for (int i = 0; i < kept; i++) {
            out[i] = f[i].toArray();
        }
        return out;
    }

    @Override
    public void close() {
        // nothing to release: the arrays stay readable after the run
    }
}
