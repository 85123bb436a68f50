package org.beadstream.engine.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.Parameter;
import org.beadstream.engine.config.ResolvedConfig;

import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream config}: prints the configuration schema with defaults (as a table, JSON or Markdown), or checks a
 * configuration file and prints it resolved. Not thread-safe; one instance per invocation.
 */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the configuration schema and defaults, or check a configuration file.")
public final class ConfigCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--defaults", description = "Print every parameter with its default, unit, range and meaning.")
    private boolean defaults;

    @Option(names = "--check", paramLabel = "FILE", description = "Validate FILE and print the resolved configuration.")
    private Path check;

    @Option(names = "--format", defaultValue = "table", description = "table, json or markdown (default: ${DEFAULT-VALUE}).")
    private String format;

    @Override
    public Integer call() throws Exception {
        final PrintWriter out = spec.commandLine().getOut();
        final ConfigSchema schema = ConfigSchema.standard();
        final ResolvedConfig cfg = check != null ? schema.resolve(check, Map.of(), check.toString()) : schema.defaults();
        switch (format) {
            case "json":
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(cfg.toJson()));
                break;
            case "markdown":
                out.print(markdown(schema, cfg));
                break;
            case "table":
                out.print(table(schema, cfg));
                break;
            default:
                throw new IllegalArgumentException("--format must be table, json or markdown, was " + format);
        }
        if (check != null) {
            spec.commandLine().getErr().println(check + ": valid (schema version " + ConfigSchema.VERSION + ")");
        }
        out.flush();
        return 0;
    }

    /** The schema as a Markdown table (the source of docs/configuration.md). */
    static String markdown(final ConfigSchema schema, final ResolvedConfig cfg) {
        final StringBuilder sb = new StringBuilder();
        sb.append("| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n");
        for (final Parameter p : schema.parameters()) {
            sb.append("| `").append(p.key()).append("` | ").append(p.type().name().toLowerCase()).append(" | ")
                    .append(p.unit()).append(" | ").append(p.rangeText().replace("|", "\\|")).append(" | `")
                    .append(cfg.asMap().get(p.key())).append("` | ").append(p.description()).append(" |\n");
        }
        return sb.toString();
    }

    private static String table(final ConfigSchema schema, final ResolvedConfig cfg) {
        final StringBuilder sb = new StringBuilder();
        String stage = "";
        for (final Parameter p : schema.parameters()) {
            if (!p.stage().equals(stage)) {
                stage = p.stage();
                sb.append('\n').append('[').append(stage).append("]\n");
            }
            final Object v = cfg.asMap().get(p.key());
            sb.append(String.format("  %-24s = %-14s %-6s %-26s %s%n", p.name(), v, p.unit(), p.rangeText(),
                    p.description()));
        }
        return sb.toString();
    }
}
