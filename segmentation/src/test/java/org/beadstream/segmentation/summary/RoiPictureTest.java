package org.beadstream.segmentation.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoiPictureTest {

    @Test
    void shouldWriteAnEnlargedGreyPngWithColouredContoursAndGreyInteriors(@TempDir final Path tmp) throws Exception {
        final int w = 10;
        final float[] img = new float[w * w];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        // a 3 x 3 ROI at (4..6, 4..6): its centre pixel (5, 5) is interior, (4, 4) is on the contour
        final int[] roi = {44, 45, 46, 54, 55, 56, 64, 65, 66};
        final Path png = tmp.resolve("sub/pic.png");
        RoiPicture.write(png, img, w, w, List.of(roi), 4);
        final BufferedImage read = ImageIO.read(png.toFile());
        assertEquals(40, read.getWidth());
        assertEquals(40, read.getHeight());
        final int interior = read.getRGB(5 * 4 + 2, 5 * 4 + 2) & 0xffffff;
        assertEquals((interior >> 16) & 0xff, interior & 0xff, "interior stays grey");
        final int edge = read.getRGB(4 * 4, 4 * 4) & 0xffffff;
        assertEquals(0xff4040, edge, "contour in the first ROI colour");
        assertNotEquals(read.getRGB(0, 0), read.getRGB(39, 39), "grey levels follow the image");
        assertThrows(IllegalArgumentException.class, () -> RoiPicture.write(png, img, w, w, List.of(), 0));
    }
}
