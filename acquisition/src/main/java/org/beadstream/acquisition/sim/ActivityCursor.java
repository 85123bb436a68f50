package org.beadstream.acquisition.sim;

import java.util.Arrays;

/**
 * Streams the activity of all neurons volume by volume: holds the calcium state and the current dF/F of every neuron.
 * Moving forward costs one step per volume; moving back restarts from volume 0.
 *
 * <p>Not thread-safe: one per source or guarded by its owner.
 */
final class ActivityCursor {

    private final ActivityModel model;
    private final int n;
    private final float[] a;
    private final float[] b;
    private final float[] dff;
    private long volume = -1;

    ActivityCursor(final ActivityModel model, final int neurons) {
        this.model = model;
        this.n = neurons;
        this.a = new float[neurons];
        this.b = new float[neurons];
        this.dff = new float[neurons];
    }

    /** Makes {@link #dff()} hold volume {@code v}. */
    void advanceTo(final long v) {
        if (v < volume) {
            Arrays.fill(a, 0f);
            Arrays.fill(b, 0f);
            Arrays.fill(dff, 0f);
            volume = -1;
        }
        while (volume < v) {
            volume++;
            model.step(0, n, volume, a, b, dff, null);
        }
    }

    /** dF/F of every neuron at the current volume. */
    float[] dff() {
        return dff;
    }

    long volume() {
        return volume;
    }
}
