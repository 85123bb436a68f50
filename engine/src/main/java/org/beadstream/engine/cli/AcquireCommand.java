package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.micromanager.MicroManagerCores;
import org.beadstream.acquisition.micromanager.MicroManagerSource;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.PipelineRun;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.run.AcquisitionRun;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream acquire}: live acquisition from a camera (Micro-Manager) or the simulator. Every frame is recorded
 * losslessly; alongside, the live pipeline assembles, registers, detects (after the bootstrap window) and writes
 * traces, skipping whole volumes (counted) if it falls behind; live counters, a clean stop on Ctrl-C and
 * {@code run.json}. {@code --no-process} only records. Exit code 1 if any frame was dropped. Not thread-safe; one
 * instance per invocation.
 */
@Command(name = "acquire", mixinStandardHelpOptions = true,
        description = {"Acquire live frames (camera or simulator), record every one losslessly, process them live.",
            "Example: beadstream acquire --source sim --preset config-a --seconds 60 --out /data/simtest"})
public final class AcquireCommand implements Callable<Integer> {

    /** Where frames come from. */
    enum SourceKind { sim, micromanager }

    @Spec
    private CommandSpec spec;

    @Option(names = "--source", defaultValue = "sim", description = "sim or micromanager (default: ${DEFAULT-VALUE}).")
    private SourceKind source;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    private Path out;

    @Option(names = "--no-process", description = "Only record (no assembly, registration or traces).")
    private boolean noProcess;

    @Option(names = "--no-record", description = "Do not record raw frames (process only).")
    private boolean noRecord;

    @Option(names = "--mm-config", paramLabel = "FILE",
            description = "Micro-Manager hardware configuration (.cfg) to load (micromanager source).")
    private Path mmConfig;

    @Option(names = "--camera", paramLabel = "LABEL", description = "Camera device label (default: the core's camera).")
    private String camera;

    @Option(names = "--planes", paramLabel = "N", description = "Pages per volume from the camera (acquisition.planes).")
    private Integer planes;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "0",
            description = "Volume rate of the camera stream, for ring sizing and trace time stamps.")
    private double rate;

    @Option(names = "--strips", paramLabel = "N", defaultValue = "1",
            description = "ROI strips stacked in each camera page (micromanager source).")
    private int strips;

    @Option(names = "--fly-to-lines", paramLabel = "N", defaultValue = "0",
            description = "Lines between stacked strips (micromanager source).")
    private int flyTo;

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
        opts.put("acquisition.planes", planes);
        final ResolvedConfig cfg = config.resolve(opts);
        final PrintWriter o = spec.commandLine().getOut();
        if (source == SourceKind.sim) {
            try (SimulatedLbmSource src = Sources.simulation(cfg, true)) {
                o.printf("acquiring from %s (%s) into %s%n", src.name(), src.geometry(), out);
                o.flush();
                final Map<String, Object> meta = Inputs.recordingMetadata(src.simulation());
                final RunSummary s = noProcess
                        ? new AcquisitionRun("acquire", src, out, cfg).recordingMetadata(meta).run()
                        : new PipelineRun("acquire", src, Pipelines.layoutOf(src.simulation()),
                                Pipelines.calibrationOf(src.simulation()), cfg, out).truth(src.simulation())
                                .recordingMetadata(meta).run();
                return finish(o, s);
            }
        }
        if (mmConfig == null) {
            throw new IllegalArgumentException("--source micromanager needs --mm-config FILE (the rig's .cfg)");
        }
        final MicroManagerSource.Builder b = MicroManagerSource.builder(MicroManagerCores.withConfiguration(mmConfig))
                .planesPerVolume(cfg.getInt("acquisition.planes"))
                .stallTimeout(Duration.ofMillis((long) (cfg.getDouble("acquisition.read_timeout_s") * 1000)));
        if (camera != null) {
            b.camera(camera);
        }
        if (rate > 0) {
            b.volumeRateHz(rate);
        }
        try (FrameSource src = b.build()) {
            src.open();
            o.printf("acquiring from %s (%s) into %s%n", src.name(), src.geometry(), out);
            o.flush();
            final var g = src.geometry();
            final int stripHeight = (g.height() - (strips - 1) * flyTo) / strips;
            final AssemblyLayout layout = AssemblyLayout.uniform(strips, g.width(), stripHeight, flyTo,
                    cfg.getInt("assembly.trim_px"), cfg.getInt("assembly.trim_px"));
            final PlaneCalibration cal = cfg.getText("assembly.plane_offsets_file") != null
                    ? PlaneCalibration.read(Path.of(cfg.getText("assembly.plane_offsets_file")), g.planes())
                    : PlaneCalibration.identity(g.planes());
            final RunSummary s = noProcess ? new AcquisitionRun("acquire", src, out, cfg).run()
                    : new PipelineRun("acquire", src, layout, cal, cfg, out).run();
            return finish(o, s);
        }
    }

    private static int finish(final PrintWriter o, final RunSummary s) {
        DemoCommand.print(o, s);
        return s.json().path("frames_dropped").asLong() > 0 ? 1 : 0;
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
