package org.beadstream.engine.run;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.record.FsyncPolicy;
import org.beadstream.acquisition.record.RawRecorder;
import org.beadstream.acquisition.ring.ConsumerSnapshot;
import org.beadstream.acquisition.ring.FrameConsumer;
import org.beadstream.acquisition.ring.FrameRing;
import org.beadstream.acquisition.ring.FrameRingException;
import org.beadstream.acquisition.ring.RingErrorHandler;
import org.beadstream.acquisition.ring.RingFailure;
import org.beadstream.acquisition.ring.RingSizes;
import org.beadstream.acquisition.ring.RingSnapshot;
import org.beadstream.engine.config.ResolvedConfig;

/**
 * Runs one acquisition: an open {@link FrameSource} through a {@link FrameRing} into the lossless {@link RawRecorder}
 * (when recording is enabled) and any processing consumers, with a live status line, a clean stop on Ctrl-C or after
 * a duration, and {@code run.json} plus {@code config.json} in the output folder.
 *
 * <pre>
 *   FrameSource ──► FrameRing ──► RawRecorder   (gates slot reuse: never loses a frame)
 *                            └──► processors    (live: skip whole volumes when behind, counted)
 * </pre>
 *
 * <p>Not thread-safe: configure and {@link #run()} from one thread; the ring's own threads do the work.
 */
public final class AcquisitionRun {

    private final FrameSource source;
    private final Path out;
    private final ResolvedConfig config;
    private final String command;
    private final List<String> processorNames = new ArrayList<>();
    private final List<FrameConsumer> processors = new ArrayList<>();
    private double maxSeconds;
    private PrintStream status = System.err;
    private FrameConsumer recorderOverride;
    private String recorderName = "recorder";
    private RunSummary last;
    private List<RingFailure> processorFailures = List.of();
    private final Map<String, Object> recordingMetadata = new LinkedHashMap<>();
    private long progressTotal;
    private final CountDownLatch released = new CountDownLatch(1);
    private boolean externalRelease;
    private volatile boolean interrupted;
    private java.util.function.Supplier<String> phase = () -> "";
    private volatile FrameRing active;
    private Thread hook;

    /** How long Ctrl-C waits for the run to flush and write its outputs before the JVM exits anyway. */
    public static final Duration CTRL_C_FLUSH_LIMIT = Duration.ofMinutes(5);

    /**
     * @param command name of the command, for run.json
     * @param source  an open source
     * @param out     output folder (created if needed)
     * @param config  the resolved configuration (written beside the outputs)
     */
    public AcquisitionRun(final String command, final FrameSource source, final Path out, final ResolvedConfig config) {
        this.command = command;
        this.source = source;
        this.out = out;
        this.config = config;
    }

    /** Adds a processing consumer (behind the recorder in the ring's graph). */
    public AcquisitionRun processor(final String name, final FrameConsumer consumer) {
        processorNames.add(name);
        processors.add(consumer);
        return this;
    }

    /** Records with {@code consumer} instead of the raw recorder (e.g. a ScanImage-format writer). */
    public AcquisitionRun recorder(final String name, final FrameConsumer consumer) {
        this.recorderName = name;
        this.recorderOverride = consumer;
        return this;
    }

    /** What the processing is doing (e.g. "bootstrap: registering plane 3 of 30"), shown beside the progress bar. */
    public AcquisitionRun phase(final java.util.function.Supplier<String> what) {
        this.phase = java.util.Objects.requireNonNull(what, "phase");
        return this;
    }

    /**
     * Shows a progress bar (rate and ETA) over {@code frames} frames instead of the periodic status line: for offline
     * sources whose length is known.
     */
    public AcquisitionRun progress(final long frames) {
        this.progressTotal = frames;
        return this;
    }

    /**
     * The caller writes more outputs after {@link #run()} returns (a pipeline's files, report, run.json): Ctrl-C then
     * waits until the caller calls {@link #release()}, instead of until {@link #run()} returns.
     */
    public AcquisitionRun releaseExternally() {
        this.externalRelease = true;
        return this;
    }

    /**
     * Stops the run as Ctrl-C does (from any thread): the source stops, the ring drains, every output is written and
     * {@link #interrupted()} turns true. No effect before the run starts or after it ends.
     */
    public void stop() {
        final FrameRing r = active;
        if (r != null) {
            interrupted = true;
            r.stop();
        }
    }

    /** The status line of the running acquisition (time, frames, MB/s, ring fill, skipped, dropped), or "" before. */
    public String statusText() {
        final FrameRing r = active;
        return r == null ? "" : describe(r.snapshot());
    }

    /** True when the run was stopped by Ctrl-C, SIGTERM or {@link #stop()} before its source ended. */
    public boolean interrupted() {
        return interrupted;
    }

    /** Everything is written: a Ctrl-C in progress may now let the JVM exit. Idempotent. */
    public void release() {
        released.countDown();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (final IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and returns now that the outputs are written
            }
            hook = null;
        }
    }

    /** Adds entries to the raw recording's header metadata (layout, calibration...). */
    public AcquisitionRun recordingMetadata(final Map<String, Object> entries) {
        recordingMetadata.putAll(entries);
        return this;
    }

    /** Stops the source after {@code seconds} of acquisition (0: run until the source ends or Ctrl-C). */
    public AcquisitionRun maxSeconds(final double seconds) {
        if (!(seconds >= 0)) {
            throw new IllegalArgumentException("duration must be >= 0 s, was " + seconds);
        }
        this.maxSeconds = seconds;
        return this;
    }

    /** Where the live status goes ({@code null}: nowhere). */
    public AcquisitionRun status(final PrintStream stream) {
        this.status = stream;
        return this;
    }

    /**
     * Runs to the end and writes {@code run.json} and {@code config.json}.
     *
     * @return the summary (also written); {@code frames_dropped > 0} or a failure means data was lost
     * @throws FrameRingException when a failure stopped the run (after run.json has been written with what was kept)
     */
    public RunSummary run() {
        final RunSummary summary = new RunSummary(command);
        this.last = summary;
        summary.put("source", source.name());
        summary.put("policy", source.isLive() ? "live" : "offline");
        summary.put("output", out.toAbsolutePath().toString());
        config.writeTo(out);
        RawRecorder raw = null;
        final FrameRing.Builder b = FrameRing.builder(source)
                .ringSeconds(config.getDouble("acquisition.ring_seconds"))
                .maxRingBytes(config.getLong("acquisition.ring_max_mib") << 20)
                .errorHandler(RingErrorHandler.detachFailedProcessors());
        if (recorderOverride != null) {
            b.recorder(recorderName, recorderOverride);
        } else if (config.getBoolean("recording.enabled")) {
            final RawRecorder.Builder rb = RawRecorder.builder(out, source.geometry())
                    .maxFileBytes(config.getLong("recording.file_max_mib") << 20)
                    .fsyncPolicy(fsync(config.getText("recording.sync")))
                    .metadata("source", source.name());
            recordingMetadata.forEach(rb::metadata);
            raw = rb.build();
            b.recorder("recorder", raw);
        }
        for (int i = 0; i < processors.size(); i++) {
            b.processor(processorNames.get(i), processors.get(i));
        }
        if (source.isLive() && !processors.isEmpty()) {
            final int slots = RingSizes.slotsForSeconds(source.geometry(), config.getDouble("acquisition.ring_seconds"),
                    config.getLong("acquisition.ring_max_mib") << 20);
            b.ringSize(slots).lagThreshold(Math.max(1, (int) (slots
                    * config.getDouble("acquisition.processing_lag_fraction"))));
        }
        final FrameRing ring = b.build();
        active = ring;
        // Ctrl-C stops the source, lets the ring drain into the recorder and the processors, and holds the JVM until
        // every output is written (release()), at most CTRL_C_FLUSH_LIMIT.
        hook = new Thread(() -> {
            interrupted = true;
            ring.stop();
            try {
                released.await(CTRL_C_FLUSH_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "beadstream-ctrl-c");
        Runtime.getRuntime().addShutdownHook(hook);
        RingSnapshot last = null;
        FrameRingException failure = null;
        try (StatusLine line = new StatusLine(() -> withPhase(describe(ring.snapshot())), status == null ? nullStream() : status,
                5); Progress bar = progressTotal > 0 && status != null ? new Progress(ring, progressTotal, phase) : null) {
            ring.start();
            if (bar != null) {
                bar.start();
            } else if (status != null) {
                line.start();
            }
            if (maxSeconds > 0) {
                final long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
                while (ring.isRunning() && System.nanoTime() < deadline) {
                    sleepMillis(Math.max(1, Math.min(50, (deadline - System.nanoTime()) / 1_000_000)));
                }
                ring.stop();
            }
            try {
                last = ring.awaitCompletion();
            } catch (final FrameRingException e) {
                failure = e;
                last = ring.snapshot();
            }
            processorFailures = failure == null ? ring.failures() : List.of();
        } finally {
            active = null;
            ring.close();
        }
        fill(summary, last);
        if (raw != null) {
            summary.put("raw_files", raw.files().size());
        }
        if (failure != null) {
            summary.put("failure", failure.getMessage());
        }
        // A processor that failed was detached so that recording went on: the run did not fail, but what it did not
        // process must be said, with its cause, in run.json and on the status stream.
        for (int i = 0; i < processorFailures.size(); i++) {
            final String what = processorFailures.get(i).describe();
            summary.section("processor_failures").put(Integer.toString(i), what);
            if (status != null) {
                status.println("processing stopped, recording went on: " + what);
            }
        }
        try {
            summary.write(out);
        } finally {
            if (!externalRelease) {
                release();
            }
        }
        if (failure != null) {
            throw failure;
        }
        return summary;
    }

    /**
     * The failures of processors that the last {@link #run()} detached (recording and the other consumers went on
     * without them), in order; empty when the run failed as a whole (its exception names them) or none failed.
     */
    public List<RingFailure> processorFailures() {
        return processorFailures;
    }

    /** The summary of the last {@link #run()}, also when it failed. */
    public RunSummary summary() {
        return last;
    }

    /** Copies the ring's final counters into {@code s} under the run.json key names. */
    static void fill(final RunSummary s, final RingSnapshot r) {
        s.put("frames_produced", r.framesProduced());
        s.put("frames_recorded", r.framesRecorded());
        s.put("frames_dropped", r.framesDropped());
        s.put("frames_lost_at_source", r.framesLostAtSource());
        s.put("volumes_skipped", r.volumesSkipped());
        s.put("bytes_recorded", r.bytesRecorded());
        s.put("seconds", r.seconds());
        s.put("mb_per_s", r.megabytesPerSecond());
        s.put("ring_slots", r.ringSize());
        for (final ConsumerSnapshot c : r.consumers()) {
            s.section("consumers").putObject(c.name()).put("role", c.role().name().toLowerCase(Locale.ROOT))
                    .put("frames", c.frames()).put("bytes", c.bytes()).put("volumes_skipped", c.volumesSkipped());
        }
    }

    /** The one-line live status. */
    private String withPhase(final String line) {
        final String what = phase.get();
        return what.isEmpty() ? line : line + " | " + what;
    }

    static String describe(final RingSnapshot r) {
        return String.format(Locale.ROOT, "%6.1f s | frames %d (recorded %d) | %.1f MB/s | ring %.0f%% | skipped %d"
                + " volumes | dropped %d%s", r.seconds(), r.framesProduced(), r.framesRecorded(),
                r.megabytesPerSecond(), 100 * r.fillFraction(), r.volumesSkipped(), r.framesDropped(),
                r.framesLostAtSource() > 0 ? " | lost at source " + r.framesLostAtSource() : "");
    }

    static FsyncPolicy fsync(final String choice) {
        switch (choice) {
            case "every-second":
                return FsyncPolicy.EVERY_SECOND;
            case "every-batch":
                return FsyncPolicy.EVERY_BATCH;
            default:
                return FsyncPolicy.ON_CLOSE;
        }
    }

    private static void sleepMillis(final long ms) {
        try {
            TimeUnit.MILLISECONDS.sleep(ms);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PrintStream nullStream() {
        return new PrintStream(java.io.OutputStream.nullOutputStream());
    }
}
