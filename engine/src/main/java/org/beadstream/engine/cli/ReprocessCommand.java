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
import org.beadstream.engine.run.OfflineEngine;
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

    @Option(names = "--resume", description = {"Continue the interrupted run in --out from its checkpoint "
            + "(OUT/checkpoint, or OUT/.spark with --engine spark), with its saved configuration: volumes (or, on "
            + "Spark, chunks) already done are not registered or extracted again."})
    private boolean resume;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "NAME",
            description = {"Where to run: local (this machine, default) or spark (Apache Spark: pass 1 per plane, "
                + "pass 2 per plane and chunk of volumes, on the executors of --master; see docs/distributed.md)."})
    private String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = {"Spark master for --engine spark: local[N] (N worker threads here), local[N,F] (with F "
                + "attempts per task), spark://HOST:7077 (a standalone cluster). Default: local[*]."})
    private String master;

    @Option(names = "--chunk-volumes", defaultValue = "0", paramLabel = "N",
            description = "Volumes per pass-2 task for --engine spark (default 512).")
    private int chunkVolumes;

    @Override
    public Integer call() {
        if (!"local".equals(engine)) {
            return runOnEngine();
        }
        if (master != null || chunkVolumes != 0) {
            throw new ParameterException(spec.commandLine(), "--master and --chunk-volumes apply to --engine spark; "
                    + "the local engine runs in this process");
        }
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

    /** {@code --engine NAME}: the offline pipeline on a distributed engine found by {@link OfflineEngine#named}. */
    private Integer runOnEngine() {
        if ("flink".equals(engine)) {
            throw new ParameterException(spec.commandLine(), "--engine flink is not supported: BeadStream's "
                    + "distributed offline run is built on Apache Spark (the field's precedent, e.g. Thunder; a batch "
                    + "of independent plane and chunk tasks with retry, which Spark's RDDs fit without Flink's "
                    + "streaming runtime; see docs/distributed.md); use --engine spark --master URL");
        }
        if (chunkVolumes < 0) {
            throw new ParameterException(spec.commandLine(), "--chunk-volumes must be >= 1, was " + chunkVolumes);
        }
        // The engine keeps its intermediate files (bootstrap state, finished chunks) in OUT/.spark until it completes.
        final Path work = out.resolve(".spark");
        final ResolvedConfig cfg;
        if (resume) {
            if (config.given()) {
                throw new ParameterException(spec.commandLine(), "--resume continues with the interrupted run's own "
                        + "configuration (" + out.resolve(ResolvedConfig.FILE_NAME) + "); drop --config and --set");
            }
            if (!Files.isDirectory(work)) {
                throw new ParameterException(spec.commandLine(), "nothing to resume in " + out + ": no .spark/ folder "
                        + "there (the run completed, or never started)");
            }
            cfg = ConfigSchema.standard().resolve(out.resolve(ResolvedConfig.FILE_NAME),
                    Map.of("recording.enabled", "false"), out.resolve(ResolvedConfig.FILE_NAME).toString());
        } else {
            if (Files.isDirectory(work)) {
                throw new ParameterException(spec.commandLine(), out + " holds an interrupted --engine " + engine
                        + " run (" + work + "); add --resume to continue it, or choose another --out");
            }
            cfg = config.resolve(Map.of("recording.enabled", false));
        }
        final PrintWriter o = spec.commandLine().getOut();
        final OfflineEngine e = OfflineEngine.named(engine);
        final RunSummary s = e.reprocess(new OfflineEngine.Request(inputs, out, planes, rate, cfg,
                master == null ? "local[*]" : master, chunkVolumes, resume, o));
        final var j = s.json();
        o.println();
        o.printf("engine                 %s on %s (Spark %s)%n", engine, j.path("master").asText(),
                j.path("spark_version").asText());
        o.printf("volumes processed      %d of %d planes in %.1f s (pass 1 %.1f s, pass 2 %.1f s, pass 3 %.1f s)%n",
                j.path("volumes_processed").asLong(), j.path("planes").asLong(), j.path("seconds").asDouble(),
                j.path("pass1_seconds").asDouble(), j.path("pass2_seconds").asDouble(),
                j.path("pass3_seconds").asDouble());
        o.printf("tasks                  %d + %d (failed attempts retried: %d)%n", j.path("pass1_tasks").asLong(),
                j.path("pass2_tasks").asLong(), j.path("task_attempts_failed").asLong());
        o.printf("ROIs / cells           %d / %d%n", j.path("rois").asLong(), j.path("cells").asLong());
        o.printf("outputs                %s (suite2p/, report.html, run.json, config.json)%n", out);
        o.flush();
        return 0;
    }
}
