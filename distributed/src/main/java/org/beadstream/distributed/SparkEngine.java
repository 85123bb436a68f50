package org.beadstream.distributed;

import org.beadstream.engine.run.OfflineEngine;
import org.beadstream.engine.run.RunSummary;

/**
 * The {@link OfflineEngine} named "spark": {@code reprocess --engine spark --master URL} runs {@link SparkReprocess}.
 * Registered in {@code META-INF/services}. Stateless and thread-safe.
 */
public final class SparkEngine implements OfflineEngine {

    /** The engine's name on the command line. */
    public static final String NAME = "spark";

    /** The instance {@link java.util.ServiceLoader} makes. */
    public SparkEngine() {
        // stateless
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RunSummary reprocess(final Request request) {
        return new SparkReprocess(request).run();
    }
}
