package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.AcquisitionRun;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream acquire}: live acquisition from a camera (Micro-Manager) or the simulator, recorded losslessly,
 * with live counters, a clean stop on Ctrl-C and {@code run.json}. Exit code 1 if any frame was dropped. Not
 * thread-safe; one instance per invocation.
 */
@Command(name = "acquire", mixinStandardHelpOptions = true,
        description = "Acquire live frames (camera or simulator) and record every one losslessly.")
public final class AcquireCommand implements Callable<Integer> {

    /** Where frames come from. */
    enum SourceKind { sim, micromanager }

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", defaultValue = "sim", description = "sim or micromanager (default: ${DEFAULT-VALUE}).")
    private SourceKind source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    private Path out;

    @Option(names = "--no-record", description = "Do not record raw frames (only count them).")
    private boolean noRecord;

    @Mixin
    private SimulationOptions sim;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        final Map<String, Object> opts = sim.asConfig();
        if (noRecord) {
            opts.put("recording.enabled", false);
        }
        final ResolvedConfig cfg = config.resolve(opts);
        final PrintWriter o = spec.commandLine().getOut();
        final FrameSource src;
        final double seconds;
        switch (source) {
            case sim:
                // Paced like a camera; the simulator ends after whole volumes covering --seconds (0: until Ctrl-C).
                src = Sources.simulation(cfg, true);
                seconds = 0;
                break;
            default:
                throw new IllegalArgumentException("--source " + source + " is not available in this build");
        }
        try (src) {
            o.printf("acquiring from %s (%s) into %s%n", src.name(), src.geometry(), out);
            o.flush();
            final RunSummary s = new AcquisitionRun("acquire", src, out, cfg).maxSeconds(seconds).run();
            return report(o, s);
        }
    }

    /** Prints the final counts; exit code 1 if frames were dropped. */
    static int report(final PrintWriter o, final RunSummary s) {
        final var j = s.json();
        o.printf("frames produced %d, recorded %d, dropped %d; volumes skipped %d; %.1f MB/s over %.1f s%n",
                j.path("frames_produced").asLong(), j.path("frames_recorded").asLong(),
                j.path("frames_dropped").asLong(), j.path("volumes_skipped").asLong(), j.path("mb_per_s").asDouble(),
                j.path("seconds").asDouble());
        o.printf("wrote %s%n", Path.of(j.path("output").asText()).resolve("run.json"));
        o.flush();
        return j.path("frames_dropped").asLong() > 0 ? 1 : 0;
    }
}
