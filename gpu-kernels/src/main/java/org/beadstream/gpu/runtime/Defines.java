package org.beadstream.gpu.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Preprocessor defines that specialise a kernel at build time ({@code -D NAME=value}), part of the program cache
 * key. Sorted by name so equal sets give equal keys. Immutable and thread-safe; {@link #with} returns a copy.
 *
 * <pre>{@code Defines d = Defines.of("FFT_N", 512).with("LINES", 2).with("INPUT_SHORT");}</pre>
 */
public final class Defines {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.+\\-()]*");

    /** No defines. */
    public static final Defines NONE = new Defines(new TreeMap<>());

    private final TreeMap<String, String> values;

    private Defines(final TreeMap<String, String> values) {
        this.values = values;
    }

    /** One define with an integer value. */
    public static Defines of(final String name, final long value) {
        return NONE.with(name, value);
    }

    /** One define with a value. */
    public static Defines of(final String name, final String value) {
        return NONE.with(name, value);
    }

    /** A copy with {@code name} defined as 1. */
    public Defines with(final String name) {
        return with(name, "1");
    }

    /** A copy with {@code name=value}. */
    public Defines with(final String name, final long value) {
        return with(name, Long.toString(value));
    }

    /** A copy with {@code name=value} (a float, written with an f suffix so kernels see a float literal). */
    public Defines with(final String name, final float value) {
        if (!Float.isFinite(value)) {
            throw new IllegalArgumentException("define " + name + " must be finite, was " + value);
        }
        return with(name, Float.toString(value) + "f");
    }

    /** A copy with {@code name=value}; names are C identifiers, values plain tokens (no spaces or quotes). */
    public Defines with(final String name, final String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("define name must be a C identifier, was '" + name + "'");
        }
        if (!VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("define " + name + " value must be a plain token, was '" + value + "'");
        }
        final TreeMap<String, String> copy = new TreeMap<>(values);
        copy.put(name, value);
        return new Defines(copy);
    }

    /** The defines as a read-only sorted map. */
    public Map<String, String> asMap() {
        return java.util.Collections.unmodifiableMap(values);
    }

    /** The build options text, e.g. {@code -D FFT_N=512 -D LINES=2}. */
    public String toOptions() {
        final StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append("-D ").append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.toString();
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof Defines d && d.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return toOptions();
    }
}
