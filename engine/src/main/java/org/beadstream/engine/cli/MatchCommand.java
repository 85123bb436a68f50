package org.beadstream.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.sessions.MatchParameters;
import org.beadstream.segmentation.sessions.RoiMatch;
import org.beadstream.segmentation.sessions.SessionMatch;
import org.beadstream.segmentation.sessions.SessionMatcher;
import org.beadstream.segmentation.sessions.SessionRegistration;
import org.beadstream.segmentation.sessions.SessionTransform;
import org.beadstream.traces.sink.Suite2pLayoutReader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream match RUN_A RUN_B}: follows the same neurons across two sessions of one field of view (days of
 * practice, say). Registers each plane's mean image of session B onto session A's (rigid, then block-wise affine),
 * maps B's ROIs into A and pairs them one-to-one by overlap and distance, with a confidence per pair; ROIs left
 * without a partner are listed for both sessions. Reads only the runs' folders (suite2p/combined ROI files and the
 * per-plane meanImg.npy). Not thread-safe; one instance per invocation.
 */
@Command(name = "match", mixinStandardHelpOptions = true,
        description = {"Match the ROIs of two sessions of the same field of view (identity across days).",
            "Example: beadstream match runs/day1 runs/day2 --out runs/day1-day2.json"})
public final class MatchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "Reference session's run folder.")
    private Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "Session to match onto it.")
    private Path runB;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "JSON output (default: RUN_B/match.json).")
    private Path out;

    @Option(names = "--max-distance", defaultValue = "5", paramLabel = "PX",
            description = "Largest centroid distance of a pair after registration, px (default: ${DEFAULT-VALUE}).")
    private double maxDistance;

    @Option(names = "--distance-sigma", defaultValue = "2", paramLabel = "PX",
            description = "Distance scale of the confidence, px (default: ${DEFAULT-VALUE}).")
    private double sigma;

    @Option(names = "--min-confidence", defaultValue = "0.3", paramLabel = "C",
            description = "Pairs below this confidence are left unmatched (default: ${DEFAULT-VALUE}).")
    private double minConfidence;

    @Override
    public Integer call() throws IOException {
        final Footprints a = Suite2pLayoutReader.footprints(runA);
        final Footprints b = Suite2pLayoutReader.footprints(runB);
        if (a.planeCount() != b.planeCount() || a.planeWidth() != b.planeWidth()
                || a.planeHeight() != b.planeHeight()) {
            throw new IllegalArgumentException(runA + " has " + a.planeCount() + " planes of " + a.planeWidth() + " x "
                    + a.planeHeight() + ", " + runB + " has " + b.planeCount() + " of " + b.planeWidth() + " x "
                    + b.planeHeight() + ": not the same field of view");
        }
        final List<float[]> meanA = new ArrayList<>();
        final List<float[]> meanB = new ArrayList<>();
        for (int p = 0; p < a.planeCount(); p++) {
            meanA.add(Suite2pLayoutReader.image(runA, p, "meanImg"));
            meanB.add(Suite2pLayoutReader.image(runB, p, "meanImg"));
        }
        final SessionMatch m = new SessionMatcher(SessionRegistration.standard(),
                new MatchParameters(maxDistance, sigma, minConfidence)).match(a, meanA, b, meanB);
        final Path file = out != null ? out : runB.resolve("match.json");
        JSON.writeValue(file.toFile(), toJson(a, b, m));
        print(spec.commandLine().getOut(), a, b, m, file);
        return 0;
    }

    private Map<String, Object> toJson(final Footprints a, final Footprints b, final SessionMatch m) {
        final Map<String, Object> j = new LinkedHashMap<>();
        j.put("run_a", runA.toAbsolutePath().toString());
        j.put("run_b", runB.toAbsolutePath().toString());
        j.put("parameters", Map.of("max_distance_px", maxDistance, "distance_sigma_px", sigma, "min_confidence",
                minConfidence));
        j.put("rois_a", a.roiCount());
        j.put("rois_b", b.roiCount());
        j.put("matched", m.matches().size());
        final List<Map<String, Object>> planes = new ArrayList<>();
        for (int p = 0; p < m.transforms().size(); p++) {
            final SessionTransform t = m.transforms().get(p);
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("plane", p);
            e.put("shift_x_px", t.forwardX(a.planeWidth() / 2.0, a.planeHeight() / 2.0) - a.planeWidth() / 2.0);
            e.put("shift_y_px", t.forwardY(a.planeWidth() / 2.0, a.planeHeight() / 2.0) - a.planeHeight() / 2.0);
            e.put("rotation_deg", t.rotationDegrees());
            e.put("affine_a_to_b", new double[] {t.a11(), t.a12(), t.a13(), t.a21(), t.a22(), t.a23()});
            planes.add(e);
        }
        j.put("planes", planes);
        final List<Map<String, Object>> pairs = new ArrayList<>();
        for (final RoiMatch r : m.matches()) {
            final Map<String, Object> e = new LinkedHashMap<>();
            e.put("roi_a", r.roiA());
            e.put("roi_b", r.roiB());
            e.put("plane", a.plane(r.roiA()));
            e.put("distance_px", r.distancePixels());
            e.put("iou", r.iou());
            e.put("confidence", r.confidence());
            pairs.add(e);
        }
        j.put("matches", pairs);
        j.put("unmatched_a", m.unmatchedA());
        j.put("unmatched_b", m.unmatchedB());
        return j;
    }

    private void print(final PrintWriter o, final Footprints a, final Footprints b, final SessionMatch m,
            final Path file) {
        o.printf("session A              %s (%d ROIs)%n", runA, a.roiCount());
        o.printf("session B              %s (%d ROIs)%n", runB, b.roiCount());
        for (int p = 0; p < m.transforms().size(); p++) {
            final SessionTransform t = m.transforms().get(p);
            final double cx = a.planeWidth() / 2.0;
            final double cy = a.planeHeight() / 2.0;
            o.printf("plane %-3d              B = A shifted by (%.2f, %.2f) px, rotated %.2f deg%n", p,
                    t.forwardX(cx, cy) - cx, t.forwardY(cx, cy) - cy, t.rotationDegrees());
        }
        final double[] conf = m.matches().stream().mapToDouble(RoiMatch::confidence).sorted().toArray();
        o.printf("matched                %d (%.1f %% of A, %.1f %% of B), median confidence %.2f%n",
                m.matches().size(), 100.0 * m.matches().size() / Math.max(1, a.roiCount()),
                100.0 * m.matches().size() / Math.max(1, b.roiCount()),
                conf.length == 0 ? Double.NaN : conf[conf.length / 2]);
        o.printf("only in A / only in B  %d / %d%n", m.unmatchedA().length, m.unmatchedB().length);
        o.printf("written                %s%n", file);
        o.flush();
    }
}
