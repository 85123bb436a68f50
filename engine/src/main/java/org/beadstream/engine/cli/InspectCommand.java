package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.beadstream.acquisition.scanimage.RecordingInspection;
import org.beadstream.acquisition.tiff.TiffStack;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream inspect FILE...}: what each recording holds (ScanImage version, geometry, planes, ROIs and strips,
 * rates, frames, duration, dropped-frame gaps in frameNumbers, anomalies), as text or {@code --json}. A file stands for
 * its whole recording (its numbered siblings); several files of one recording are reported once.
 *
 * <p>Exit codes: 0 when every recording was read and has no anomaly, 1 when one has anomalies (dropped frames...), 2
 * for unreadable input. Not thread-safe; one instance per invocation.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show what ScanImage or TIFF recordings hold: version, geometry, planes, ROIs, rates, frames, "
                + "duration, dropped frames and anomalies.")
public final class InspectCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "A file of each recording to inspect.")
    private List<Path> files;

    @Option(names = "--json", description = "Print JSON (an array with one object per recording).")
    private boolean json;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final Set<List<Path>> seen = new LinkedHashSet<>();
        final List<RecordingInspection> reports = new ArrayList<>();
        for (final Path f : files) {
            final List<Path> recording = TiffStack.recordingFiles(f).stream().map(p -> p.toAbsolutePath().normalize())
                    .toList();
            if (seen.add(recording)) {
                reports.add(RecordingInspection.inspect(f));
            }
        }
        boolean anomalies = false;
        if (json) {
            final ObjectMapper om = new ObjectMapper();
            final ArrayNode arr = om.createArrayNode();
            for (final RecordingInspection r : reports) {
                arr.add(r.json());
                anomalies |= !r.json().path("anomalies").isEmpty();
            }
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(arr));
        } else {
            for (final RecordingInspection r : reports) {
                out.print(r.text());
                anomalies |= !r.json().path("anomalies").isEmpty();
            }
        }
        out.flush();
        return anomalies ? 1 : 0;
    }
}
