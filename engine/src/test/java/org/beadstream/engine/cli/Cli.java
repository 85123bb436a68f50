package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import picocli.CommandLine;

/** Runs the {@code beadstream} command line in this JVM for tests, capturing its exit code and output. */
public final class Cli {

    private Cli() {
    }

    /**
     * What a command did.
     *
     * @param code the exit code
     * @param out  what it printed on standard output
     * @param err  what it printed on standard error
     */
    public record Result(int code, String out, String err) {
    }

    /** Runs {@code beadstream ARGS...}. */
    public static Result run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cl = BeadStreamCommand.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        final int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
