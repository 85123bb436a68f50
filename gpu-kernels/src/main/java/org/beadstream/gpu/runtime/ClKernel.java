package org.beadstream.gpu.runtime;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * One OpenCL kernel object with typed argument setters and launches, the building block of the typed per-kernel
 * wrappers in {@code org.beadstream.gpu.kernels}. Arguments are sticky (as in OpenCL) and a setter whose value is
 * unchanged does no OpenCL call; after the first launch, setting arguments and launching allocates nothing.
 *
 * <p>Not thread-safe (OpenCL kernel arguments are shared state): one instance per stage thread.
 */
public final class ClKernel implements AutoCloseable {

    private static final int MAX_ARGS = 32;

    private final OpenClRuntime runtime;
    private final String name;
    private final cl_kernel kernel;
    private final int[][] ints = new int[MAX_ARGS][];
    private final float[][] floats = new float[MAX_ARGS][];
    private final Pointer[] pointers = new Pointer[MAX_ARGS];
    private final Object[] current = new Object[MAX_ARGS];
    private final long[] global = new long[3];
    private final long[] local = new long[3];
    private final String launchCall;
    private boolean closed;

    ClKernel(final OpenClRuntime runtime, final String name, final cl_kernel kernel) {
        this.runtime = runtime;
        this.name = name;
        this.kernel = kernel;
        this.launchCall = "clEnqueueNDRangeKernel(" + name + ")";
    }

    /** The kernel's name (= its file stem). */
    public String name() {
        return name;
    }

    /** Sets argument {@code index} to a device buffer. */
    public ClKernel arg(final int index, final DeviceBuffer buffer) {
        final cl_mem m = buffer.handle();
        if (current[index] != m) {
            current[index] = m;
            set(index, Sizeof.cl_mem, buffer.argPointer());
        }
        return this;
    }

    /** Sets argument {@code index} to an int. */
    public ClKernel arg(final int index, final int value) {
        int[] holder = ints[index];
        if (holder == null) {
            holder = new int[1];
            ints[index] = holder;
            pointers[index] = Pointer.to(holder);
        } else if (current[index] == holder && holder[0] == value) {
            return this;
        }
        holder[0] = value;
        current[index] = holder;
        set(index, Sizeof.cl_int, pointers[index]);
        return this;
    }

    /** Sets argument {@code index} to a float. */
    public ClKernel arg(final int index, final float value) {
        float[] holder = floats[index];
        if (holder == null) {
            holder = new float[1];
            floats[index] = holder;
            pointers[index] = Pointer.to(holder);
        } else if (current[index] == holder && Float.floatToRawIntBits(holder[0]) == Float.floatToRawIntBits(value)) {
            return this;
        }
        holder[0] = value;
        current[index] = holder;
        set(index, Sizeof.cl_float, pointers[index]);
        return this;
    }

    /** Sets argument {@code index} (a {@code __local} pointer) to {@code bytes} of local memory. */
    public ClKernel argLocal(final int index, final long bytes) {
        current[index] = null;
        set(index, bytes, null);
        return this;
    }

    /** Enqueues a 1-D launch; {@code localSize} 0 lets the driver choose. */
    public void launch(final CommandQueue q, final long globalSize, final long localSize) {
        global[0] = globalSize;
        local[0] = localSize;
        enqueue(q, 1, localSize > 0);
    }

    /** Enqueues a 2-D launch; local sizes 0 let the driver choose. */
    public void launch(final CommandQueue q, final long global0, final long global1, final long local0,
            final long local1) {
        global[0] = global0;
        global[1] = global1;
        local[0] = local0;
        local[1] = local1;
        enqueue(q, 2, local0 > 0 && local1 > 0);
    }

    /** Enqueues a 3-D launch, the driver choosing the local size. */
    public void launch3(final CommandQueue q, final long global0, final long global1, final long global2) {
        launch3(q, global0, global1, global2, 0, 0, 0);
    }

    /** Enqueues a 3-D launch; local sizes 0 let the driver choose. */
    public void launch3(final CommandQueue q, final long global0, final long global1, final long global2,
            final long local0, final long local1, final long local2) {
        global[0] = global0;
        global[1] = global1;
        global[2] = global2;
        local[0] = local0;
        local[1] = local1;
        local[2] = local2;
        enqueue(q, 3, local0 > 0 && local1 > 0 && local2 > 0);
    }

    private void enqueue(final CommandQueue q, final int dims, final boolean withLocal) {
        if (closed) {
            throw new IllegalStateException("kernel " + name + " is closed");
        }
        for (int d = 0; d < dims; d++) {
            if (global[d] <= 0 || (withLocal && global[d] % local[d] != 0)) {
                throw new IllegalArgumentException("kernel " + name + ": global size " + global[d] + " in dimension "
                        + d + " must be positive and a multiple of the local size " + local[d]);
            }
        }
        OpenClStatus.check(CL.clEnqueueNDRangeKernel(q.handle(), kernel, dims, null, global,
                withLocal ? local : null, 0, null, null), launchCall, runtime.deviceName());
    }

    private void set(final int index, final long size, final Pointer p) {
        if (closed) {
            throw new IllegalStateException("kernel " + name + " is closed");
        }
        runtime.ensureOpen();
        final int st = CL.clSetKernelArg(kernel, index, size, p);
        if (st != CL.CL_SUCCESS) {
            current[index] = null;
            OpenClStatus.check(st, "clSetKernelArg(" + name + ", arg " + index + ")", runtime.deviceName());
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            CL.clReleaseKernel(kernel);
            runtime.forgetOwned(this);
        }
    }
}
