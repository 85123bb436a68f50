package org.beadstream.acquisition.frame;

/**
 * A failure of a {@link FrameSource}: unreadable or corrupt input, a camera error, a buffer overflow. The message always
 * names the source and, where known, the frame, file and page.
 *
 * <p>Not final: format-specific errors extend it (for example {@code TiffFormatException}, which names file and page).
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public class FrameSourceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String sourceName;

    /** A failure of the source {@code sourceName}: the message says what is wrong. */
    public FrameSourceException(final String sourceName, final String message) {
        super(sourceName + ": " + message);
        this.sourceName = sourceName;
    }

    /** A failure of the source {@code sourceName} caused by {@code cause}. */
    public FrameSourceException(final String sourceName, final String message, final Throwable cause) {
        super(sourceName + ": " + message, cause);
        this.sourceName = sourceName;
    }

    /** The name of the source that failed. */
    public String sourceName() {
        return sourceName;
    }
}
