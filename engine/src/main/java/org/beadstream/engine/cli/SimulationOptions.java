package org.beadstream.engine.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/**
 * The simulator's command-line options, shared by {@code simulate}, {@code acquire --source sim} and {@code demo};
 * each maps onto a {@code simulation.*} configuration key. Not thread-safe; one instance per invocation.
 */
public final class SimulationOptions {

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Simulated geometry: small, config-a, config-b (simulation.preset).")
    String preset;

    @Option(names = "--seconds", paramLabel = "S", description = "Length of the session in seconds (simulation.seconds).")
    Double seconds;

    @Option(names = "--neurons", paramLabel = "N", description = "Number of neurons (simulation.neurons).")
    Long neurons;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (simulation.seed).")
    Long seed;

    /** The options given, as configuration keys. */
    Map<String, Object> asConfig() {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("simulation.preset", preset);
        m.put("simulation.seconds", seconds);
        m.put("simulation.neurons", neurons);
        m.put("simulation.seed", seed);
        return m;
    }
}
