package org.beadstream.segmentation.summary;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Writes a PNG of a summary image (grey, clipped to its 1st-99.5th percentiles) with ROI contours drawn in colour,
 * enlarged by an integer factor so single-pixel outlines stay visible. For docs and for checking detections by eye.
 *
 * <p>Stateless; thread-safe.
 */
public final class RoiPicture {

    private static final int[] COLOURS = {0xff4040, 0x40ff40, 0x4080ff, 0xffd020, 0xff40ff, 0x40ffff, 0xff8020};

    private RoiPicture() {
    }

    /**
     * Writes the picture.
     *
     * @param png    output file (parent folders are made)
     * @param image  width x height background image (e.g. the correlation image)
     * @param rois   pixel index lists of the ROIs to outline
     * @param scale  enlargement factor, [1, 32]
     * @throws IOException naming the file when it cannot be written
     */
    public static void write(final Path png, final float[] image, final int width, final int height,
            final List<int[]> rois, final int scale) throws IOException {
        if (scale < 1 || scale > 32) {
            throw new IllegalArgumentException("picture scale must be in [1, 32], was " + scale);
        }
        if (image.length < width * height) {
            throw new IllegalArgumentException("image of " + image.length + " values is smaller than " + width + " x "
                    + height);
        }
        final float[] sorted = Arrays.copyOf(image, width * height);
        Arrays.sort(sorted);
        final float lo = sorted[(int) (0.01 * (sorted.length - 1))];
        final float hi = sorted[(int) (0.995 * (sorted.length - 1))];
        final BufferedImage out = new BufferedImage(width * scale, height * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                final float v = hi > lo ? (image[y * width + x] - lo) / (hi - lo) : 0;
                final int g = Math.max(0, Math.min(255, Math.round(v * 255)));
                fill(out, x * scale, y * scale, scale, (g << 16) | (g << 8) | g);
            }
        }
        final int[] label = new int[width * height];
        for (int r = 0; r < rois.size(); r++) {
            for (final int p : rois.get(r)) {
                label[p] = r + 1;
            }
        }
        for (int r = 0; r < rois.size(); r++) {
            final int colour = COLOURS[r % COLOURS.length];
            for (final int p : rois.get(r)) {
                final int x = p % width;
                final int y = p / width;
                final boolean edge = x == 0 || y == 0 || x == width - 1 || y == height - 1 || label[p - 1] != r + 1
                        || label[p + 1] != r + 1 || label[p - width] != r + 1 || label[p + width] != r + 1;
                if (edge) {
                    // outline: a border of the enlarged pixel, so the cell underneath stays visible
                    final int t = Math.max(1, scale / 4);
                    for (int j = 0; j < scale; j++) {
                        for (int i = 0; i < scale; i++) {
                            if (i < t || j < t || i >= scale - t || j >= scale - t) {
                                out.setRGB(x * scale + i, y * scale + j, colour);
                            }
                        }
                    }
                }
            }
        }
        final Path parent = png.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!ImageIO.write(out, "png", png.toFile())) {
            throw new IOException("no PNG writer available for " + png);
        }
    }

    private static void fill(final BufferedImage img, final int x0, final int y0, final int s, final int rgb) {
        for (int j = 0; j < s; j++) {
            for (int i = 0; i < s; i++) {
                img.setRGB(x0 + i, y0 + j, rgb);
            }
        }
    }
}
