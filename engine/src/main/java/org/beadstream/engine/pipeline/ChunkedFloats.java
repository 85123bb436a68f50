package org.beadstream.engine.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only column of floats stored in fixed chunks, so that per-volume values (shifts, correlations) can be
 * kept for a run of any length while allocating only once every {@value #CHUNK} values. Not thread-safe.
 */
final class ChunkedFloats {

    static final int CHUNK = 4096;

    private final List<float[]> chunks = new ArrayList<>();
    private long size;

    void add(final float v) {
        final int at = (int) (size % CHUNK);
        if (at == 0) {
            chunks.add(new float[CHUNK]);
        }
        chunks.get(chunks.size() - 1)[at] = v;
        size++;
    }

    long size() {
        return size;
    }

    float get(final long i) {
        return chunks.get((int) (i / CHUNK))[(int) (i % CHUNK)];
    }

    float[] toArray() {
        final float[] out = new float[Math.toIntExact(size)];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }
}
