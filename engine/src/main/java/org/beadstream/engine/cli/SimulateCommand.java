package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.ring.FrameConsumer;
import org.beadstream.acquisition.scanimage.ScanImageWriter;
import org.beadstream.acquisition.sim.LbmLayout;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ResolvedConfig;
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
 * {@code beadstream simulate}: writes a simulated LBM session as fast as it can be made, as a BeadStream raw
 * recording or as ScanImage BigTIFF files, with the ground truth in {@code OUT/truth/}. Not thread-safe; one instance
 * per invocation.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Simulate an LBM session with ground truth; write it as a raw recording or ScanImage files.")
public final class SimulateCommand implements Callable<Integer> {

    /** Output file format. */
    enum Format { raw, scanimage }

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    private Path out;

    @Option(names = "--format", defaultValue = "raw",
            description = "raw (BeadStream raw recording) or scanimage (ScanImage BigTIFF) (default: ${DEFAULT-VALUE}).")
    private Format format;

    @Option(names = "--no-truth", description = "Do not write the ground truth.")
    private boolean noTruth;

    @Mixin
    private SimulationOptions sim;

    @Mixin
    private ConfigOptions config;

    @Override
    public Integer call() {
        final ResolvedConfig cfg = config.resolve(sim.asConfig());
        if (cfg.getDouble("simulation.seconds") <= 0) {
            throw new IllegalArgumentException("simulate needs a positive --seconds, was "
                    + cfg.getDouble("simulation.seconds"));
        }
        final PrintWriter o = spec.commandLine().getOut();
        try (SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            final long volumes = src.simulation().parameters().volumes();
            o.printf("simulating %s: %d volumes of %d planes, %d neurons, into %s (%s)%n", src.name(), volumes,
                    src.geometry().planes(), src.simulation().neurons().count(), out, format);
            o.flush();
            final AcquisitionRun run = new AcquisitionRun("simulate", src, out, cfg)
                    .recordingMetadata(Inputs.recordingMetadata(src.simulation()));
            ScanImageWriter writer = null;
            if (format == Format.scanimage) {
                writer = scanImageWriter(src, out);
                run.recorder("scanimage-writer", new WriterConsumer(writer));
            }
            final RunSummary s;
            try {
                s = run.run();
            } finally {
                if (writer != null) {
                    writer.close();
                }
            }
            if (writer != null) {
                s.put("scanimage_files", writer.files().size()).put("frames_recorded", writer.pagesWritten());
                s.write(out);
            }
            if (!noTruth) {
                final Path truth = out.resolve("truth");
                src.simulation().writeTruth(truth, volumes);
                o.printf("ground truth in %s (see docs/simulator.md)%n", truth);
            }
            return AcquireCommand.report(o, s);
        }
    }

    /** A ScanImage writer whose header describes the simulator's strips and fly-to lines. */
    static ScanImageWriter scanImageWriter(final SimulatedLbmSource src, final Path dir) {
        final FrameGeometry g = src.geometry();
        final LbmLayout layout = src.simulation().layout();
        final var header = ScanImageWriter.lbmHeader(null, g,
                ScanImageWriter.sideBySideStrips(layout.strips(), g.width(), layout.stripHeight()),
                layout.flyToLines(), true);
        return ScanImageWriter.create(dir, "sim", header, g, Long.MAX_VALUE);
    }

    /** Adapts the writer to the ring (it records every frame, like the raw recorder). */
    private static final class WriterConsumer implements FrameConsumer {
        private final ScanImageWriter writer;

        WriterConsumer(final ScanImageWriter writer) {
            this.writer = writer;
        }

        @Override
        public void onFrame(final FrameSlot slot, final long sequence, final boolean endOfBatch) {
            writer.write(slot);
        }
    }
}
