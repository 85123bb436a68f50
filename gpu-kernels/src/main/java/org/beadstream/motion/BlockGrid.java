package org.beadstream.motion;

/**
 * Where the blocks of piecewise-rigid registration lie (suite2p's layout: {@code ceil(1.5 * L / blockSize)} blocks
 * per axis, evenly spread with overlap, first at 0 and last flush with the edge), and the grid coordinates used to
 * interpolate block shifts into a per-pixel shift field (linear between block centres, constant beyond the outer
 * centres). A rigid-only grid has one node. Immutable and thread-safe.
 */
public final class BlockGrid {

    private final int rows;
    private final int cols;
    private final int blockSize;
    private final int[] yStart;
    private final int[] xStart;
    private final float[] gridY;
    private final float[] gridX;

    private BlockGrid(final int height, final int width, final int blockSize, final boolean nonRigid) {
        this.blockSize = blockSize;
        this.yStart = nonRigid ? starts(height, blockSize) : new int[] {0};
        this.xStart = nonRigid ? starts(width, blockSize) : new int[] {0};
        this.rows = yStart.length;
        this.cols = xStart.length;
        this.gridY = coordinates(height, yStart, blockSize, nonRigid);
        this.gridX = coordinates(width, xStart, blockSize, nonRigid);
    }

    /** The grid for {@code settings} (one node when rigid-only). */
    public static BlockGrid of(final MotionSettings settings) {
        return new BlockGrid(settings.height(), settings.width(), settings.blockSize(), settings.nonRigid());
    }

    /** Block rows. */
    public int rows() {
        return rows;
    }

    /** Block columns. */
    public int cols() {
        return cols;
    }

    /** Blocks in all ({@code rows * cols}). */
    public int count() {
        return rows * cols;
    }

    /** Side of a block in pixels. */
    public int blockSize() {
        return blockSize;
    }

    /** First row of block row {@code i}. */
    public int yStart(final int i) {
        return yStart[i];
    }

    /** First column of block column {@code j}. */
    public int xStart(final int j) {
        return xStart[j];
    }

    /** (y, x) of every block's top-left corner, block-major: {@code [y0, x0, y1, x1, ...]}. */
    public int[] origins() {
        final int[] o = new int[2 * count()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                o[2 * (i * cols + j)] = yStart[i];
                o[2 * (i * cols + j) + 1] = xStart[j];
            }
        }
        return o;
    }

    /** Grid row coordinate of every frame row (a copy). */
    public float[] gridY() {
        return gridY.clone();
    }

    /** Grid column coordinate of every frame column (a copy). */
    public float[] gridX() {
        return gridX.clone();
    }

    private static int[] starts(final int length, final int block) {
        final int n = block >= length ? 1 : (int) Math.ceil(1.5 * length / block);
        final int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = n == 1 ? 0 : (int) ((double) i * (length - block) / (n - 1));
        }
        return s;
    }

    private static float[] coordinates(final int length, final int[] start, final int block, final boolean nonRigid) {
        final float[] g = new float[length];
        if (!nonRigid || start.length == 1) {
            return g;
        }
        final int n = start.length;
        final double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = start[i] + (block - 1) / 2.0;
        }
        int seg = 0;
        for (int p = 0; p < length; p++) {
            if (p <= c[0]) {
                g[p] = 0f;
            } else if (p >= c[n - 1]) {
                g[p] = n - 1;
            } else {
                while (p > c[seg + 1]) {
                    seg++;
                }
                g[p] = (float) (seg + (p - c[seg]) / (c[seg + 1] - c[seg]));
            }
        }
        return g;
    }
}
