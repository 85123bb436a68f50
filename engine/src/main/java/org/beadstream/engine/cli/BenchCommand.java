package org.beadstream.engine.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code beadstream bench}: groups the end-to-end benchmark commands (one class per benchmark, listed below). JMH
 * micro-benchmarks live in the benchmarks module. Not thread-safe; one instance per invocation.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "End-to-end benchmarks (throughput, accuracy, latency) printed and written as JSON.",
        subcommands = {
            BenchPipelineCommand.class,
            BenchMotionCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a benchmark, e.g. 'bench motion'");
    }
}
