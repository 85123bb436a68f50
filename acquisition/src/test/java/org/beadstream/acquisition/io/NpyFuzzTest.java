package org.beadstream.acquisition.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes given to {@link Npy#read} either read as an array or fail with a message (IllegalArgumentException or
 * UncheckedIOException), never with another exception. In a normal test run this replays the seed inputs in
 * src/test/resources/.../NpyFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class NpyFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void shouldFailCleanlyOnAnyBytes(final byte[] data) throws IOException {
        final Path file = Files.createTempFile("fuzz", ".npy");
        try {
            Files.write(file, data);
            try {
                Npy.read(file);
            } catch (final IllegalArgumentException | UncheckedIOException expected) {
                if (expected.getMessage() == null || !expected.getMessage().contains(file.toString())) {
                    throw new AssertionError("error does not name the file: " + expected.getMessage(), expected);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
