package org.beadstream.gpu.kernels;

/** Plain-Java reference of kernel {@code shift_warp} (same formulas, float arithmetic). Stateless, thread-safe. */
public final class ShiftWarpReference {

    private ShiftWarpReference() {
    }

    /** Warps {@code frames} frames of {@code in} into {@code out}; see {@link ShiftWarpKernel#run}. */
    public static void run(final float[] in, final int height, final int width, final float[] grid, final int gy,
            final int gx, final float[] gridY, final float[] gridX, final float[] out, final int frames) {
        for (int n = 0; n < frames; n++) {
            final int g = n * gy * gx * 2;
            final int f = n * height * width;
            for (int y = 0; y < height; y++) {
                final float py = gridY[y];
                final int y0 = Math.min((int) py, gy - 1);
                final int y1 = Math.min(y0 + 1, gy - 1);
                final float wy = py - y0;
                for (int x = 0; x < width; x++) {
                    final float px = gridX[x];
                    final int x0 = Math.min((int) px, gx - 1);
                    final int x1 = Math.min(x0 + 1, gx - 1);
                    final float wx = px - x0;
                    final float dy = (1 - wy) * ((1 - wx) * grid[g + 2 * (y0 * gx + x0)] + wx * grid[g + 2 * (y0 * gx + x1)])
                            + wy * ((1 - wx) * grid[g + 2 * (y1 * gx + x0)] + wx * grid[g + 2 * (y1 * gx + x1)]);
                    final float dx = (1 - wy) * ((1 - wx) * grid[g + 2 * (y0 * gx + x0) + 1]
                            + wx * grid[g + 2 * (y0 * gx + x1) + 1])
                            + wy * ((1 - wx) * grid[g + 2 * (y1 * gx + x0) + 1] + wx * grid[g + 2 * (y1 * gx + x1) + 1]);
                    out[f + y * width + x] = sample(in, f, height, width, y + dy, x + dx);
                }
            }
        }
    }

    /** Bilinear sample at (sy, sx) with clamped coordinates, as the kernel. */
    public static float sample(final float[] in, final int f, final int height, final int width, final float y,
            final float x) {
        final float sy = Math.max(0f, Math.min(y, height - 1f));
        final float sx = Math.max(0f, Math.min(x, width - 1f));
        final int iy = Math.min((int) sy, Math.max(0, height - 2));
        final int ix = Math.min((int) sx, Math.max(0, width - 2));
        final int iy1 = Math.min(iy + 1, height - 1);
        final int ix1 = Math.min(ix + 1, width - 1);
        final float fy = sy - iy;
        final float fx = sx - ix;
        return (1 - fy) * ((1 - fx) * in[f + iy * width + ix] + fx * in[f + iy * width + ix1])
                + fy * ((1 - fx) * in[f + iy1 * width + ix] + fx * in[f + iy1 * width + ix1]);
    }
}
