package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream reprocess INPUT... --out DIR}: the offline pipeline over ScanImage files, plain TIFF stacks or a
 * BeadStream raw recording, with back-pressure (nothing is skipped): the first volumes make the templates and the
 * cells (pass 1), every volume is registered and its traces extracted (pass 2), into suite2p-layout files, a report and
 * run.json. Not thread-safe; one instance per invocation.
 */
@Command(name = "reprocess", mixinStandardHelpOptions = true,
        description = {"Process recorded data offline (ScanImage TIFF, plain TIFF stacks, BeadStream raw recordings).",
            "Example: beadstream reprocess /data/raw/session_00001.tif --out /data/results/session1"})
public final class ReprocessCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Files or folders of one recording, in order.")
    private List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    private Path out;

    @Option(names = "--planes", defaultValue = "0", paramLabel = "N",
            description = "Planes per volume of a plain TIFF stack (default: 1; ScanImage files: from the header).")
    private int planes;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ",
            description = "Volume rate of a plain TIFF stack (required there; ScanImage files: from the header).")
    private double rate;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        final ResolvedConfig cfg = config.resolve(Map.of("recording.enabled", false));
        final PrintWriter o = spec.commandLine().getOut();
        final Inputs.Input in = Inputs.open(inputs, cfg, planes, rate);
        try (var src = in.source()) {
            o.printf("reprocessing %s (%s, %s) into %s%n", src.name(), in.kind(), src.geometry(), out);
            o.flush();
            final RunSummary s = new PipelineRun("reprocess", src, in.layout(), in.calibration(), cfg, out)
                    .progress(in.frames()).run();
            DemoCommand.print(o, s);
            return 0;
        }
    }
}
