package org.beadstream.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated, complete configuration: every parameter of the {@link ConfigSchema} with its value. Written beside
 * every output as {@code config.json} (nested by stage, with the schema version), so that a run can be repeated
 * exactly. Immutable and thread-safe.
 */
public final class ResolvedConfig {

    /** Name of the file {@link #writeTo} writes. */
    public static final String FILE_NAME = "config.json";


    private final ConfigSchema schema;
    private final Map<String, Object> values;
    private final String origin;

    ResolvedConfig(final ConfigSchema schema, final Map<String, Object> values, final String origin) {
        this.schema = schema;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.origin = origin;
    }

    /** Where the values came from (a file name, "defaults"...). */
    public String origin() {
        return origin;
    }

    /** A copy with {@code key} set to {@code value} (validated like a command-line value). */
    public ResolvedConfig with(final String key, final Object value) {
        final Parameter p = schema.parameter(key);
        final Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, value == null ? null : ConfigSchema.parseText(p, value instanceof List<?> l
                ? l.toString() : String.valueOf(value), "option"));
        return new ResolvedConfig(schema, copy, origin);
    }

    /** The whole-number value of {@code key}. */
    public long getLong(final String key) {
        return ((Number) value(key, ParameterType.INTEGER)).longValue();
    }

    /** The whole-number value of {@code key} as an int (schema ranges keep it in range). */
    public int getInt(final String key) {
        return Math.toIntExact(getLong(key));
    }

    /** The number value of {@code key}. */
    public double getDouble(final String key) {
        return ((Number) value(key, ParameterType.NUMBER)).doubleValue();
    }

    /** The boolean value of {@code key}. */
    public boolean getBoolean(final String key) {
        return (Boolean) value(key, ParameterType.BOOLEAN);
    }

    /** The text or choice value of {@code key}, or {@code null} when unset. */
    public String getText(final String key) {
        final Parameter p = schema.parameter(key);
        if (p.type() != ParameterType.TEXT && p.type() != ParameterType.CHOICE) {
            throw new IllegalArgumentException(key + " is " + p.type() + ", not text");
        }
        return (String) values.get(key);
    }

    /** The integer-list value of {@code key} as an int array, or {@code null} when unset. */
    @SuppressWarnings("unchecked")
    public int[] getIntList(final String key) {
        final List<Long> l = (List<Long>) value(key, ParameterType.INTEGER_LIST);
        return l == null ? null : l.stream().mapToInt(Math::toIntExact).toArray();
    }

    private Object value(final String key, final ParameterType type) {
        final Parameter p = schema.parameter(key);
        if (p.type() != type) {
            throw new IllegalArgumentException(key + " is " + p.type() + ", not " + type);
        }
        return values.get(key);
    }

    /** All values by dotted key, in schema order. */
    public Map<String, Object> asMap() {
        return values;
    }

    /** The configuration as JSON nested by stage, with {@code schema_version} first. */
    public ObjectNode toJson() {
        final ObjectMapper om = new ObjectMapper();
        final ObjectNode root = om.createObjectNode();
        root.put("schema_version", ConfigSchema.VERSION);
        for (final Map.Entry<String, Object> e : values.entrySet()) {
            final Parameter p = schema.parameter(e.getKey());
            ObjectNode stage = (ObjectNode) root.get(p.stage());
            if (stage == null) {
                stage = root.putObject(p.stage());
            }
            stage.set(p.name(), om.valueToTree(e.getValue()));
        }
        return root;
    }

    /** Writes {@code config.json} into {@code dir} (created if needed) and returns its path. */
    public Path writeTo(final Path dir) {
        try {
            Files.createDirectories(dir);
            final Path f = dir.resolve(FILE_NAME);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(f.toFile(), toJson());
            return f;
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the resolved configuration into " + dir + ": "
                    + e.getMessage(), e);
        }
    }
}
