package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream demo}: the embedded default. Simulates a small LBM session live (paced like a camera), runs the
 * live pipeline on it (recording, assembly, motion correction, detection, traces, dF/F, spikes, files, report), then
 * prints frames recorded against produced, skipped volumes, throughput, latency, detection F1 and the median trace
 * correlation against the simulator's ground truth. Not thread-safe; one instance per invocation.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Simulate a small LBM session live and run the whole pipeline on it, with accuracy and speed.")
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: runs/demo-<time>).")
    private Path out;

    @Mixin
    private SimulationOptions sim;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        final Map<String, Object> opts = sim.asConfig();
        opts.putIfAbsent("simulation.seconds", null);
        if (sim.seconds == null) {
            opts.put("simulation.seconds", 90.0);
        }
        final ResolvedConfig cfg = config.resolve(opts);
        final Path dir = out != null ? out : Path.of("runs", "demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        final PrintWriter o = spec.commandLine().getOut();
        try (SimulatedLbmSource src = Sources.simulation(cfg, true)) {
            o.printf("BeadStream demo: %s, %d planes of %d neurons' worth of tissue, %.0f s live at %.1f volumes/s%n",
                    src.name(), src.geometry().planes(), src.simulation().neurons().count(),
                    cfg.getDouble("simulation.seconds"), src.geometry().volumeRateHz());
            o.printf("  cells are detected after a %.0f s bootstrap window; outputs in %s%n",
                    cfg.getDouble("detection.bootstrap_seconds"), dir);
            o.flush();
            final RunSummary s = new PipelineRun("demo", src, Pipelines.layoutOf(src.simulation()),
                    Pipelines.calibrationOf(src.simulation()), cfg, dir).truth(src.simulation())
                    .recordingMetadata(Inputs.recordingMetadata(src.simulation())).run();
            src.simulation().writeTruth(dir.resolve("truth"), src.simulation().parameters().volumes());
            print(o, s);
            return s.json().path("frames_dropped").asLong() > 0 ? 1 : 0;
        }
    }

    /** Prints the run's headline figures. */
    static void print(final PrintWriter o, final RunSummary s) {
        final JsonNode j = s.json();
        o.println();
        o.printf("frames produced        %d%n", j.path("frames_produced").asLong());
        if (j.has("raw_files") || j.path("frames_recorded").asLong() > 0) {
            o.printf("frames recorded        %d  (dropped %d)%n", j.path("frames_recorded").asLong(),
                    j.path("frames_dropped").asLong());
        } else {
            o.printf("frames recorded        (recording off: the input is already recorded)%n");
        }
        if (!j.has("volumes_processed")) {
            o.printf("frame throughput       %.1f MB/s over %.1f s (recording only)%n", j.path("mb_per_s").asDouble(),
                    j.path("seconds").asDouble());
            o.printf("outputs                %s (run.json, config.json, raw recording)%n", j.path("output").asText());
            o.flush();
            return;
        }
        o.printf("volumes processed      %d  (skipped %d)%n", j.path("volumes_processed").asLong(),
                j.path("volumes_skipped").asLong());
        o.printf("frame throughput       %.1f MB/s%n", j.path("mb_per_s").asDouble());
        o.printf("processing             %.2f ms/volume = %.0f volumes/s capacity, real-time factor %.1f%n",
                j.path("processing_ms_per_volume").asDouble(Double.NaN),
                j.path("volumes_per_s_capacity").asDouble(Double.NaN), j.path("real_time_factor").asDouble(Double.NaN));
        o.printf("latency p50 / p99      %.2f / %.2f ms (volume complete -> traces out)%n",
                j.path("latency_p50_ms").asDouble(Double.NaN), j.path("latency_p99_ms").asDouble(Double.NaN));
        final com.fasterxml.jackson.databind.JsonNode st = j.path("stage_ms");
        if (st.size() > 0) {
            final StringBuilder b = new StringBuilder();
            st.fields().forEachRemaining(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.2f", e.getValue().path("p50").asDouble())));
            o.printf("stages, p50 ms         %s%n", b);
        }
        o.printf("bootstrap              %.1f s (templates, registration, detection of %d volumes)%n",
                j.path("bootstrap_seconds").asDouble(), j.path("bootstrap_volumes").asLong());
        o.printf("ROIs / cells           %d / %d%n", j.path("rois").asLong(), j.path("cells").asLong());
        if (j.has("live_view")) {
            o.printf("live view              %s (redrawn while it ran)%n", j.path("live_view").asText());
        }
        if (j.has("detection_f1")) {
            o.printf("detection              F1 %.3f (precision %.3f, recall %.3f; IoU >= 0.5)%n",
                    j.path("detection_f1").asDouble(Double.NaN), j.path("detection_precision").asDouble(Double.NaN),
                    j.path("detection_recall").asDouble(Double.NaN));
            o.printf("median trace r         %.3f over %d matched neurons (dF/F vs ground truth)%n",
                    j.path("median_trace_r").asDouble(Double.NaN), j.path("neurons_matched").asLong());
        }
        o.printf("device                 %s%n", j.path("device").asText());
        o.printf("outputs                %s (report.html, run.json, config.json, suite2p/%s%s)%n",
                j.path("output").asText(), j.has("nwb") ? ", suite2p/ophys.nwb" : "",
                j.has("raw_files") ? ", raw recording" : "");
        o.flush();
    }
}
