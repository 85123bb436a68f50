package org.beadstream.traces;

import java.util.Random;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.footprint.NeuropilParameters;

/** Small footprints for tests: disks of radius 3 at random places. */
public final class TestFootprints {

    private TestFootprints() {
    }

    /** {@code perPlane} disk ROIs on each of {@code planes} planes of width x height, neuropil of 60 pixels. */
    public static Footprints disks(final int width, final int height, final int planes, final int perPlane,
                                   final long seed) {
        final Random rnd = new Random(seed);
        final FootprintsBuilder b = new FootprintsBuilder(width, height, planes);
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < perPlane; i++) {
                final int cx = 4 + rnd.nextInt(width - 8);
                final int cy = 4 + rnd.nextInt(height - 8);
                final int[] px = new int[37];
                final float[] w = new float[37];
                int n = 0;
                for (int dy = -3; dy <= 3; dy++) {
                    for (int dx = -3; dx <= 3; dx++) {
                        if (dx * dx + dy * dy <= 10 && n < px.length) {
                            px[n] = (cy + dy) * width + cx + dx;
                            w[n] = (float) Math.exp(-(dx * dx + dy * dy) / 8.0);
                            n++;
                        }
                    }
                }
                b.addRoi(p, java.util.Arrays.copyOf(px, n), java.util.Arrays.copyOf(w, n));
            }
        }
        return b.neuropil(new NeuropilParameters(1, 60, 15)).build();
    }
}
