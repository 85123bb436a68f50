package org.beadstream.engine.config;

/**
 * A configuration error: an unknown key, a value of the wrong type or outside its range, an unreadable file. The
 * message always names the key (and the file, when there is one). Immutable; safe to pass between threads.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error described by {@code message}, which names the key. */
    public ConfigException(final String message) {
        super(message);
    }

    /** An error described by {@code message}, caused by {@code cause}. */
    public ConfigException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
