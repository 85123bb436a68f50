package org.beadstream.acquisition.scanimage;

import org.beadstream.acquisition.frame.FrameSourceException;

/**
 * ScanImage metadata that is missing, garbled or inconsistent with the pages (an unparsable SI.* value, broken ROI
 * JSON, strips that do not fit the page). The message names the file (or header) and the key or tag concerned.
 *
 * <p>Immutable; safe to pass between threads.
 */
public final class ScanImageFormatException extends FrameSourceException {

    private static final long serialVersionUID = 1L;

    /** A problem with the metadata of {@code source} (a file path or header name). */
    public ScanImageFormatException(final String source, final String message) {
        super(source, message);
    }

    /** A problem with the metadata of {@code source} caused by {@code cause}. */
    public ScanImageFormatException(final String source, final String message, final Throwable cause) {
        super(source, message, cause);
    }
}
