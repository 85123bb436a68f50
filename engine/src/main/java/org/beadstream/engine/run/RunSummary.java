package org.beadstream.engine.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The machine-readable summary of a run, written as {@code run.json} in the output folder. Keys are lower_snake_case
 * with units in the name where they have one ({@code seconds}, {@code mb_per_s}, {@code latency_p99_ms}). The keys
 * every acquisition run has: {@code frames_produced, frames_recorded, frames_dropped, volumes_skipped,
 * bytes_recorded, seconds, mb_per_s}; pipelines add throughput, latency and, where ground truth exists,
 * {@code detection_f1} and {@code median_trace_r}.
 *
 * <p>Not thread-safe: fill from one thread, then {@link #write(Path)}.
 */
public final class RunSummary {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode root = JSON.createObjectNode();

    /** A summary of a run of {@code command} (e.g. "acquire"), stamped with the current time. */
    public RunSummary(final String command) {
        root.put("command", command);
        root.put("started_at", Instant.now().toString());
        final String v = RunSummary.class.getPackage().getImplementationVersion();
        root.put("beadstream_version", v == null ? "development" : v);
    }

    /** Sets a whole-number value. */
    public RunSummary put(final String key, final long value) {
        root.put(key, value);
        return this;
    }

    /** Sets a real value; NaN and infinities are written as null. */
    public RunSummary put(final String key, final double value) {
        if (Double.isFinite(value)) {
            root.put(key, value);
        } else {
            root.putNull(key);
        }
        return this;
    }

    /** Sets a text value. */
    public RunSummary put(final String key, final String value) {
        root.put(key, value);
        return this;
    }

    /** Sets a boolean value. */
    public RunSummary put(final String key, final boolean value) {
        root.put(key, value);
        return this;
    }

    /** A nested object (created on first use), for per-stage or per-plane details. */
    public ObjectNode section(final String key) {
        final ObjectNode n = (ObjectNode) root.get(key);
        return n != null ? n : root.putObject(key);
    }

    /** The JSON tree (live view). */
    public ObjectNode json() {
        return root;
    }

    /**
     * Writes {@code run.json} into {@code dir} atomically (a temporary file renamed over the old one), so a reader never
     * sees half a file even if the run is killed while writing.
     */
    public Path write(final Path dir) {
        try {
            Files.createDirectories(dir);
            final Path tmp = dir.resolve("run.json.tmp");
            JSON.writeValue(tmp.toFile(), root);
            return Files.move(tmp, dir.resolve("run.json"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write run.json into " + dir + ": " + e.getMessage(), e);
        }
    }
}
