package org.beadstream.gpu.kernels;

/**
 * Plain-Java reference of {@code fft_lines} and {@link Fft2d}: the same transforms in double precision (iterative
 * radix-2), on interleaved complex float arrays ({@code re, im, re, im, ...}). Also used on the host for one-off
 * transforms (template spectra). Stateless and thread-safe.
 */
public final class FftReference {

    private FftReference() {
    }

    /** The twiddle table of {@code fft_lines}: {@code exp(-2 pi i k / n)}, interleaved, k &lt; n. */
    public static float[] twiddles(final int n) {
        final float[] t = new float[2 * n];
        for (int k = 0; k < n; k++) {
            final double a = -2 * Math.PI * k / n;
            t[2 * k] = (float) Math.cos(a);
            t[2 * k + 1] = (float) Math.sin(a);
        }
        return t;
    }

    /**
     * Transforms {@code batches * linesPerBatch} lines of length {@code n} in place; strides in complex elements, as
     * for the kernel.
     */
    public static void lines(final float[] data, final int n, final int lineStride, final int elemStride,
            final int linesPerBatch, final int batchStride, final int batches, final boolean inverse,
            final float scale) {
        final double[] re = new double[n];
        final double[] im = new double[n];
        final double[] cos = new double[n / 2];
        final double[] sin = new double[n / 2];
        table(n, cos, sin);
        for (int b = 0; b < batches; b++) {
            for (int l = 0; l < linesPerBatch; l++) {
                final long base = (long) b * batchStride + (long) l * lineStride;
                for (int i = 0; i < n; i++) {
                    final int p = (int) (2 * (base + (long) i * elemStride));
                    re[i] = data[p];
                    im[i] = data[p + 1];
                }
                fft(re, im, inverse, cos, sin);
                final double sc = inverse ? scale : 1.0;
                for (int i = 0; i < n; i++) {
                    final int p = (int) (2 * (base + (long) i * elemStride));
                    data[p] = (float) (re[i] * sc);
                    data[p + 1] = (float) (im[i] * sc);
                }
            }
        }
    }

    /** In-place 2-D transform of {@code batches} consecutive {@code h x w} arrays (inverse normalised). */
    public static void fft2d(final float[] data, final int h, final int w, final int batches, final boolean inverse) {
        if (!inverse) {
            lines(data, w, w, 1, h, h * w, batches, false, 1f);
            lines(data, h, 1, w, w, h * w, batches, false, 1f);
        } else {
            lines(data, h, 1, w, w, h * w, batches, true, 1f / h);
            lines(data, w, w, 1, h, h * w, batches, true, 1f / w);
        }
    }

    /** In-place double-precision FFT (length a power of two); inverse is unscaled with the +i sign. */
    public static void fft(final double[] re, final double[] im, final boolean inverse) {
        final double[] cos = new double[re.length / 2];
        final double[] sin = new double[re.length / 2];
        table(re.length, cos, sin);
        fft(re, im, inverse, cos, sin);
    }

    private static void table(final int n, final double[] cos, final double[] sin) {
        for (int k = 0; k < n / 2; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / n);
            sin[k] = Math.sin(2 * Math.PI * k / n);
        }
    }

    private static void fft(final double[] re, final double[] im, final boolean inverse, final double[] cos,
            final double[] sin) {
        final int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        final double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            final int half = len >> 1;
            final int stride = n / len;
            for (int k = 0; k < half; k++) {
                // exp(sign * 2 pi i k / len) = cos(2 pi k stride / n) + sign * i sin(...)
                final double wr = cos[k * stride];
                final double wi = sign * sin[k * stride];
                for (int i = k; i < n; i += len) {
                    final int j = i + half;
                    final double xr = re[j] * wr - im[j] * wi;
                    final double xi = re[j] * wi + im[j] * wr;
                    re[j] = re[i] - xr;
                    im[j] = im[i] - xi;
                    re[i] += xr;
                    im[i] += xi;
                }
            }
        }
    }
}
