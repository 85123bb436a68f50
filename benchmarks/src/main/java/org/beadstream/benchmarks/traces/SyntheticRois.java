package org.beadstream.benchmarks.traces;

import java.util.SplittableRandom;
import org.beadstream.traces.extract.PackedFootprints;

/**
 * Benchmark footprints: ROIs spread evenly over the planes of a volume, each a disk of radius 5.6 px (97 px,
 * Gaussian weights) with a square annulus of about 350 neuropil pixels (inner gap 2 px), at random centres (they
 * overlap at high counts; only the data volume matters for speed). Not thread-safe; used in benchmark setup.
 */
final class SyntheticRois {

    private SyntheticRois() {
    }

    static PackedFootprints make(final int rois, final int planes, final int height, final int width,
                                 final long seed) {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final int[] dy = new int[128];
        final int[] dx = new int[128];
        final float[] w = new float[128];
        int k = 0;
        for (int y = -6; y <= 6; y++) {
            for (int x = -6; x <= 6; x++) {
                if (x * x + y * y <= 31) {
                    dy[k] = y;
                    dx[k] = x;
                    w[k] = (float) Math.exp(-(x * x + y * y) / 18.0);
                    k++;
                }
            }
        }
        final int cell = k;
        // annulus: Chebyshev distance 9..12 from the centre -> 25^2 - 17^2 = 336 pixels
        final int[] ny = new int[400];
        final int[] nx = new int[400];
        int m = 0;
        for (int y = -12; y <= 12; y++) {
            for (int x = -12; x <= 12; x++) {
                if (Math.max(Math.abs(x), Math.abs(y)) >= 9) {
                    ny[m] = y;
                    nx[m] = x;
                    m++;
                }
            }
        }
        final int annulus = m;
        final int[] plane = new int[rois];
        final int[] po = new int[rois + 1];
        final int[] pi = new int[rois * cell];
        final float[] pw = new float[rois * cell];
        final int[] no = new int[rois + 1];
        final int[] ni = new int[rois * annulus];
        for (int r = 0; r < rois; r++) {
            plane[r] = (int) ((long) r * planes / rois);
            final int cy = 12 + rnd.nextInt(height - 24);
            final int cx = 12 + rnd.nextInt(width - 24);
            for (int i = 0; i < cell; i++) {
                pi[r * cell + i] = (cy + dy[i]) * width + cx + dx[i];
                pw[r * cell + i] = w[i];
            }
            po[r + 1] = po[r] + cell;
            for (int i = 0; i < annulus; i++) {
                ni[r * annulus + i] = (cy + ny[i]) * width + cx + nx[i];
            }
            no[r + 1] = no[r] + annulus;
        }
        return PackedFootprints.pack(width, height, planes, plane, po, pi, pw, no, ni);
    }
}
