package org.beadstream.traces.sink;

import java.io.IOException;

/**
 * Collects the I/O errors of closing several resources, so that every one is closed even when an earlier one fails:
 * the first error is thrown at the end with the others suppressed in it. Not thread-safe; one per close call.
 */
public final class IoErrors {

    /** A step that may fail with an I/O error. */
    @FunctionalInterface
    public interface IoStep {
        /** Runs the step. */
        void run() throws IOException;
    }

    private IOException first;

    /** Runs {@code step}, keeping its error (if any) instead of throwing it. */
    public IoErrors run(final IoStep step) {
        try {
            step.run();
        } catch (final IOException e) {
            if (first == null) {
                first = e;
            } else {
                first.addSuppressed(e);
            }
        }
        return this;
    }

    /** Throws the first error kept, with the later ones suppressed in it; nothing if every step succeeded. */
    public void rethrow() throws IOException {
        if (first != null) {
            throw first;
        }
    }
}
