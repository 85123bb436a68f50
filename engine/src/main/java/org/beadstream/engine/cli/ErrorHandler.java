package org.beadstream.engine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import picocli.CommandLine;

/**
 * Turns failures of a subcommand into one clear line for the user instead of a stack trace: bad input
 * ({@link IllegalArgumentException}, I/O errors, source and format errors, whose messages name the file and the
 * problem) exits 2; anything else is reported with its type and exits 3, with the stack trace only under
 * {@code BEADSTREAM_DEBUG=1}. Stateless and thread-safe.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int EXIT_BAD_INPUT = 2;
    static final int EXIT_INTERNAL = 3;

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine cmd,
            final CommandLine.ParseResult parseResult) {
        final boolean debug = "1".equals(System.getenv("BEADSTREAM_DEBUG"));
        final Throwable shown = ex instanceof UncheckedIOException && ex.getCause() != null ? ex.getCause() : ex;
        final boolean badInput = shown instanceof IllegalArgumentException || shown instanceof IOException
                || shown instanceof IllegalStateException || isInputError(shown);
        final String message = shown.getMessage() == null ? shown.getClass().getSimpleName() : shown.getMessage();
        cmd.getErr().println("beadstream " + cmd.getCommandName() + ": error: "
                + (badInput ? message : shown.getClass().getSimpleName() + ": " + message));
        if (debug) {
            ex.printStackTrace(cmd.getErr());
        } else if (!badInput) {
            cmd.getErr().println("(set BEADSTREAM_DEBUG=1 for the stack trace)");
        }
        return badInput ? EXIT_BAD_INPUT : EXIT_INTERNAL;
    }

    /** Our own input-error exception types end in "FormatException" or "SourceException" by convention. */
    private static boolean isInputError(final Throwable t) {
        final String n = t.getClass().getSimpleName();
        return n.endsWith("FormatException") || n.endsWith("SourceException") || n.endsWith("ConfigException");
    }
}
