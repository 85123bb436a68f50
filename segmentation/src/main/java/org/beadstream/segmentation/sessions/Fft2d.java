package org.beadstream.segmentation.sessions;

import org.beadstream.gpu.kernels.FftReference;

/**
 * In-place complex 2D FFT on power-of-two sizes, for phase correlation of mean images, built on the gpu-kernels
 * module's double-precision CPU reference FFT. Plain Java is enough here: registration runs once per session pair on
 * a few images (a 1024 x 1024 transform takes about 0.1 s).
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

    /**
     * Transforms {@code re, im} (rows x cols, row-major) forward or inverse (inverse scales by 1 / (rows cols)), line by
     * line with the gpu-kernels module's CPU reference FFT ({@link FftReference#fft}).
     */
    static void transform(final double[] re, final double[] im, final int rows, final int cols, final boolean inverse) {
        if (Integer.bitCount(rows) != 1 || Integer.bitCount(cols) != 1) {
            throw new IllegalArgumentException("FFT sizes must be powers of two, were " + rows + " x " + cols);
        }
        final double[] r = new double[cols];
        final double[] i = new double[cols];
        for (int y = 0; y < rows; y++) {
            System.arraycopy(re, y * cols, r, 0, cols);
            System.arraycopy(im, y * cols, i, 0, cols);
            FftReference.fft(r, i, inverse);
            System.arraycopy(r, 0, re, y * cols, cols);
            System.arraycopy(i, 0, im, y * cols, cols);
        }
        final double[] cr = new double[rows];
        final double[] ci = new double[rows];
        for (int x = 0; x < cols; x++) {
            for (int y = 0; y < rows; y++) {
                cr[y] = re[y * cols + x];
                ci[y] = im[y * cols + x];
            }
            FftReference.fft(cr, ci, inverse);
            for (int y = 0; y < rows; y++) {
                re[y * cols + x] = cr[y];
                im[y * cols + x] = ci[y];
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
}
