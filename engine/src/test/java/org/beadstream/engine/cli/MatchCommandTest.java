package org.beadstream.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.cli.Cli.Result;
import org.beadstream.engine.pipeline.Pipelines;
import org.beadstream.engine.run.Sources;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.sink.Suite2pLayoutReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/**
 * {@code beadstream match} pairs the ROIs of two runs of the same neurons whose field of view moved between them: the
 * second run is the same recording assembled with every plane displaced by (+4, -3) px (a calibration file), as a
 * field that shifted between two days would be, so every true partner is known: the ROI whose centroid moved by
 * exactly that shift.
 */
class MatchCommandTest {

    private static final double SHIFT_X = 4;
    private static final double SHIFT_Y = -3;

    @TempDir
    Path dir;

    @Test
    void shouldFollowTheSameNeuronsAcrossAShiftedFieldOfView() throws Exception {
        final Path sim = dir.resolve("sim");
        assertEquals(0, run("simulate", "--preset", "small", "--seconds", "12", "--neurons", "150", "--seed", "5",
                "--format", "scanimage", "--no-truth", "--out", sim.toString()).code());
        final PlaneCalibration recorded;
        try (SimulatedLbmSource src = Sources.simulation(ConfigSchema.standard().resolve(null, Map.of(
                "simulation.preset", "small", "simulation.seconds", "12", "simulation.neurons", "150",
                "simulation.seed", "5"), "test"), false)) {
            recorded = Pipelines.calibrationOf(src.simulation());
        }
        final Path a = dir.resolve("dayA");
        final Path b = dir.resolve("dayB");
        final StringBuilder offsets = new StringBuilder();
        final StringBuilder shifted = new StringBuilder();
        for (int d = 0; d < recorded.planes(); d++) {
            offsets.append(d == 0 ? "" : ", ").append('[').append(recorded.dx(d)).append(", ")
                    .append(recorded.dy(d)).append(']');
            shifted.append(d == 0 ? "" : ", ").append('[').append(recorded.dx(d) + SHIFT_X).append(", ")
                    .append(recorded.dy(d) + SHIFT_Y).append(']');
        }
        final String order = java.util.Arrays.toString(recorded.channelToDepth());
        final Path calA = Files.writeString(dir.resolve("calA.json"),
                "{\"channelToDepth\": " + order + ", \"offsetsPx\": [" + offsets + "]}");
        final Path calB = Files.writeString(dir.resolve("calB.json"),
                "{\"channelToDepth\": " + order + ", \"offsetsPx\": [" + shifted + "]}");
        for (final Path[] runAndCal : new Path[][] {{a, calA}, {b, calB}}) {
            final Result r = run("reprocess", sim.toString(), "--out", runAndCal[0].toString(), "--set",
                    "assembly.plane_offsets_file=" + runAndCal[1], "--set", "detection.bootstrap_seconds=8", "--set",
                    "output.report=false", "--set", "output.nwb=false");
            assertEquals(0, r.code(), r.err());
        }
        final Path json = dir.resolve("match.json");
        final Result m = run("match", a.toString(), b.toString(), "--out", json.toString());
        assertEquals(0, m.code(), m.err());
        assertTrue(m.out().contains("matched") && m.out().contains("only in A / only in B"), m.out());

        final JsonNode j = new ObjectMapper().readTree(json.toFile());
        final Footprints fa = Suite2pLayoutReader.footprints(a);
        final Footprints fb = Suite2pLayoutReader.footprints(b);
        final int matched = j.path("matched").asInt();
        assertTrue(fa.roiCount() > 30, "ROIs on day A: " + fa.roiCount());
        assertTrue(matched >= 0.85 * Math.min(fa.roiCount(), fb.roiCount()), matched + " matched of "
                + fa.roiCount() + " / " + fb.roiCount());
        assertEquals(fa.roiCount() - matched, j.path("unmatched_a").size(), "every ROI of A is matched or listed");
        assertEquals(fb.roiCount() - matched, j.path("unmatched_b").size(), "every ROI of B is matched or listed");
        // The true partner of A's ROI is B's ROI nearest to where the neuron moved: A's centroid plus the assembly
        // shift plus the difference between the two runs' registration templates (each run registers to a template
        // built from its own frames, whose position is set by the data within the motion amplitude, 2 px here).
        int correct = 0;
        final StringBuilder wrong = new StringBuilder();
        for (final JsonNode pair : j.path("matches")) {
            final int ra = pair.path("roi_a").asInt();
            final int rb = pair.path("roi_b").asInt();
            final double xb = fa.stats(ra).centroidX() + SHIFT_X;
            final double yb = fa.stats(ra).centroidY() + SHIFT_Y;
            int nearest = -1;
            double best = Double.MAX_VALUE;
            for (final int r : fb.roisOnPlane(fa.plane(ra))) {
                final double d = Math.hypot(fb.stats(r).centroidX() - xb, fb.stats(r).centroidY() - yb);
                if (d < best) {
                    best = d;
                    nearest = r;
                }
            }
            if (nearest == rb && best <= 4) {
                correct++;
            } else {
                wrong.append(String.format(" [A%d -> B%d, nearest B%d at %.1f px]", ra, rb, nearest, best));
            }
            assertTrue(pair.path("confidence").asDouble() >= 0.3 && pair.path("confidence").asDouble() <= 1,
                    pair.toString());
        }
        assertTrue(correct >= 0.95 * matched, correct + " of " + matched + " matches are the same neuron:" + wrong
                + "\n" + m.out());
        for (final JsonNode plane : j.path("planes")) {
            final int p = plane.path("plane").asInt();
            if (fa.roisOnPlane(p).length >= 5 && fb.roisOnPlane(p).length >= 5) {
                // the assembly shift, give or take the difference of the two runs' templates (see above)
                assertEquals(SHIFT_X, plane.path("shift_x_px").asDouble(), 2.0, "plane " + p + " x shift\n" + m.out());
                assertEquals(SHIFT_Y, plane.path("shift_y_px").asDouble(), 2.0, "plane " + p + " y shift\n" + m.out());
            }
        }
    }

    @Test
    void shouldNameTheFolderThatHoldsNoRun() {
        final Result r = run("match", dir.resolve("nothing").toString(), dir.resolve("nothing2").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("nothing") && r.err().contains("suite2p"), r.err());
    }

    private static Result run(final String... args) {
        return Cli.run(args);
    }
}
