package org.beadstream.gpu.kernels.extraction;

import org.beadstream.gpu.runtime.ClKernel;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.Defines;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Typed wrapper of kernel {@code extract_row_prefix} (row prefix sums of a volume, for run sums in two reads). CPU
 * reference: {@link ExtractRowPrefixReference}.
 *
 * <p>Not thread-safe: one instance per stage thread.
 */
public final class ExtractRowPrefixKernel implements AutoCloseable {

    private final ClKernel kernel;

    /** Builds the kernel. */
    public ExtractRowPrefixKernel(final OpenClRuntime cl) {
        this.kernel = cl.kernel("extract_row_prefix", Defines.NONE);
    }

    /**
     * Enqueues the prefix sums of {@code rows} rows of {@code width} float pixels.
     *
     * @param prefix output, rows * (width + 1) floats
     */
    public void run(final CommandQueue q, final DeviceBuffer volume, final int width, final int rows,
                    final DeviceBuffer prefix) {
        if (prefix.bytes() < 4L * rows * (width + 1)) {
            throw new IllegalArgumentException("prefix buffer " + prefix.name() + " holds " + prefix.bytes()
                    + " bytes, need " + 4L * rows * (width + 1));
        }
        kernel.arg(0, volume).arg(1, width).arg(2, rows).arg(3, prefix);
        kernel.launch(q, (rows + 63L) / 64 * 64, 0);
    }

    @Override
    public void close() {
        kernel.close();
    }
}
