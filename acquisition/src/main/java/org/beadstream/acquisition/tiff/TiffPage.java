package org.beadstream.acquisition.tiff;

/**
 * Where one page of a TIFF file lies and how its pixels are stored, as indexed once by {@link TiffReader} at open:
 * size, sample type, and the file offsets and byte counts of its strips or tiles, plus where its text tags are.
 *
 * <pre>
 *   strips (rowsPerStrip lines each)          tiles (tileWidth x tileHeight, padded at the right and bottom)
 *   +--------------------------+              +------+------+----+
 *   | strip 0                  |              |  0   |  1   | 2  |
 *   | strip 1                  |              +------+------+----+
 *   | strip 2 (may be shorter) |              |  3   |  4   | 5  |
 *   +--------------------------+              +------+------+----+
 * </pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class TiffPage {

    private final int index;
    private final int width;
    private final int height;
    private final PixelType pixelType;
    private final int rowsPerStrip;
    private final int tileWidth;
    private final int tileHeight;
    private final long[] segmentOffsets;
    private final long[] segmentByteCounts;
    private final long contiguousOffset;
    private final long[] textOffsets;
    private final int[] textLengths;

    TiffPage(final int index, final int width, final int height, final PixelType pixelType, final int rowsPerStrip,
            final int tileWidth, final int tileHeight, final long[] segmentOffsets, final long[] segmentByteCounts,
            final long contiguousOffset, final long[] textOffsets, final int[] textLengths) {
        this.index = index;
        this.width = width;
        this.height = height;
        this.pixelType = pixelType;
        this.rowsPerStrip = rowsPerStrip;
        this.tileWidth = tileWidth;
        this.tileHeight = tileHeight;
        this.segmentOffsets = segmentOffsets;
        this.segmentByteCounts = segmentByteCounts;
        this.contiguousOffset = contiguousOffset;
        this.textOffsets = textOffsets;
        this.textLengths = textLengths;
    }

    /** 0-based page number in its file. */
    public int index() {
        return index;
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in lines. */
    public int height() {
        return height;
    }

    /** Sample type in the file. */
    public PixelType pixelType() {
        return pixelType;
    }

    /** Whether the pixels are stored in tiles (else in strips). */
    public boolean tiled() {
        return tileWidth > 0;
    }

    /** Lines per strip (strips only; the last strip may be shorter). */
    public int rowsPerStrip() {
        return rowsPerStrip;
    }

    /** Tile width in pixels, 0 for strips. */
    public int tileWidth() {
        return tileWidth;
    }

    /** Tile height in lines, 0 for strips. */
    public int tileHeight() {
        return tileHeight;
    }

    /** Number of strips or tiles. */
    public int segmentCount() {
        return segmentOffsets.length;
    }

    /** File offset of strip or tile {@code i}. */
    public long segmentOffset(final int i) {
        return segmentOffsets[i];
    }

    /** Byte count of strip or tile {@code i} as declared in the file. */
    public long segmentByteCount(final int i) {
        return segmentByteCounts[i];
    }

    /**
     * File offset of the whole page when its strips are stored back to back in order (one read fetches the page), else
     * -1.
     */
    public long contiguousOffset() {
        return contiguousOffset;
    }

    /** Bytes of pixel data in the file (width x height x sample bytes). */
    public long pixelBytes() {
        return (long) width * height * pixelType.bytes();
    }

    /** Whether the page has the text tag {@code tag} (ImageDescription 270, Software 305, Artist 315). */
    public boolean hasText(final int tag) {
        final int slot = TiffReader.textSlot(tag);
        return slot >= 0 && textLengths[slot] > 0;
    }

    long textOffset(final int slot) {
        return textOffsets[slot];
    }

    int textLength(final int slot) {
        return textLengths[slot];
    }

    @Override
    public String toString() {
        return "TiffPage{" + index + ": " + width + "x" + height + " " + pixelType + ", "
                + (tiled() ? segmentCount() + " tiles of " + tileWidth + "x" + tileHeight
                        : segmentCount() + " strips of " + rowsPerStrip + " rows")
                + "}";
    }
}
