package org.beadstream.engine.run;

import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.acquisition.sim.SimulationParameters;
import org.beadstream.engine.config.ResolvedConfig;

/**
 * Makes frame sources from the resolved configuration. Stateless and thread-safe.
 */
public final class Sources {

    private Sources() {
    }

    /**
     * The simulator's parameters from {@code simulation.*} (preset, neurons, seed, seconds) and
     * {@code acquisition.plane_order}.
     */
    public static SimulationParameters simulationParameters(final ResolvedConfig cfg) {
        final SimulationParameters.Builder b = SimulationParameters.builder(cfg.getText("simulation.preset"));
        final SimulationParameters preset = b.build();
        final long neurons = cfg.getLong("simulation.neurons");
        if (neurons > 0) {
            b.neurons(Math.toIntExact(neurons));
        }
        b.seed(cfg.getLong("simulation.seed"));
        final double brightness = cfg.getDouble("simulation.brightness");
        if (brightness > 0) {
            b.baseline(brightness, preset.baselineSigma());
        }
        final double seconds = cfg.getDouble("simulation.seconds");
        b.volumes(seconds <= 0 ? 0 : Math.max(1, Math.round(seconds * preset.volumeRateHz())));
        final int[] order = cfg.getIntList("acquisition.plane_order");
        if (order != null) {
            b.planeOrder(order);
        }
        return b.build();
    }

    /** An open simulated source: paced at the nominal rate when {@code live}, else as fast as it is read. */
    public static SimulatedLbmSource simulation(final ResolvedConfig cfg, final boolean live) {
        final SimulationParameters p = simulationParameters(cfg);
        final SimulatedLbmSource s = live ? SimulatedLbmSource.live(p) : SimulatedLbmSource.offline(p);
        s.open();
        return s;
    }
}
