package org.beadstream.engine.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

import org.beadstream.engine.config.ResolvedConfig;

/**
 * An engine that runs the offline pipeline ({@code reprocess}) on more than this JVM, e.g. on Apache Spark. The engine
 * module cannot depend on such an engine (the engine depends on this module), so implementations live in their own
 * module and are found at run time with {@link ServiceLoader} by {@link #name()}
 * ({@code META-INF/services/org.beadstream.engine.run.OfflineEngine}). Implementations write the same outputs as the
 * single-machine run (suite2p layout, NWB, report, run.json, config.json) and must be stateless and thread-safe.
 */
public interface OfflineEngine {

    /** The name given to {@code reprocess --engine NAME}, e.g. "spark". */
    String name();

    /**
     * Runs the offline pipeline over {@code request.inputs()} into {@code request.out()}.
     *
     * @return the run's summary (also written as run.json)
     * @throws IllegalArgumentException naming the file when the input cannot be processed
     */
    RunSummary reprocess(Request request);

    /**
     * What {@code reprocess} was asked to do.
     *
     * @param inputs       files or folders of one recording, in order (on storage every worker sees)
     * @param out          output folder (on storage every worker sees)
     * @param planes       planes per volume of a plain TIFF stack (0: from the input)
     * @param rateHz       volume rate of a plain TIFF stack (0: from the input)
     * @param config       the resolved configuration
     * @param master       where to run, in the engine's own terms (Spark: {@code local[2]}, {@code spark://host:7077})
     * @param chunkVolumes volumes per time chunk of the per-(plane, chunk) pass (0: the engine's default)
     * @param resume       continue the interrupted run in {@code out}: reuse its bootstrap and every finished chunk
     * @param log          where progress lines go
     *                     <p>Immutable; thread-safe.
     */
    record Request(List<Path> inputs, Path out, int planes, double rateHz, ResolvedConfig config, String master,
            int chunkVolumes, boolean resume, PrintWriter log) {

        /** Validates the request. */
        public Request {
            inputs = List.copyOf(inputs);
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("no input given");
            }
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(log, "log");
            if (planes < 0) {
                throw new IllegalArgumentException("planes must be 0 (from the input) or positive, was " + planes);
            }
            if (!(rateHz >= 0) || Double.isInfinite(rateHz)) {
                throw new IllegalArgumentException("volume rate must be 0 (from the input) or a positive number of Hz,"
                        + " was " + rateHz);
            }
            if (master == null || master.isBlank()) {
                throw new IllegalArgumentException("master must be given, e.g. local[2] or spark://host:7077");
            }
            if (chunkVolumes < 0) {
                throw new IllegalArgumentException("volumes per chunk must be 0 (engine default) or positive, was "
                        + chunkVolumes);
            }
        }
    }

    /**
     * The engine called {@code name} on the class path.
     *
     * @throws IllegalArgumentException naming the engines found when none is called so
     */
    static OfflineEngine named(final String name) {
        final List<String> found = new ArrayList<>();
        for (final OfflineEngine e : ServiceLoader.load(OfflineEngine.class)) {
            if (e.name().equals(name)) {
                return e;
            }
            found.add(e.name());
        }
        throw new IllegalArgumentException("no offline engine '" + name + "' on the class path (found: "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + "); the Spark engine is the 'distributed' "
                + "module: run through ./beadstream, which adds distributed/target/beadstream-distributed.jar and "
                + "Spark's jars when --engine spark is given");
    }
}
