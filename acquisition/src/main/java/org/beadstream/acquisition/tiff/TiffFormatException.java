package org.beadstream.acquisition.tiff;

import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameSourceException;

/**
 * A TIFF file that cannot be read: truncated, corrupt (IFD loops, offsets past the end), or using a feature we do not
 * support (compression, more than one sample per pixel, 32-bit samples). The message names the file, the page (when
 * known) and the problem, e.g. {@code "rec_00002.tif: page 17: strip 0 ends at byte 1048700, past the end of the file
 * (1048576 bytes)"}.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class TiffFormatException extends FrameSourceException {

    private static final long serialVersionUID = 1L;

    /** Page number for problems that concern the file as a whole. */
    public static final long NO_PAGE = -1;

    private final long page;

    /**
     * A problem with {@code file} at {@code page} (0-based, or {@link #NO_PAGE}).
     */
    public TiffFormatException(final Path file, final long page, final String problem) {
        super(String.valueOf(file), page == NO_PAGE ? problem : "page " + page + ": " + problem);
        this.page = page;
    }

    /** A problem with {@code file} at {@code page} caused by {@code cause} (an I/O error). */
    public TiffFormatException(final Path file, final long page, final String problem, final Throwable cause) {
        super(String.valueOf(file), page == NO_PAGE ? problem : "page " + page + ": " + problem, cause);
        this.page = page;
    }

    /** The 0-based page concerned, or {@link #NO_PAGE}. */
    public long page() {
        return page;
    }
}
