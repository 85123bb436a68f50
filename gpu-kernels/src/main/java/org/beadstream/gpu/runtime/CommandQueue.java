package org.beadstream.gpu.runtime;

import org.jocl.CL;
import org.jocl.cl_command_queue;

/**
 * An in-order OpenCL command queue on the runtime's device. Kernels launched and transfers made through one queue
 * run in order. Not thread-safe: each stage thread uses its own queue ({@link OpenClRuntime#createQueue()}).
 */
public final class CommandQueue implements AutoCloseable {

    private final OpenClRuntime runtime;
    private final cl_command_queue queue;
    private boolean closed;

    CommandQueue(final OpenClRuntime runtime, final cl_command_queue queue) {
        this.runtime = runtime;
        this.queue = queue;
    }

    /** The JOCL handle, for calls this API does not wrap. */
    public cl_command_queue handle() {
        ensureOpen();
        return queue;
    }

    /** The runtime this queue belongs to. */
    public OpenClRuntime runtime() {
        return runtime;
    }

    /** Blocks until every command enqueued so far has finished. */
    public void finish() {
        ensureOpen();
        OpenClStatus.check(CL.clFinish(queue), "clFinish", runtime.deviceName());
    }

    /** Submits enqueued commands to the device without waiting. */
    public void flush() {
        ensureOpen();
        OpenClStatus.check(CL.clFlush(queue), "clFlush", runtime.deviceName());
    }

    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("command queue on " + runtime.deviceName() + " is closed");
        }
        runtime.ensureOpen();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CL.clReleaseCommandQueue(queue);
            runtime.forgetOwned(this);
        }
    }
}
