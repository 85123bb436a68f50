package org.beadstream.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;

import org.beadstream.traces.nwb.NwbExporter;
import org.beadstream.traces.nwb.NwbMetadata;
import org.beadstream.traces.sink.Suite2pLayoutSink;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream export --to nwb RUNDIR}: writes an NWB 2.7 file from a run folder's suite2p-layout traces
 * (RUNDIR/suite2p/plane*), optionally repairing a run that was killed first. Not thread-safe; one instance per
 * invocation.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a run's traces (RUNDIR/suite2p) to another format.",
            "Example: beadstream export --to nwb runs/2026-11-24 --indicator GCaMP6s --location VISp"})
public final class ExportCommand implements Callable<Integer> {

    /** Export formats. */
    enum Target { nwb }

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUNDIR", description = "Run folder holding suite2p/plane0, plane1, ...")
    private Path runDir;

    @Option(names = "--to", required = true, paramLabel = "FORMAT", description = "Target format: ${COMPLETION-CANDIDATES}.")
    private Target target;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Output file (default: RUNDIR/suite2p/ophys.nwb, where suite2p puts it).")
    private Path out;

    @Option(names = "--repair", description = "First repair files left by a killed run (cut to the last complete volume).")
    private boolean repair;

    @Option(names = "--identifier", paramLabel = "ID", description = "NWB identifier (default: from the folder name and start time).")
    private String identifier;

    @Option(names = "--description", paramLabel = "TEXT", description = "NWB session_description.")
    private String description;

    @Option(names = "--session-start", paramLabel = "ISO8601",
            description = "Session start time with offset, e.g. 2026-11-24T09:30:00+01:00 (default: when the run started).")
    private String sessionStart;

    @Option(names = "--indicator", defaultValue = "GCaMP6s", paramLabel = "NAME",
            description = "Calcium indicator (default: ${DEFAULT-VALUE}).")
    private String indicator;

    @Option(names = "--location", defaultValue = "unknown", paramLabel = "AREA",
            description = "Brain area imaged (default: ${DEFAULT-VALUE}).")
    private String location;

    @Option(names = "--excitation-nm", defaultValue = "960", paramLabel = "NM",
            description = "Excitation wavelength in nm (default: ${DEFAULT-VALUE}).")
    private double excitationNm;

    @Option(names = "--emission-nm", defaultValue = "510", paramLabel = "NM",
            description = "Emission wavelength in nm (default: ${DEFAULT-VALUE}).")
    private double emissionNm;

    @Option(names = "--plane-spacing-um", paramLabel = "UM", description = "Axial spacing of the planes in um.")
    private Double planeSpacingUm;

    @Override
    public Integer call() throws IOException {
        final PrintWriter w = spec.commandLine().getOut();
        if (!Files.isDirectory(runDir)) {
            throw new IOException("run folder " + runDir + " does not exist");
        }
        if (repair) {
            final List<Suite2pLayoutSink.RepairReport> reports = Suite2pLayoutSink.repair(runDir);
            for (final Suite2pLayoutSink.RepairReport r : reports) {
                w.printf("repaired %s: %d volumes kept (spikes final for %d), %d torn bytes cut%n",
                        runDir.relativize(r.folder()), r.framesKept(), r.spikeFramesKept(), r.bytesCut());
            }
        }
        NwbMetadata meta = NwbExporter.defaultMetadata(runDir);
        if (identifier != null || sessionStart != null) {
            OffsetDateTime start = meta.sessionStartTime();
            if (sessionStart != null) {
                try {
                    start = OffsetDateTime.parse(sessionStart);
                } catch (final DateTimeParseException e) {
                    throw new IllegalArgumentException("--session-start must be ISO 8601 with an offset, e.g. "
                            + "2026-11-24T09:30:00+01:00, was " + sessionStart, e);
                }
            }
            meta = NwbMetadata.defaults(identifier != null ? identifier : meta.identifier(), start);
        }
        meta = meta.withIndicator(indicator).withLocation(location).withWavelengths(excitationNm, emissionNm);
        if (description != null) {
            meta = meta.withSessionDescription(description);
        }
        if (planeSpacingUm != null) {
            meta = meta.withPlaneSpacingUm(planeSpacingUm);
        }
        final Path file = out != null ? out : runDir.resolve("suite2p").resolve("ophys.nwb");
        final NwbExporter.Report r = NwbExporter.export(runDir, file, meta);
        w.printf("wrote %s: NWB %s, %d planes, %d ROIs, %d volumes%n", r.file(), NwbExporter.NWB_VERSION, r.planes(),
                r.rois(), r.frames());
        return 0;
    }
}
