package org.beadstream.engine.run;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Prints a one-line live status (frames, MB/s, ring fill, skipped, dropped...) once a second while a run goes on, on a
 * daemon thread of its own. On a terminal the line is rewritten in place; otherwise (a log file, CI) a new line is
 * printed every {@code logEverySeconds}. Thread-safe: {@link #start()} and {@link #stop()} may be called from any
 * thread; the supplier is called on the status thread and must be safe to call concurrently with the run.
 */
public final class StatusLine implements AutoCloseable {

    private final Supplier<String> line;
    private final PrintStream out;
    private final boolean terminal;
    private final int logEverySeconds;
    private ScheduledExecutorService timer;
    private long ticks;

    /**
     * @param line            makes the status text (called once a second)
     * @param out             where to print (normally {@code System.err})
     * @param logEverySeconds when not on a terminal, print every this many seconds
     */
    public StatusLine(final Supplier<String> line, final PrintStream out, final int logEverySeconds) {
        if (logEverySeconds < 1) {
            throw new IllegalArgumentException("status interval must be at least 1 s, was " + logEverySeconds);
        }
        this.line = line;
        this.out = out;
        this.terminal = System.console() != null;
        this.logEverySeconds = logEverySeconds;
    }

    /** Starts printing. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread t = new Thread(r, "beadstream-status");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    private void tick() {
        ticks++;
        try {
            if (terminal) {
                out.print("\r\033[K" + line.get());
                out.flush();
            } else if (ticks % logEverySeconds == 0) {
                out.println(line.get());
            }
        } catch (final RuntimeException e) {
            out.println("status unavailable: " + e.getMessage());
        }
    }

    /** Stops printing and ends the line. */
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        timer = null;
        if (terminal) {
            out.println();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
