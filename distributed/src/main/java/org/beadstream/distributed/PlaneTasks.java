package org.beadstream.distributed;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.apache.spark.TaskContext;
import org.beadstream.engine.pipeline.PlaneBootstrap;
import org.beadstream.engine.pipeline.PlaneChunkProcessor;

/**
 * The bodies of the executor-side tasks: pass 1 for one plane and pass 2 for one (plane, chunk). Both borrow an
 * {@link ExecutorSlot} (OpenCL runtime, open input, bootstrap state) for their duration. Stateless and thread-safe;
 * each call runs on one task thread.
 */
final class PlaneTasks {

    private PlaneTasks() {
    }

    /**
     * A pass-2 task: volumes {@code [firstVolume, firstVolume + volumes)} of {@code plane}.
     *
     * @param plane       depth index
     * @param chunk       chunk index (the chunk's first volume is {@code chunk * chunkVolumes})
     * @param firstVolume first volume
     * @param volumes     volumes in the chunk
     */
    record ChunkTask(int plane, int chunk, long firstVolume, int volumes) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What a pass-2 task reports to the driver (its traces are in its chunk file).
     *
     * @param plane        depth index
     * @param chunk        chunk index
     * @param attempt      Spark's attempt number of the task that succeeded (0 unless retried)
     * @param rois         ROIs on the plane
     * @param nanos        wall time of the task, ns
     * @param bytesRead    raw bytes read
     * @param bytesWritten bytes of the chunk file
     * @param host         the worker's host name
     * @param device       the OpenCL device the task ran on
     */
    record ChunkOutcome(int plane, int chunk, int attempt, int rois, long nanos, long bytesRead, long bytesWritten,
            String host, String device) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * What a pass-1 task returns: the plane's result and its cost.
     *
     * @param result    template, window motion, summary images, detections of the plane
     * @param nanos     wall time of the task, ns
     * @param bytesRead raw bytes read
     */
    record PlaneOutcome(PlaneBootstrap.Result result, long nanos, long bytesRead) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The failure injected by {@link JobSpec.Fault} (a stand-in for an executor killed mid-task). */
    static final class InjectedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFailure(final String message) {
            super(message);
        }
    }

    /**
     * How many frames from volume {@code v} (before {@code end}) go to the device in one registration call. The float
     * rounding of the registration depends on the batch it runs in, so pass 2 batches exactly as the single-machine
     * pipeline does: the bootstrap window in the bootstrap's batches of {@link PlaneBootstrap#MOTION_BATCH} counted
     * from volume 0, every later volume on its own (as the streaming path registers them). Chunk boundaries inside the
     * window fall on multiples of the batch ({@link SparkReprocess} rounds the chunk size), so no batch is split.
     */
    static int groupLength(final JobSpec spec, final long v, final long end) {
        if (v >= spec.window()) {
            return 1;
        }
        final long batchEnd = (v / PlaneBootstrap.MOTION_BATCH + 1) * PlaneBootstrap.MOTION_BATCH;
        return (int) (Math.min(Math.min(end, spec.window()), batchEnd) - v);
    }

    /** Pass 1 for {@code plane}: reads its bootstrap window, then template, registration, summaries, detection. */
    static PlaneOutcome bootstrapPlane(final JobSpec spec, final int plane) {
        final long t0 = System.nanoTime();
        final ExecutorSlot slot = ExecutorSlot.borrow(spec);
        try {
            final int px = spec.pixels();
            final int n = spec.window();
            final float[] window = new float[Math.multiplyExact(n, px)];
            final float[] frame = new float[px];
            final PageReader reader = slot.reader();
            final long before = reader.bytesRead();
            for (int v = 0; v < n; v++) {
                reader.readPlane(v, plane, frame);
                System.arraycopy(frame, 0, window, v * px, px);
            }
            try (PlaneBootstrap b = new PlaneBootstrap(slot.runtime(), slot.config(), spec.planes(), spec.width(),
                    spec.height(), spec.volumeRateHz())) {
                // the blank bands the calibration offsets leave, kept out of detection as VolumePipeline does
                b.blankMargins(reader.calibration());
                final PlaneBootstrap.Result r = b.run(plane, window, n);
                return new PlaneOutcome(r, System.nanoTime() - t0, reader.bytesRead() - before);
            }
        } finally {
            slot.release();
        }
    }

    /**
     * Pass 2 for one (plane, chunk): reads the chunk's frames of the plane in batches, registers them against the
     * plane's template, extracts F and neuropil of its ROIs and writes them into the chunk file (under this attempt's
     * own name, renamed into place when complete).
     */
    static ChunkOutcome processChunk(final JobSpec spec, final ChunkTask t) {
        final long t0 = System.nanoTime();
        final TaskContext tc = TaskContext.get();
        final int attempt = tc == null ? 0 : tc.attemptNumber();
        final long attemptId = tc == null ? System.nanoTime() : tc.taskAttemptId();
        final ExecutorSlot slot = ExecutorSlot.borrow(spec);
        try {
            final PlaneChunkProcessor proc = slot.processor(t.plane());
            final PageReader reader = slot.reader();
            final long before = reader.bytesRead();
            final int px = spec.pixels();
            final int rois = proc.roiCount();
            final int batch = PlaneBootstrap.MOTION_BATCH;
            final float[] frames = new float[batch * px];
            final float[] frame = new float[px];
            final float[] f = new float[batch * Math.max(1, rois)];
            final float[] fneu = new float[f.length];
            final float[] dx = new float[batch];
            final float[] dy = new float[batch];
            final float[] corr = new float[batch];
            final Path file = ChunkFile.path(Path.of(spec.workDir()), t.plane(), t.chunk());
            final ChunkFile.Writer w = new ChunkFile.Writer(file, attemptId, t.plane(), t.chunk(), t.firstVolume(),
                    t.volumes(), rois);
            boolean keepPartial = false;
            try {
                for (int s = 0; s < t.volumes();) {
                    final int c = groupLength(spec, t.firstVolume() + s, t.firstVolume() + t.volumes());
                    for (int i = 0; i < c; i++) {
                        reader.readPlane(t.firstVolume() + s + i, t.plane(), frame);
                        System.arraycopy(frame, 0, frames, i * px, px);
                    }
                    proc.process(frames, c, f, fneu, dx, dy, corr);
                    w.append(c, f, fneu, dx, dy, corr);
                    s += c;
                    if (attempt == 0 && spec.fault().matches(t.plane(), t.chunk()) && 2 * s >= t.volumes()) {
                        keepPartial = true;
                        throw new InjectedFailure("injected failure of plane " + t.plane() + " chunk " + t.chunk()
                                + " after " + s + " of " + t.volumes() + " volumes were written to "
                                + w.temporary());
                    }
                }
                w.commit();
            } finally {
                w.close(keepPartial);
            }
            return new ChunkOutcome(t.plane(), t.chunk(), attempt, rois, System.nanoTime() - t0,
                    reader.bytesRead() - before, ChunkFile.bytes(t.volumes(), rois), Workers.host(),
                    slot.runtime().device().describe());
        } catch (final IOException e) {
            throw new UncheckedIOException("plane " + t.plane() + " chunk " + t.chunk() + " on worker "
                    + Workers.host() + ": " + e.getMessage(), e);
        } finally {
            slot.release();
        }
    }
}
