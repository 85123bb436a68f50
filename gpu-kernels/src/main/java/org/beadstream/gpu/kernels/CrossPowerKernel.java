package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code cross_power}: unpacks pair-packed spectra, optionally whitens them (phase
 * correlation) and multiplies each by its prepared template spectrum, packing the products for one inverse FFT per
 * pair. CPU reference: {@link CrossPowerReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class CrossPowerKernel implements AutoCloseable {

    /** Whitening floor: X / sqrt(|X|^2 + EPS^2) (suite2p divides by eps0 + |X| with the same eps0). */
    public static final float EPS = 1e-5f;

    private final ClKernel kernel;
    private final int height;
    private final int width;
    private final int templates;

    /**
     * Builds for {@code height x width} spectra (powers of two) and {@code templates} template spectra (map m uses
     * template m % templates); {@code whiten} selects phase correlation.
     */
    public CrossPowerKernel(final OpenClRuntime cl, final int height, final int width, final int templates,
            final boolean whiten) {
        if (templates < 1) {
            throw new IllegalArgumentException("cross_power needs at least one template, was " + templates);
        }
        this.height = height;
        this.width = width;
        this.templates = templates;
        this.kernel = cl.kernel("cross_power", Defines.of("H", height).with("W", width).with("WHITEN", whiten ? 1 : 0)
                .with("EPS", EPS).with("TEMPLATES", templates));
    }

    /** Template spectra the kernel was built for. */
    public int templates() {
        return templates;
    }

    /**
     * Enqueues {@code pairs} products.
     *
     * @param spectra   pair-packed forward FFTs
     * @param reference {@link #templates()} prepared spectra (conjugated, whitened, smoothed; see
     *                  {@link CrossPowerReference#prepareTemplate})
     * @param out       pair-packed products (may not alias {@code spectra})
     */
    public void run(final CommandQueue q, final DeviceBuffer spectra, final DeviceBuffer reference,
            final DeviceBuffer out, final int pairs) {
        kernel.arg(0, spectra).arg(1, reference).arg(2, out);
        kernel.launch3(q, width, height, pairs);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
