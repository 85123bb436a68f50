package org.beadstream.segmentation.sessions;

/**
 * In-place complex 2D FFT on power-of-two sizes (iterative radix-2), for phase correlation of mean images. A plain
 * Java transform is enough here: registration runs once per session pair on a few images (a 1024 x 1024 transform
 * takes about 0.1 s), so no FFT library dependency is taken (see docs/segmentation.md).
 *
 * <p>Stateless; thread-safe.
 */
final class Fft2d {

    private Fft2d() {
    }

    static int nextPowerOfTwo(final int n) {
        int p = 1;
        while (p < n) {
            p <<= 1;
        }
        return p;
    }

    /** Transforms {@code re, im} (rows x cols, row-major) forward or inverse (inverse scales by 1 / (rows cols)). */
    static void transform(final double[] re, final double[] im, final int rows, final int cols, final boolean inverse) {
        final double[] r = new double[Math.max(rows, cols)];
        final double[] i = new double[Math.max(rows, cols)];
        for (int y = 0; y < rows; y++) {
            System.arraycopy(re, y * cols, r, 0, cols);
            System.arraycopy(im, y * cols, i, 0, cols);
            fft1d(r, i, cols, inverse);
            System.arraycopy(r, 0, re, y * cols, cols);
            System.arraycopy(i, 0, im, y * cols, cols);
        }
        for (int x = 0; x < cols; x++) {
            for (int y = 0; y < rows; y++) {
                r[y] = re[y * cols + x];
                i[y] = im[y * cols + x];
            }
            fft1d(r, i, rows, inverse);
            for (int y = 0; y < rows; y++) {
                re[y * cols + x] = r[y];
                im[y * cols + x] = i[y];
            }
        }
        if (inverse) {
            final double s = 1.0 / ((double) rows * cols);
            for (int k = 0; k < re.length; k++) {
                re[k] *= s;
                im[k] *= s;
            }
        }
    }

    static void fft1d(final double[] re, final double[] im, final int n, final boolean inverse) {
        if (Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT length must be a power of two, was " + n);
        }
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
        for (int len = 2; len <= n; len <<= 1) {
            final double ang = 2 * Math.PI / len * (inverse ? 1 : -1);
            final double wr = Math.cos(ang);
            final double wi = Math.sin(ang);
            for (int s = 0; s < n; s += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    final int a = s + k;
                    final int b = a + len / 2;
                    final double xr = re[b] * cr - im[b] * ci;
                    final double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    final double nr = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = nr;
                }
            }
        }
    }
}
