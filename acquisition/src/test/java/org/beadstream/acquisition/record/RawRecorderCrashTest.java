package org.beadstream.acquisition.record;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RawRecorderCrashTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadBackEveryCompleteFrameAfterTheRecordingProcessIsKilledWithSigkill() throws Exception {
        final String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        final Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                RecordUntilKilled.class.getName(), dir.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        final Path file = dir.resolve("raw-00000.bsraw");
        final long wanted = 200L * RawRecorderTest.RECORD;
        final long deadline = System.nanoTime() + 30_000_000_000L;
        while ((!Files.exists(file) || Files.size(file) < wanted) && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), () -> "the recording process died early: " + readLog());
        child.destroyForcibly(); // SIGKILL on Linux and macOS: no shutdown hooks, no close
        child.waitFor();
        assertTrue(Files.size(file) >= wanted, "the recording grew to " + Files.size(file) + " bytes");

        try (RawRecordingSource back = RawRecorderTest.openStarted(file)) {
            final long frames = RawRecorderTest.readBackAndCheck(back);
            assertTrue(frames >= 200, "read back " + frames + " frames");
            assertFalse(back.summary().closedCleanly());
            assertTrue(back.warnings().size() == 1 && back.warnings().get(0).startsWith(file.toString()),
                    back.warnings().toString());
        }
    }

    private String readLog() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (final java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
