package org.beadstream.acquisition.assembly;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.scanimage.RoiStrip;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;

/**
 * Where the ROI strips lie in a raw page and where they go in the assembled plane: strips are cut at their rows
 * (fly-to lines between them are skipped), {@code trimLeft} and {@code trimRight} pixels are dropped from each line,
 * and the strips are placed side by side by their {@link RoiStrip#column()}.
 *
 * <pre>
 *   raw page                         assembled plane (planeWidth x planeHeight)
 *   +---------+ strip 0              +-------+-------+-------+
 *   |  fly-to |                      |  s0   |  s1   |  s2   |   each strip: width - trimLeft - trimRight
 *   +---------+ strip 1        ==>   |       |       |       |
 *   |  fly-to |                      +-------+-------+-------+
 *   +---------+ strip 2
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param pageWidth  raw page width
 * @param pageHeight raw page height
 * @param strips     the strips (rows within the page, width, column)
 * @param trimLeft   pixels dropped at the left of each strip line
 * @param trimRight  pixels dropped at the right of each strip line
 */
public record AssemblyLayout(int pageWidth, int pageHeight, List<RoiStrip> strips, int trimLeft, int trimRight) {

    /** Validates that every strip fits the page and keeps at least one pixel after trimming. */
    public AssemblyLayout {
        strips = List.copyOf(strips);
        if (pageWidth < 1 || pageHeight < 1) {
            throw new IllegalArgumentException("page must be at least 1 x 1, was " + pageWidth + " x " + pageHeight);
        }
        if (strips.isEmpty()) {
            throw new IllegalArgumentException("an assembly layout needs at least one strip");
        }
        if (trimLeft < 0 || trimRight < 0) {
            throw new IllegalArgumentException("trims must be >= 0, were " + trimLeft + " and " + trimRight);
        }
        final boolean[] columns = new boolean[strips.size()];
        for (final RoiStrip s : strips) {
            if (s.firstRow() + s.height() > pageHeight || s.width() > pageWidth) {
                throw new IllegalArgumentException("strip " + s.index() + " (rows " + s.firstRow() + ".."
                        + (s.firstRow() + s.height() - 1) + ", " + s.width() + " wide) does not fit pages of "
                        + pageWidth + " x " + pageHeight);
            }
            if (s.width() - trimLeft - trimRight < 1) {
                throw new IllegalArgumentException("trimming " + trimLeft + " + " + trimRight + " pixels leaves nothing"
                        + " of strip " + s.index() + " (" + s.width() + " wide)");
            }
            if (s.column() >= strips.size() || columns[s.column()]) {
                throw new IllegalArgumentException("strip columns must be a permutation of 0.." + (strips.size() - 1));
            }
            columns[s.column()] = true;
        }
    }

    /**
     * The layout ScanImage metadata describes for pages of {@code geometry}.
     *
     * @throws org.beadstream.acquisition.scanimage.ScanImageFormatException if the ROIs do not fit the pages
     */
    public static AssemblyLayout of(final ScanImageMetadata metadata, final FrameGeometry geometry,
            final int trimLeft, final int trimRight) {
        return new AssemblyLayout(geometry.width(), geometry.height(),
                metadata.strips(geometry.width(), geometry.height()), trimLeft, trimRight);
    }

    /**
     * Equal strips stacked in page order with {@code flyToLines} between them, placed left to right in the same
     * order (the layout of the simulator and of most light-beads rigs).
     */
    public static AssemblyLayout uniform(final int strips, final int stripWidth, final int stripHeight,
            final int flyToLines, final int trimLeft, final int trimRight) {
        final List<RoiStrip> list = new ArrayList<>();
        for (int s = 0; s < strips; s++) {
            list.add(new RoiStrip(s, s * (stripHeight + flyToLines), stripHeight, stripWidth, s, Double.NaN));
        }
        return new AssemblyLayout(stripWidth, strips * stripHeight + (strips - 1) * flyToLines, list, trimLeft,
                trimRight);
    }

    /** Width of the assembled plane: the strips' widths after trimming, summed. */
    public int planeWidth() {
        int w = 0;
        for (final RoiStrip s : strips) {
            w += s.width() - trimLeft - trimRight;
        }
        return w;
    }

    /** Height of the assembled plane: the tallest strip. */
    public int planeHeight() {
        int h = 0;
        for (final RoiStrip s : strips) {
            h = Math.max(h, s.height());
        }
        return h;
    }

    /** First assembled column of strip {@code i} (in page order). */
    public int outputColumn(final int i) {
        final RoiStrip target = strips.get(i);
        int x = 0;
        for (final RoiStrip s : strips.stream().sorted(Comparator.comparingInt(RoiStrip::column)).toList()) {
            if (s == target) {
                return x;
            }
            x += s.width() - trimLeft - trimRight;
        }
        throw new IllegalStateException("strip " + i + " not found");
    }
}
