package org.beadstream.acquisition.record;

import java.nio.file.Path;

import org.beadstream.acquisition.ring.CounterPatternSource;
import org.beadstream.acquisition.ring.FrameRing;

/**
 * A child process for {@link RawRecorderCrashTest}: records the counter pattern live at 2000 frames/s into the
 * directory given as the first argument until it is killed.
 */
public final class RecordUntilKilled {

    private RecordUntilKilled() {
    }

    /** Entry point: {@code RecordUntilKilled <directory>}. */
    public static void main(final String[] args) {
        final CounterPatternSource source = new CounterPatternSource(RawRecorderTest.GEOMETRY, Long.MAX_VALUE, true,
                500_000);
        source.open();
        final RawRecorder recorder = RawRecorder.builder(Path.of(args[0]), RawRecorderTest.GEOMETRY).build();
        final FrameRing ring = FrameRing.builder(source).ringSize(1024).recorder("raw", recorder).build();
        ring.start();
        ring.awaitCompletion();
    }
}
