package org.beadstream.engine.cli;

import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;

/** Test access to the package-private Markdown rendering of the schema. */
public final class ConfigCommandAccess {

    private ConfigCommandAccess() {
    }

    /** The schema as the Markdown table of docs/configuration.md. */
    public static String markdown(final ConfigSchema schema, final ResolvedConfig cfg) {
        return ConfigCommand.markdown(schema, cfg);
    }
}
