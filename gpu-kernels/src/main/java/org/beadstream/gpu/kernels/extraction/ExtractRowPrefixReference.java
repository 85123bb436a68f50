package org.beadstream.gpu.kernels.extraction;

/**
 * Plain-Java reference of kernel {@code extract_row_prefix}: exclusive prefix sums along every row of a volume,
 * {@code prefix[row * (width + 1) + x] = sum of volume[row * width + k] for k < x}, accumulated in float with Kahan
 * compensation exactly as the kernel does. Stateless and thread-safe.
 */
public final class ExtractRowPrefixReference {

    private ExtractRowPrefixReference() {
    }

    /** Fills {@code prefix} (rows * (width + 1) floats) for {@code rows} rows of {@code width} pixels. */
    public static void apply(final float[] volume, final int width, final int rows, final float[] prefix) {
        for (int row = 0; row < rows; row++) {
            final int in = row * width;
            final int out = row * (width + 1);
            float sum = 0f;
            float comp = 0f;
            prefix[out] = 0f;
            for (int x = 0; x < width; x++) {
                final float y = volume[in + x] - comp;
                final float t = sum + y;
                comp = (t - sum) - y;
                sum = t;
                prefix[out + x + 1] = sum;
            }
        }
    }
}
