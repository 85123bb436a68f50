package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

    @Option(names = "--resume", description = {"Continue the interrupted run in --out from its checkpoint, with its "
            + "saved configuration: volumes already done are not registered or extracted again."})
    private boolean resume;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        final Path checkpoint = out.resolve(PipelineRun.CHECKPOINT);
        final ResolvedConfig cfg;
        if (resume) {
            if (config.given()) {
                throw new ParameterException(spec.commandLine(), "--resume continues with the interrupted run's own "
                        + "configuration (" + out.resolve(ResolvedConfig.FILE_NAME) + "); drop --config and --set");
            }
            if (!Files.isDirectory(checkpoint)) {
                throw new ParameterException(spec.commandLine(), "nothing to resume in " + out + ": no "
                        + PipelineRun.CHECKPOINT + "/ folder there (the run completed, or never started)");
            }
            cfg = ConfigSchema.standard().resolve(out.resolve(ResolvedConfig.FILE_NAME),
                    Map.of("recording.enabled", "false"), out.resolve(ResolvedConfig.FILE_NAME).toString());
        } else {
            if (Files.isDirectory(checkpoint)) {
                throw new ParameterException(spec.commandLine(), out + " holds an interrupted run (" + checkpoint
                        + "); add --resume to continue it, or choose another --out");
            }
            cfg = config.resolve(Map.of("recording.enabled", false));
        }
        final PrintWriter o = spec.commandLine().getOut();
        final Inputs.Input in = Inputs.open(inputs, cfg, planes, rate);
        try (var src = in.source()) {
            o.printf("reprocessing %s (%s, %s) into %s%n", src.name(), in.kind(), src.geometry(), out);
            o.flush();
            final RunSummary s = new PipelineRun("reprocess", src, in.layout(), in.calibration(), cfg, out)
                    .progress(in.frames()).checkpoint(true).resume(resume).run();
            DemoCommand.print(o, s);
            return 0;
        }
    }
}
