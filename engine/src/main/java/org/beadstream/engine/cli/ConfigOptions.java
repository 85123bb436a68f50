package org.beadstream.engine.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;

import picocli.CommandLine.Option;

/**
 * The options every processing command shares: {@code --config FILE} and {@code --set key=value}. A command resolves
 * them with its own options on top ({@link #resolve(Map)}). Not thread-safe; one instance per invocation.
 */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (JSON nested by stage; see 'beadstream config --defaults').")
    private Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override one configuration key, e.g. --set motion.block_size_px=96 (repeatable).")
    private Map<String, String> overrides = new LinkedHashMap<>();

    /** True when {@code --config} or {@code --set} was given. */
    public boolean given() {
        return file != null || !overrides.isEmpty();
    }

    /**
     * Resolves defaults, then the file, then {@code --set}, then {@code commandOptions} (the command's own options,
     * already as dotted keys; null values are left out).
     */
    public ResolvedConfig resolve(final Map<String, Object> commandOptions) {
        final Map<String, String> all = new LinkedHashMap<>(overrides);
        for (final Map.Entry<String, Object> e : commandOptions.entrySet()) {
            if (e.getValue() != null) {
                all.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        return ConfigSchema.standard().resolve(file, all, file == null ? "command line" : file.toString());
    }
}
