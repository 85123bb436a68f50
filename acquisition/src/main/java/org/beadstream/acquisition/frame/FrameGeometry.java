package org.beadstream.acquisition.frame;

/**
 * The shape of the raw pages a {@link FrameSource} produces: a page of {@code width x height} int16 pixels, and
 * {@code planes} pages per volume, interleaved plane-fastest (page {@code k} is volume {@code k / planes}, plane
 * {@code k % planes}), as ScanImage writes light-beads data with planes as channels.
 *
 * <p>Immutable and thread-safe.
 *
 * @param width  page width in pixels (x, fastest-varying), at least 1
 * @param height page height in pixels (lines), at least 1
 * @param planes pages per volume (LBM beads / ScanImage channels), at least 1
 * @param volumeRateHz nominal volume rate in volumes per second, positive and finite; 0 when unknown
 */
public record FrameGeometry(int width, int height, int planes, double volumeRateHz) {

    /** Bytes per pixel: raw LBM data is 16-bit. */
    public static final int BYTES_PER_PIXEL = 2;

    /** Largest page accepted, in pixels (a 16384 x 16384 page is 512 MiB); protects against corrupt metadata. */
    public static final long MAX_PIXELS_PER_PAGE = 1L << 28;

    /** Validates every field and says which one is wrong. */
    public FrameGeometry {
        if (width < 1) {
            throw new IllegalArgumentException("page width must be at least 1 pixel, was " + width);
        }
        if (height < 1) {
            throw new IllegalArgumentException("page height must be at least 1 line, was " + height);
        }
        if ((long) width * height > MAX_PIXELS_PER_PAGE) {
            throw new IllegalArgumentException("page of " + width + " x " + height + " pixels exceeds the limit of "
                    + MAX_PIXELS_PER_PAGE + " pixels");
        }
        if (planes < 1) {
            throw new IllegalArgumentException("planes per volume must be at least 1, was " + planes);
        }
        if (!(volumeRateHz >= 0) || Double.isInfinite(volumeRateHz)) {
            throw new IllegalArgumentException("volume rate must be a finite rate >= 0 Hz, was " + volumeRateHz);
        }
    }

    /** Pixels in one page. */
    public int pixelsPerPage() {
        return width * height;
    }

    /** Bytes in one page. */
    public int bytesPerPage() {
        return width * height * BYTES_PER_PIXEL;
    }

    /** Nominal page (frame) rate in pages per second: volume rate times planes. */
    public double frameRateHz() {
        return volumeRateHz * planes;
    }

    /** Nominal raw data rate in bytes per second. */
    public double bytesPerSecond() {
        return frameRateHz() * bytesPerPage();
    }
}
