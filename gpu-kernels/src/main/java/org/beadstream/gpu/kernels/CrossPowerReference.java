package org.beadstream.gpu.kernels;

/**
 * Plain-Java reference of kernel {@code cross_power}, and the host-side preparation of template spectra it consumes.
 * Interleaved complex float arrays. Stateless and thread-safe.
 */
public final class CrossPowerReference {

    private CrossPowerReference() {
    }

    /** Same computation as the kernel, in double precision. */
    public static void run(final float[] z, final float[] ref, final int templates, final float[] out, final int h,
            final int w, final int pairs, final boolean whiten, final float eps) {
        for (int q = 0; q < pairs; q++) {
            final int base = 2 * q * h * w;
            final int ta = 2 * ((2 * q) % templates) * h * w;
            final int tb = 2 * ((2 * q + 1) % templates) * h * w;
            for (int ky = 0; ky < h; ky++) {
                for (int kx = 0; kx < w; kx++) {
                    final int k = 2 * (ky * w + kx);
                    final int nk = 2 * (((h - ky) & (h - 1)) * w + ((w - kx) & (w - 1)));
                    final double zr = z[base + k];
                    final double zi = z[base + k + 1];
                    final double nr = z[base + nk];
                    final double ni = -z[base + nk + 1];
                    double ar = 0.5 * (zr + nr);
                    double ai = 0.5 * (zi + ni);
                    // b = -i * (zk - zn) / 2
                    double br = 0.5 * (zi - ni);
                    double bi = -0.5 * (zr - nr);
                    if (whiten) {
                        final double ma = Math.sqrt(ar * ar + ai * ai + (double) eps * eps);
                        final double mb = Math.sqrt(br * br + bi * bi + (double) eps * eps);
                        ar /= ma;
                        ai /= ma;
                        br /= mb;
                        bi /= mb;
                    }
                    final double rar = ar * ref[ta + k] - ai * ref[ta + k + 1];
                    final double rai = ar * ref[ta + k + 1] + ai * ref[ta + k];
                    final double rbr = br * ref[tb + k] - bi * ref[tb + k + 1];
                    final double rbi = br * ref[tb + k + 1] + bi * ref[tb + k];
                    out[base + k] = (float) (rar - rbi);
                    out[base + k + 1] = (float) (rai + rbr);
                }
            }
        }
    }

    /**
     * Prepares a template spectrum for {@code cross_power}: {@code conj(T) / sqrt(|T|^2 + eps^2)} (whitened) or
     * {@code conj(T)} (not), times a Gaussian low-pass {@code exp(-2 pi^2 sigma^2 |f|^2)} (f in cycles per pixel;
     * the Fourier transform of a Gaussian of {@code sigma} pixels, suite2p's smooth_sigma). The input is a real
     * {@code h x w} image already tapered and mean-subtracted as {@code taper_pack} does for frames.
     *
     * @return interleaved complex {@code h x w}
     */
    public static float[] prepareTemplate(final float[] tapered, final int h, final int w, final boolean whiten,
            final double sigma, final float eps) {
        final float[] c = new float[2 * h * w];
        for (int i = 0; i < h * w; i++) {
            c[2 * i] = tapered[i];
        }
        FftReference.fft2d(c, h, w, 1, false);
        for (int ky = 0; ky < h; ky++) {
            final double fy = (ky <= h / 2 ? ky : ky - h) / (double) h;
            for (int kx = 0; kx < w; kx++) {
                final double fx = (kx <= w / 2 ? kx : kx - w) / (double) w;
                final double g = Math.exp(-2 * Math.PI * Math.PI * sigma * sigma * (fy * fy + fx * fx));
                final int k = 2 * (ky * w + kx);
                double re = c[k];
                double im = -c[k + 1];
                if (whiten) {
                    final double m = Math.sqrt(re * re + im * im + (double) eps * eps);
                    re /= m;
                    im /= m;
                }
                c[k] = (float) (re * g);
                c[k + 1] = (float) (im * g);
            }
        }
        return c;
    }

    /**
     * The peak of the inverse FFT of a perfectly matching whitened cross-power spectrum smoothed by {@code sigma}:
     * the mean of the Gaussian low-pass over all frequencies. Dividing a measured peak by it gives a match quality
     * in [0, 1].
     */
    public static double idealPeak(final int h, final int w, final double sigma) {
        double s = 0;
        for (int ky = 0; ky < h; ky++) {
            final double fy = (ky <= h / 2 ? ky : ky - h) / (double) h;
            for (int kx = 0; kx < w; kx++) {
                final double fx = (kx <= w / 2 ? kx : kx - w) / (double) w;
                s += Math.exp(-2 * Math.PI * Math.PI * sigma * sigma * (fy * fy + fx * fx));
            }
        }
        return s / ((double) h * w);
    }
}
