package org.beadstream.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The input files of a distributed run: folders expanded to their TIFF files (sorted by name, as {@code reprocess}
 * does), every path absolute, so that each executor opens exactly the files the driver opened. Stateless and
 * thread-safe.
 */
final class InputFiles {

    private InputFiles() {
    }

    /**
     * @throws IllegalArgumentException naming the path when it does not exist or a folder holds no TIFF file
     */
    static List<Path> expand(final List<Path> inputs) {
        final List<Path> files = new ArrayList<>();
        for (final Path in : inputs) {
            final Path p = in.toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
            if (!Files.isDirectory(p)) {
                files.add(p);
                continue;
            }
            try (Stream<Path> s = Files.list(p)) {
                final List<Path> found = s.filter(f -> {
                    final String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    return n.endsWith(".tif") || n.endsWith(".tiff") || n.endsWith(".bsraw");
                }).sorted().toList();
                if (found.isEmpty()) {
                    throw new IllegalArgumentException(p + ": holds no .tif/.tiff files");
                }
                if (found.stream().anyMatch(f -> f.toString().endsWith(".bsraw"))) {
                    files.add(p); // a raw recording's folder: Inputs recognises it, workers read its frames by index
                } else {
                    files.addAll(found);
                }
            } catch (final IOException e) {
                throw new UncheckedIOException(p + ": cannot list the folder: " + e.getMessage(), e);
            }
        }
        return files;
    }
}
