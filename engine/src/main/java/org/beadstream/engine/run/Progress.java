package org.beadstream.engine.run;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.beadstream.acquisition.ring.FrameRing;
import org.beadstream.acquisition.ring.RingSnapshot;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar with rate and ETA over an offline run of known length (the progressbar library), fed from the ring's
 * counters twice a second on a daemon thread. Thread-safe: start and close from any thread.
 */
final class Progress implements AutoCloseable {

    private final FrameRing ring;
    private final ProgressBar bar;
    private ScheduledExecutorService timer;

    private final Supplier<String> phase;

    Progress(final FrameRing ring, final long totalFrames, final Supplier<String> phase) {
        this.ring = ring;
        this.phase = phase;
        final ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("frames").setInitialMax(totalFrames)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUnit(" frames", 1);
        if (System.console() != null) {
            b.setUpdateIntervalMillis(500).continuousUpdate();
        } else {
            // a log file or CI: one line every 10 s instead of carriage returns twice a second
            b.setUpdateIntervalMillis(10_000).setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100));
        }
        this.bar = b.build();
    }

    synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "beadstream-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::update, 0, 500, TimeUnit.MILLISECONDS);
    }

    private void update() {
        final RingSnapshot s = ring.snapshot();
        long slowest = s.framesProduced();
        for (final var c : s.consumers()) {
            slowest = Math.min(slowest, c.frames());
        }
        bar.stepTo(slowest);
        final String what = phase.get();
        final String skipped = s.volumesSkipped() > 0 ? "skipped " + s.volumesSkipped() + " volumes" : "";
        bar.setExtraMessage(what.isEmpty() ? skipped : skipped.isEmpty() ? what : what + "; " + skipped);
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            update();
        }
        bar.close();
    }
}
