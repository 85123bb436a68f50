package org.beadstream.acquisition.record;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged recordings must give a clear FrameSourceException or a clean, shorter read: never another failure. */
class RawRecordingSourceRobustnessTest {

    @TempDir
    Path dir;

    @Test
    void shouldAnswerEveryRandomDamageWithAClearErrorOrACleanShorterRead() throws IOException {
        final Path original = RawRecorderTest.writeFrames(RawRecorder.builder(dir, RawRecorderTest.GEOMETRY).build(),
                12, true).files().get(0);
        final byte[] good = Files.readAllBytes(original);
        final Random random = new Random(20261124);
        int errors = 0;
        int shorter = 0;
        for (int trial = 0; trial < 300; trial++) {
            final byte[] bad = good.clone();
            final int kind = trial % 3;
            int length = bad.length;
            if (kind == 0) { // flip 1-4 random bytes
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
                }
            } else if (kind == 1) { // truncate anywhere
                length = random.nextInt(bad.length + 1);
            } else { // overwrite a random run with random bytes
                final int at = random.nextInt(bad.length);
                for (int i = at; i < Math.min(bad.length, at + 1 + random.nextInt(200)); i++) {
                    bad[i] = (byte) random.nextInt(256);
                }
            }
            final Path file = dir.resolve("damaged-" + trial + "-00000.bsraw");
            Files.write(file, java.util.Arrays.copyOf(bad, length));
            try (RawRecordingSource source = new RawRecordingSource(file)) {
                source.open();
                source.start();
                final FrameSlot slot = FrameSlot.forGeometry(source.geometry());
                long frames = 0;
                while (source.read(slot, 0) == ReadStatus.FRAME) {
                    frames++;
                }
                if (frames < 12) {
                    shorter++;
                }
            } catch (final FrameSourceException e) {
                assertTrue(e.getMessage().contains(file.toString()), "the error names the file: " + e.getMessage());
                errors++;
            } catch (final RuntimeException e) {
                fail("trial " + trial + " (kind " + kind + ") failed with " + e, e);
            }
            Files.delete(file);
        }
        assertTrue(errors > 50 && shorter > 50, "errors " + errors + ", shorter reads " + shorter);
    }
}
