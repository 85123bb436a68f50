package org.beadstream.distributed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;

import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.BootstrapState;
import org.beadstream.engine.pipeline.PlaneChunkProcessor;
import org.beadstream.gpu.runtime.DeviceSelector;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * What a task needs on an executor, made once per executor JVM and task slot and reused by the tasks that follow: the
 * OpenCL runtime (GPU where the worker has one, else the CPU device; kernels compiled once), the run's configuration,
 * the open input, the bootstrap state and the last plane's {@link PlaneChunkProcessor}. Tasks borrow a slot for their
 * whole run ({@link #borrow}) and give it back ({@link #release}); slots of a finished run drop its state when the next
 * run borrows them, or when the driver calls {@link #releaseRun} (local mode, where the driver is the executor).
 *
 * <p>The pool is thread-safe; one slot is used by one task thread at a time.
 */
final class ExecutorSlot {

    private static final Deque<ExecutorSlot> IDLE = new ConcurrentLinkedDeque<>();
    private static final Object CREATE_LOCK = new Object();

    private OpenClRuntime cl;
    private String jobId;
    private JobSpec spec;
    private ResolvedConfig config;
    private PageReader reader;
    private BootstrapState state;
    private PlaneChunkProcessor processor;

    private ExecutorSlot() {
    }

    /** A slot bound to {@code spec}'s run (an idle one when there is one, else a new one). */
    static ExecutorSlot borrow(final JobSpec spec) {
        ExecutorSlot s = IDLE.pollFirst();
        if (s == null) {
            s = new ExecutorSlot();
        }
        try {
            s.bind(spec);
        } catch (final RuntimeException e) {
            s.release();
            throw e;
        }
        return s;
    }

    /** Gives the slot back for the next task. */
    void release() {
        IDLE.addFirst(this);
    }

    /** Frees what idle slots hold for run {@code jobId} (input, state, processors); keeps their OpenCL runtimes. */
    static void releaseRun(final String jobId) {
        for (final ExecutorSlot s : IDLE) {
            if (jobId.equals(s.jobId) && IDLE.remove(s)) {
                try {
                    s.unbind();
                } finally {
                    IDLE.addFirst(s);
                }
            }
        }
    }

    private void bind(final JobSpec next) {
        if (next.jobId().equals(jobId)) {
            return;
        }
        unbind();
        final Path file = Path.of(next.configFile());
        try {
            config = ConfigSchema.standard().resolve(file, Map.of(), file.toString());
        } catch (final RuntimeException e) {
            throw new IllegalStateException(file + ": cannot read the run's configuration on worker " + Workers.host()
                    + " (the output folder must be on storage every worker sees): " + e.getMessage(), e);
        }
        if (cl == null) {
            final String selector = config.getText("output.device");
            // One at a time: device discovery from two task threads at once crashed PoCL (SIGSEGV in
            // clGetDeviceInfo while the ICD loader initialised its platforms).
            synchronized (CREATE_LOCK) {
                cl = OpenClRuntime.create(selector == null ? DeviceSelector.defaultSelector() : selector);
            }
        }
        spec = next;
        jobId = next.jobId();
    }

    private void unbind() {
        jobId = null;
        spec = null;
        config = null;
        state = null;
        try {
            if (processor != null) {
                processor.close();
            }
        } finally {
            processor = null;
            if (reader != null) {
                final PageReader r = reader;
                reader = null;
                r.close();
            }
        }
    }

    /** The OpenCL runtime of this slot. */
    OpenClRuntime runtime() {
        return cl;
    }

    /** The run's configuration. */
    ResolvedConfig config() {
        return config;
    }

    /** The run's input, opened on first use. */
    PageReader reader() {
        if (reader == null) {
            reader = new PageReader(spec, config);
        }
        return reader;
    }

    /** The run's bootstrap state, read from shared storage on first use. */
    BootstrapState state() {
        if (state == null) {
            final Path dir = Path.of(spec.workDir());
            try {
                state = BootstrapState.read(dir);
            } catch (final IOException e) {
                throw new UncheckedIOException("on worker " + Workers.host() + ": " + e.getMessage(), e);
            }
        }
        return state;
    }

    /** A pass-2 processor for {@code plane} (the last one is kept: tasks of a plane follow each other). */
    PlaneChunkProcessor processor(final int plane) {
        if (processor != null && processor.plane() != plane) {
            processor.close();
            processor = null;
        }
        if (processor == null) {
            processor = new PlaneChunkProcessor(cl, state(), config, plane);
        }
        return processor;
    }
}
