package org.beadstream.gpu.kernels;

/**
 * Plain-Java reference of kernel {@code taper_pack} (same arguments, host arrays; frames as float, int16 values
 * converted exactly). Also holds the taper shape shared with the host code. Stateless and thread-safe.
 */
public final class TaperPackReference {

    private TaperPackReference() {
    }

    /**
     * suite2p's spatial taper along one axis of length {@code n}: a logistic edge of width {@code sigma} pixels,
     * 1/2 at {@code 2 sigma} from the centre-relative half-width: {@code 1 / (1 + exp((|i - c| - (c - 2 sigma)) /
     * sigma))}, {@code c = (n - 1) / 2}.
     */
    public static float[] taper(final int n, final double sigma) {
        final float[] t = new float[n];
        final double c = (n - 1) / 2.0;
        for (int i = 0; i < n; i++) {
            t[i] = (float) (1.0 / (1.0 + Math.exp((Math.abs(i - c) - (c - 2 * sigma)) / sigma)));
        }
        return t;
    }

    /**
     * Packs blocks like the kernel.
     *
     * @param origins y, x per block of a frame (interleaved)
     * @param shifts  4 floats per frame (dy, dx, ...), used when {@code useShift}
     * @param taper   by + bx floats
     * @param out     2 * by * bx floats per pair
     * @param stats   4 floats per block
     */
    public static void run(final float[] frames, final int height, final int width, final int by, final int bx,
            final int blocksPerFrame, final int nMaps, final int[] origins, final float[] shifts,
            final boolean useShift, final float[] taper, final float[] out, final float[] stats) {
        final int pairs = (nMaps + 1) / 2;
        for (int q = 0; q < pairs; q++) {
            for (int h = 0; h < 2; h++) {
                final int m = 2 * q + h;
                final int base = q * by * bx * 2 + h;
                if (m >= nMaps) {
                    for (int i = 0; i < by * bx; i++) {
                        out[base + 2 * i] = 0f;
                    }
                    continue;
                }
                final int frame = m / blocksPerFrame;
                final int b = m % blocksPerFrame;
                int oy = origins[2 * b];
                int ox = origins[2 * b + 1];
                if (useShift) {
                    oy += (int) Math.rint(shifts[4 * frame]);
                    ox += (int) Math.rint(shifts[4 * frame + 1]);
                }
                final int f = frame * height * width;
                double sum = 0;
                int bad = 0;
                for (int iy = 0; iy < by; iy++) {
                    for (int ix = 0; ix < bx; ix++) {
                        final float v = frames[f + clamp(oy + iy, height) * width + clamp(ox + ix, width)];
                        if (Float.isFinite(v)) {
                            sum += v;
                        } else {
                            bad++;
                        }
                    }
                }
                final float mean = bad < by * bx ? (float) (sum / (by * bx - bad)) : 0f;
                double ss = 0;
                for (int iy = 0; iy < by; iy++) {
                    for (int ix = 0; ix < bx; ix++) {
                        float v = frames[f + clamp(oy + iy, height) * width + clamp(ox + ix, width)];
                        v = Float.isFinite(v) ? v - mean : 0f;
                        ss += (double) v * v;
                        out[base + 2 * (iy * bx + ix)] = v * (taper[iy] * taper[by + ix]);
                    }
                }
                stats[4 * m] = mean;
                stats[4 * m + 1] = (float) Math.sqrt(ss / (by * bx));
                stats[4 * m + 2] = bad;
                stats[4 * m + 3] = 0f;
            }
        }
    }

    private static int clamp(final int v, final int n) {
        return v < 0 ? 0 : v >= n ? n - 1 : v;
    }
}
