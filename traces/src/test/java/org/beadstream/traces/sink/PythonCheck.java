package org.beadstream.traces.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs small python3 scripts in tests (numpy, h5py checks); tests skip when the module is missing. */
public final class PythonCheck {

    private PythonCheck() {
    }

    /**
     * Exit code and combined output of a script.
     *
     * @param exitCode the process exit code
     * @param output stdout and stderr
     */
    public record Result(int exitCode, String output) {
    }

    /** Whether python3 can import numpy. */
    public static boolean numpyAvailable() {
        return canImport("numpy");
    }

    /** Whether python3 (or Debian's /usr/bin/python3) can import the module. */
    public static boolean canImport(final String module) {
        return interpreterWith(module) != null;
    }

    /** The first of python3, /usr/bin/python3 that imports the module, or null. */
    public static String interpreterWith(final String module) {
        for (final String python : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                if (runWith(python, "import " + module).exitCode() == 0) {
                    return python;
                }
            } catch (final IOException | InterruptedException e) {
                // try the next
            }
        }
        return null;
    }

    /** Runs the script with python3 and the given arguments (2 minute limit). */
    public static Result run(final String script, final String... args) throws IOException, InterruptedException {
        final String python = interpreterWith("numpy");
        return runWith(python == null ? "python3" : python, script, args);
    }

    /** Runs the script with the given interpreter and arguments (2 minute limit). */
    public static Result runWith(final String python, final String script, final String... args)
            throws IOException, InterruptedException {
        final Path file = Files.createTempFile("beadstream-check", ".py");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            final List<String> cmd = new ArrayList<>(List.of(python, file.toString()));
            cmd.addAll(List.of(args));
            final Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            final byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "python3 timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (final IOException e) {
            return new Result(-1, "python3 could not run: " + e.getMessage());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
