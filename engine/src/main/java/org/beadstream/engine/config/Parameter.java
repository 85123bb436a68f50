package org.beadstream.engine.config;

import java.util.List;
import java.util.Objects;

/**
 * One configuration parameter: its dotted key ({@code stage.name}), type, unit, allowed range or choices, default and
 * a one-line description. Immutable and thread-safe.
 *
 * @param key          dotted key, lower case with underscores, e.g. {@code motion.max_shift_px}
 * @param type         value type
 * @param unit         unit in words or symbols ({@code "px"}, {@code "s"}, {@code "Hz"}), empty when unitless
 * @param min          smallest allowed value (numbers and integer lists), or {@code null}
 * @param max          largest allowed value (numbers and integer lists), or {@code null}
 * @param choices      allowed words for {@link ParameterType#CHOICE}, otherwise empty
 * @param defaultValue default: Long, Double, Boolean, String or List&lt;Long&gt;; {@code null} means "not set" (only for
 *                     optional text or list parameters)
 * @param description  what it does, for people
 */
public record Parameter(String key, ParameterType type, String unit, Double min, Double max, List<String> choices,
        Object defaultValue, String description) {

    /** Validates the definition itself (a schema bug is a programming error). */
    public Parameter {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        unit = unit == null ? "" : unit;
        choices = choices == null ? List.of() : List.copyOf(choices);
        Objects.requireNonNull(description, "description");
        if (!key.matches("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+")) {
            throw new IllegalArgumentException("parameter key must be dotted lower_snake_case, was " + key);
        }
        if (type == ParameterType.CHOICE && choices.isEmpty()) {
            throw new IllegalArgumentException(key + ": a choice parameter needs choices");
        }
    }

    /** The stage this parameter belongs to: the part of the key before the first dot. */
    public String stage() {
        return key.substring(0, key.indexOf('.'));
    }

    /** The name within the stage. */
    public String name() {
        return key.substring(key.indexOf('.') + 1);
    }

    /** The allowed range or choices in words, for help and errors. */
    public String rangeText() {
        if (type == ParameterType.CHOICE) {
            return String.join("|", choices);
        }
        if (min == null && max == null) {
            return "";
        }
        return "[" + (min == null ? "-inf" : fmt(min)) + ", " + (max == null ? "inf" : fmt(max)) + "]";
    }

    private static String fmt(final double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e16 ? Long.toString((long) d) : Double.toString(d);
    }
}
