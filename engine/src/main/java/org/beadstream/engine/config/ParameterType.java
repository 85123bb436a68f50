package org.beadstream.engine.config;

/**
 * The value types a configuration parameter can have. Immutable and thread-safe.
 */
public enum ParameterType {
    /** A whole number (Java long). */
    INTEGER,
    /** A real number (Java double). */
    NUMBER,
    /** true or false. */
    BOOLEAN,
    /** Free text (a path, a name). */
    TEXT,
    /** One of a fixed set of words. */
    CHOICE,
    /** A list of whole numbers (e.g. a plane order). */
    INTEGER_LIST
}
