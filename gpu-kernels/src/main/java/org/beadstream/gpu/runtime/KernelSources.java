package org.beadstream.gpu.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads kernel sources from the classpath and resolves {@code #include "name.cl"} lines (each file included once,
 * relative to {@value #BASE}). Stateless and thread-safe.
 */
public final class KernelSources {

    /** Classpath folder of every kernel: {@code <stem>.cl} holds kernel {@code <stem>}. */
    public static final String BASE = "org/beadstream/gpu/kernels/";

    private static final Pattern INCLUDE = Pattern.compile("^\\s*#\\s*include\\s+[\"<]([^\">]+)[\">]\\s*$",
            Pattern.MULTILINE);

    private KernelSources() {
    }

    /**
     * The source of kernel {@code stem} ({@value #BASE}{@code stem.cl}) with includes resolved.
     *
     * @throws IllegalArgumentException when the file or an included file is not on the classpath
     */
    public static String load(final String stem) {
        return resolve(read(stem.endsWith(".cl") ? stem : stem + ".cl", "(kernel)"), new HashSet<>());
    }

    /** Resolves {@code #include} lines of an in-memory source against the classpath. */
    public static String resolve(final String source, final Set<String> seen) {
        final Matcher m = INCLUDE.matcher(source);
        final StringBuilder sb = new StringBuilder();
        while (m.find()) {
            final String name = m.group(1);
            final String replacement = seen.add(name)
                    ? "// begin include " + name + "\n" + resolve(read(name, "#include"), seen) + "\n// end include "
                            + name
                    : "// already included " + name;
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String read(final String name, final String by) {
        final String path = BASE + name;
        try (InputStream in = KernelSources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("OpenCL source " + path + " (wanted by " + by
                        + ") is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read OpenCL source " + path, e);
        }
    }
}
