package org.beadstream.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;
import org.beadstream.traces.sink.NpyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live pipeline (paced simulated camera, async bootstrap, recorder alongside) and the offline pipeline over the
 * recording it made give the same traces.
 */
class LiveOfflineEquivalenceTest {

    @TempDir
    Path dir;

    @Test
    void shouldGiveTheSameTracesLiveAndOfflineOnTheSameData() throws Exception {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("simulation.preset", "small",
                "simulation.seconds", "12", "simulation.neurons", "150", "simulation.seed", "5",
                "detection.bootstrap_seconds", "6", "output.report", "false"), "test");
        final Path live = dir.resolve("live");
        final RunSummary l;
        try (SimulatedLbmSource src = Sources.simulation(cfg, true)) {
            l = new PipelineRun("acquire", src, Pipelines.layoutOf(src.simulation()),
                    Pipelines.calibrationOf(src.simulation()), cfg, live).status(null)
                    .recordingMetadata(Inputs.recordingMetadata(src.simulation())).run();
        }
        assertEquals(0, l.json().path("volumes_skipped").asLong(), "live run kept up");
        assertEquals(120, l.json().path("volumes_processed").asLong());
        assertTrue(l.json().path("rois").asLong() > 10, "cells found: " + l.json().path("rois"));

        final Path offline = dir.resolve("offline");
        final ResolvedConfig off = cfg.with("recording.enabled", false);
        final Inputs.Input in = Inputs.open(List.of(live), off, 0, 0);
        final RunSummary o;
        try (var src = in.source()) {
            o = new PipelineRun("reprocess", src, in.layout(), in.calibration(), off, offline).status(null).run();
        }
        assertEquals(l.json().path("rois").asLong(), o.json().path("rois").asLong(), "same cells");
        for (final String name : List.of("F.npy", "Fneu.npy", "dff.npy", "spks.npy")) {
            final float[] a = NpyFiles.readFloat32(live.resolve("suite2p/combined/" + name));
            final float[] b = NpyFiles.readFloat32(offline.resolve("suite2p/combined/" + name));
            assertEquals(a.length, b.length, name + " size");
            // float32 arithmetic in the same order on the same device: equal to rounding
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], b[i], 1e-4f * Math.max(1f, Math.abs(a[i])), name + " element " + i);
            }
        }
        assertArrayEquals(NpyFiles.readFloat64(live.resolve("suite2p/combined/iscell.npy")),
                NpyFiles.readFloat64(offline.resolve("suite2p/combined/iscell.npy")), 0.0);
    }
}
