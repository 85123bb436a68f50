package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream bench pipeline}: the end-to-end pipeline on simulated data at a chosen geometry and neuron count,
 * as fast as it goes (the simulator unpaced, no raw recording): bootstrap time, then sustained volumes per second of
 * registration + extraction + dF/F + deconvolution + files, the real-time factor against the geometry's volume rate,
 * and per-volume latency p50/p99. Not thread-safe; one instance per invocation.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
        description = {"End-to-end pipeline throughput, real-time factor and latency on simulated data.",
            "Example: beadstream bench pipeline --preset config-a --neurons 100000 --seconds 30"})
public final class BenchPipelineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: a temporary folder).")
    private Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE.")
    private Path json;

    @Mixin
    private SimulationOptions sim;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        final Map<String, Object> opts = sim.asConfig();
        opts.put("recording.enabled", false);
        if (sim.seconds == null) {
            opts.put("simulation.seconds", 30.0);
        }
        final ResolvedConfig cfg = config.resolve(opts);
        final Path dir = out != null ? out : Files.createTempDirectory("beadstream-bench-");
        final PrintWriter o = spec.commandLine().getOut();
        try (SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            o.printf("bench pipeline: %s, %d neurons, %d volumes of %d planes (%s)%n", src.name(),
                    src.simulation().neurons().count(), src.simulation().parameters().volumes(),
                    src.geometry().planes(), src.geometry());
            o.flush();
            final RunSummary s = new PipelineRun("bench-pipeline", src, Pipelines.layoutOf(src.simulation()),
                    Pipelines.calibrationOf(src.simulation()), cfg, dir).truth(src.simulation())
                    .progress(src.simulation().parameters().volumes() * src.geometry().planes()).run();
            s.put("neurons_simulated", src.simulation().neurons().count());
            s.put("java", System.getProperty("java.version"));
            s.put("cpus", Runtime.getRuntime().availableProcessors());
            s.write(dir);
            DemoCommand.print(o, s);
            if (json != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), s.json());
                o.printf("figures written to %s%n", json);
            }
            o.flush();
            return 0;
        }
    }
}
