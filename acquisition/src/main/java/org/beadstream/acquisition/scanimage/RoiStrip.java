package org.beadstream.acquisition.scanimage;

/**
 * Where one ROI strip lies in a raw page: rows {@code [firstRow, firstRow + height)}, columns {@code [0, width)}, and
 * where it belongs left to right in the assembled plane ({@code column}, 0 = leftmost).
 *
 * <p>Immutable and thread-safe.
 *
 * @param index    ROI index in acquisition order (top to bottom in the page)
 * @param firstRow first page row of the strip
 * @param height   lines in the strip
 * @param width    pixels per line
 * @param column   position left to right in the assembled plane (by increasing centre x)
 * @param centerX  the scanfield's centre x in degrees (NaN when unknown)
 */
public record RoiStrip(int index, int firstRow, int height, int width, int column, double centerX) {

    /** Validates the fields. */
    public RoiStrip {
        if (index < 0 || firstRow < 0 || height < 1 || width < 1 || column < 0) {
            throw new IllegalArgumentException("invalid ROI strip: index " + index + ", first row " + firstRow
                    + ", " + width + " x " + height + ", column " + column);
        }
    }
}
