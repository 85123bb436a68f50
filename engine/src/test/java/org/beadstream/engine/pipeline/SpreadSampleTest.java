package org.beadstream.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.evaluate.SimulationTruth;
import org.beadstream.engine.run.Inputs;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.engine.run.Sources;
import org.beadstream.traces.sink.NpyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detection.sample = spread}: an offline run bootstraps on blocks spread over the whole input (so that cells
 * silent at the start of a long session are found too), then processes every volume from the first.
 */
class SpreadSampleTest {

    @TempDir
    Path dir;

    @Test
    void shouldPlaceTheBlocksEvenlyFromTheFirstVolumeToTheLast() {
        assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99},
                SampleBootstrap.blockVolumes(100, 20, 2));
        final long[] v = SampleBootstrap.blockVolumes(400, 80, 10);
        assertEquals(80, v.length);
        assertEquals(0, v[0]);
        assertEquals(399, v[79], "the last block ends at the last volume");
        for (int i = 1; i < v.length; i++) {
            assertTrue(v[i] > v[i - 1], "ascending at " + i);
        }
        assertEquals(8, SampleBootstrap.blockVolumes(5000, 8, 10).length, "short windows keep whole blocks");
        assertArrayEquals(new long[] {0, 1, 2}, SampleBootstrap.blockVolumes(3, 10, 4), "small inputs: every volume");
    }

    @Test
    void shouldBootstrapOnBlocksAcrossTheSessionAndProcessEveryVolume() throws Exception {
        final Map<String, String> sim = Map.of("simulation.preset", "small", "simulation.seconds", "40",
                "simulation.neurons", "300", "simulation.seed", "11");
        final Path input = dir.resolve("sim");
        final ResolvedConfig simCfg = ConfigSchema.standard().resolve(null, sim, "test");
        final LbmSimulation truthSim;
        try (SimulatedLbmSource src = Sources.simulation(simCfg, false)) {
            truthSim = src.simulation();
        }
        assertEquals(0, org.beadstream.engine.cli.BeadStreamCommand.commandLine().execute("simulate", "--preset",
                "small", "--seconds", "40", "--neurons", "300", "--seed", "11", "--format", "raw", "--no-truth",
                "--out", input.toString()));
        final double[] recall = new double[2];
        final String[] samples = {"first", "spread"};
        for (int i = 0; i < 2; i++) {
            final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("detection.bootstrap_seconds",
                    "8", "detection.sample", samples[i], "output.report", "false", "output.nwb", "false",
                    "output.keep_checkpoint", "true", "recording.enabled", "false"), "test");
            final Inputs.Input in = Inputs.open(List.of(input), cfg, 0, 0);
            final RunSummary s;
            final PipelineRun run;
            final Path out = dir.resolve(samples[i]);
            try (var src = in.source()) {
                run = new PipelineRun("reprocess", src, in.layout(), in.calibration(), cfg, out).status(null)
                        .progress(in.frames()).checkpoint(true);
                s = run.run();
            }
            assertEquals(400, s.json().path("volumes_processed").asLong(), samples[i]);
            assertEquals(400, NpyFiles.header(out.resolve("suite2p/combined/F.npy")).shape()[1], samples[i]);
            final long[] window = BootstrapState.read(out.resolve(PipelineRun.CHECKPOINT)).windowVolumes();
            assertEquals(80, window.length, samples[i] + " window");
            assertEquals(i == 0 ? 79 : 399, window[window.length - 1], samples[i] + " window's last volume");
            // scored against every neuron that spiked at least 3 times anywhere in the 40 s
            final SimulationTruth truth = new SimulationTruth(truthSim, 0, 400, 400, 3, 20);
            recall[i] = truth.score(run.pipeline().footprints(), null).detection().recall();
        }
        // The simulator's firing is stationary but for a slow shared drive, so a spread window of the same length
        // sees about as many events per neuron as the first one: it must not lose cells (measured 0.314 -> 0.352).
        assertTrue(recall[1] >= recall[0] - 0.02, "recall over the whole session: first window " + recall[0]
                + ", spread sample " + recall[1]);
    }

    @Test
    void shouldRefuseASpreadSampleOfALiveSource() {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("simulation.seconds", "2",
                "detection.sample", "spread", "output.report", "false"), "test");
        try (SimulatedLbmSource src = Sources.simulation(cfg, true)) {
            final PipelineRun run = new PipelineRun("acquire", src, Pipelines.layoutOf(src.simulation()),
                    Pipelines.calibrationOf(src.simulation()), cfg, dir.resolve("live")).status(null);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::run);
            assertTrue(e.getMessage().contains("is live"), e.getMessage());
        }
    }
}
