package org.beadstream.acquisition.record;

import java.nio.file.Path;

/**
 * The recorder could not write (disk full, I/O error, file exists, directory missing). The message names the file,
 * the operating system's reason, and how much of the recording was written and stays readable.
 *
 * <p>Immutable once thrown; safe to pass between threads.
 */
public final class RecordingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /** A failure writing {@code file}. */
    public RecordingException(final Path file, final String message, final Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file being written when the failure happened. */
    public Path file() {
        return file;
    }
}
