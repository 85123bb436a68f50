package org.beadstream.acquisition.tiff;

import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: finds the project's shared real data ({@code beadstream.shared.data} or ../shared/data). */
public final class SharedData {

    private SharedData() {
    }

    /** The shared data folder; fails the test with a clear message when it is missing. */
    public static Path root() {
        final String prop = System.getProperty("beadstream.shared.data");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop);
        }
        for (final String c : new String[] {"../shared/data", "../../shared/data", "/work/shared/data"}) {
            if (Files.isDirectory(Path.of(c))) {
                return Path.of(c);
            }
        }
        throw new IllegalStateException("shared data not found: set -Dbeadstream.shared.data");
    }

    /** A file under the shared data folder. */
    public static Path file(final String relative) {
        return root().resolve(relative);
    }
}
