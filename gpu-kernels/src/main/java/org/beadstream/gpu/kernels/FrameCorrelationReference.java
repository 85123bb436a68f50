package org.beadstream.gpu.kernels;

/** Plain-Java reference of kernel {@code frame_correlation} (double precision). Stateless and thread-safe. */
public final class FrameCorrelationReference {

    private FrameCorrelationReference() {
    }

    /** Pearson correlation of each frame with the template over the interior; see the kernel for edge cases. */
    public static void run(final float[] frames, final float[] template, final int height, final int width,
            final int border, final float[] out, final int count) {
        for (int n = 0; n < count; n++) {
            double a = 0;
            double b = 0;
            double aa = 0;
            double bb = 0;
            double ab = 0;
            final int f = n * height * width;
            for (int y = border; y < height - border; y++) {
                for (int x = border; x < width - border; x++) {
                    final double o = frames[f + y * width + x];
                    final double t = template[y * width + x];
                    a += o;
                    b += t;
                    aa += o * o;
                    bb += t * t;
                    ab += o * t;
                }
            }
            final double c = (double) (height - 2 * border) * (width - 2 * border);
            final double mo = a / c;
            final double mt = b / c;
            final double vo = aa / c - mo * mo;
            final double vt = bb / c - mt * mt;
            final double cov = ab / c - mo * mt;
            out[n] = vo > 0 && vt > 0 ? (float) (cov / Math.sqrt(vo * vt)) : Double.isFinite(vo) ? 0f : Float.NaN;
        }
    }
}
