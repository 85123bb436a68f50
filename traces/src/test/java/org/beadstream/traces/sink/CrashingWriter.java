package org.beadstream.traces.sink;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.TestFootprints;

/**
 * A process that writes volumes to a suite2p sink forever (never closing it) and reports, after each volume, how
 * many volumes it wrote; the test kills it with SIGKILL mid-write.
 */
public final class CrashingWriter {

    private CrashingWriter() {
    }

    static Footprints footprints() {
        return TestFootprints.disks(64, 48, 2, 20, 9);
    }

    /** Entry point: args[0] = run folder. */
    public static void main(final String[] args) throws Exception {
        final Path dir = Paths.get(args[0]);
        final Footprints fp = footprints();
        final Suite2pLayoutSink sink = new Suite2pLayoutSink(dir, fp, 10, 0.5, Map.of(), 64);
        final VolumeTraces vt = new VolumeTraces(fp.roiCount());
        final Path marker = dir.resolve("volumes-written");
        final Path tmp = dir.resolve("volumes-written.tmp");
        for (long t = 0; ; t++) {
            Suite2pLayoutSinkTest.fill(vt, t, t - 5);
            sink.onVolume(vt);
            if (t % 10 == 9) {
                Files.writeString(tmp, Long.toString(t + 1), StandardCharsets.US_ASCII);
                Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
