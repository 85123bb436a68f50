package org.beadstream.gpu.kernels;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code correlation_peak}: the subpixel correlation peak of each pair-packed map within a
 * max-shift window. Output per map: float4 (dy, dx, peak * norm, flags; bit 0 = on the window border, bit 1 = no
 * finite peak). CPU reference: {@link CorrelationPeakReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class CorrelationPeakKernel implements AutoCloseable {

    private static final int WG = 64;

    private final ClKernel kernel;

    /**
     * @param height   map rows (power of two)
     * @param width    map columns (power of two)
     * @param maxShift the largest |dy| and |dx| searched, below half of each dimension
     */
    public CorrelationPeakKernel(final OpenClRuntime cl, final int height, final int width, final int maxShift) {
        if (maxShift < 1 || 2 * maxShift + 2 > Math.min(height, width)) {
            throw new IllegalArgumentException("max shift must be from 1 to " + (Math.min(height, width) / 2 - 1)
                    + " pixels for " + height + " x " + width + " correlation maps, was " + maxShift);
        }
        this.kernel = cl.kernel("correlation_peak", Defines.of("H", height).with("W", width).with("MAXS", maxShift)
                .with("WG", WG));
    }

    /** Enqueues the peak search of {@code nMaps} maps (held in {@code ceil(nMaps / 2)} complex arrays). */
    public void run(final CommandQueue q, final DeviceBuffer correlation, final float norm, final DeviceBuffer out,
            final int nMaps) {
        kernel.arg(0, correlation).arg(1, norm).arg(2, out);
        kernel.launch(q, (long) WG * nMaps, WG);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
