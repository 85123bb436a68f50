package org.beadstream.segmentation.footprint;

import java.util.Arrays;

/**
 * Draws one ROI's neuropil annulus: the {@code minPixels} pixels nearest to the ROI's centroid that belong to no ROI
 * of the plane and lie further than the inner gap from the ROI's own pixels, within the maximum radius. Stateless;
 * thread-safe.
 */
final class NeuropilAnnulus {

    private NeuropilAnnulus() {
    }

    static int[] draw(final int[] px, final RoiStats st, final byte[] cover, final int width, final int height,
            final NeuropilParameters p) {
        final int gap = p.innerGapPixels();
        // bounding box of the ROI grown by the gap: the "own" exclusion zone
        int x0 = Integer.MAX_VALUE;
        int y0 = Integer.MAX_VALUE;
        int x1 = Integer.MIN_VALUE;
        int y1 = Integer.MIN_VALUE;
        for (final int q : px) {
            x0 = Math.min(x0, q % width);
            x1 = Math.max(x1, q % width);
            y0 = Math.min(y0, q / width);
            y1 = Math.max(y1, q / width);
        }
        final int bx0 = x0 - gap;
        final int by0 = y0 - gap;
        final int bw = x1 - x0 + 1 + 2 * gap;
        final int bh = y1 - y0 + 1 + 2 * gap;
        final boolean[] own = new boolean[bw * bh];
        for (final int q : px) {
            final int qx = q % width - bx0;
            final int qy = q / width - by0;
            for (int dy = -gap; dy <= gap; dy++) {
                final int row = (qy + dy) * bw;
                for (int dx = -gap; dx <= gap; dx++) {
                    own[row + qx + dx] = true;
                }
            }
        }
        // radius needed for minPixels outside the cell: area pi (R^2 - r^2) = minPixels, with slack for other cells
        final double rIn = st.radius() + gap;
        final int rMax = p.maxRadiusPixels();
        int rSearch = (int) Math.ceil(Math.sqrt(p.minPixels() / Math.PI * 2.0 + rIn * rIn)) + 2;
        int[] result;
        while (true) {
            final int r = Math.min(rSearch, rMax);
            result = nearest(st, cover, own, bx0, by0, bw, bh, width, height, r, p.minPixels());
            if (result.length >= p.minPixels() || r >= rMax) {
                break;
            }
            rSearch *= 2;
        }
        return result;
    }

    private static int[] nearest(final RoiStats st, final byte[] cover, final boolean[] own, final int bx0,
            final int by0, final int bw, final int bh, final int width, final int height, final int r,
            final int want) {
        final double cx = st.centroidX();
        final double cy = st.centroidY();
        final int xa = Math.max(0, (int) Math.floor(cx - r));
        final int xb = Math.min(width - 1, (int) Math.ceil(cx + r));
        final int ya = Math.max(0, (int) Math.floor(cy - r));
        final int yb = Math.min(height - 1, (int) Math.ceil(cy + r));
        final long[] cand = new long[(xb - xa + 1) * (yb - ya + 1)];
        int k = 0;
        final double r2 = (double) r * r;
        for (int y = ya; y <= yb; y++) {
            for (int x = xa; x <= xb; x++) {
                final double d2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (d2 > r2) {
                    continue;
                }
                final int q = y * width + x;
                if (cover != null && cover[q] > 0) {
                    continue;
                }
                final int ox = x - bx0;
                final int oy = y - by0;
                if (ox >= 0 && oy >= 0 && ox < bw && oy < bh && own[oy * bw + ox]) {
                    continue;
                }
                // sort key: squared distance in 1/256 px^2, then pixel index
                cand[k++] = ((long) (d2 * 256) << 32) | q;
            }
        }
        Arrays.sort(cand, 0, k);
        final int m = Math.min(k, want);
        final int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) (cand[i] & 0xffffffffL);
        }
        Arrays.sort(out);
        return out;
    }
}
