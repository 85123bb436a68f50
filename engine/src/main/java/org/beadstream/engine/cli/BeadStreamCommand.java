package org.beadstream.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The top-level {@code beadstream} command: it only groups the subcommands. Each subcommand is its own class, listed
 * in {@code subcommands} below (one line each).
 *
 * <p>Exit codes: 0 success, 1 a run that finished but lost data or failed a check, 2 bad usage or bad input.
 *
 * <p>Not thread-safe; made once per process by {@link #main(String[])}.
 */
@Command(name = "beadstream",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Real-time acquisition and processing of light-beads microscopy (LBM) calcium imaging.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ConfigCommand.class,
            InspectCommand.class,
            DemoCommand.class,
            AcquireCommand.class,
            BenchCommand.class,
            ReprocessCommand.class,
            SimulateCommand.class,
            ExportCommand.class,
            EvaluateCommand.class,
            MatchCommand.class,
        })
public final class BeadStreamCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Builds the command line with BeadStream's error handling (messages, not stack traces, for bad input). */
    public static CommandLine commandLine() {
        final CommandLine cl = new CommandLine(new BeadStreamCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    /** Entry point of the {@code beadstream} launcher. */
    public static void main(final String[] args) {
        System.exit(commandLine().execute(args));
    }
}
