package org.beadstream.gpu.runtime;

import static org.jocl.CL.CL_CONTEXT_PLATFORM;
import static org.jocl.CL.CL_MEM_READ_WRITE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;
import static org.jocl.CL.CL_SUCCESS;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.jocl.cl_queue_properties;

/**
 * The OpenCL session on one device: the context, a default in-order command queue, a program cache and the device
 * buffers made through it. Make one per process (or per device) at start-up, share it, close it at shutdown (closing
 * releases every buffer, kernel handle and program still open).
 *
 * <p>Programs are built once and cached by (resolved source, defines, device); kernels are looked up by file stem
 * under {@link KernelSources#BASE}. A failed build throws {@link OpenClException} with the build log. PoCL keeps its
 * own on-disk cache of compiled programs (POCL_CACHE_DIR, default ~/.cache/pocl), so a second process builds fast.
 *
 * <p>Thread-safety: building programs, creating kernels, queues and buffers is thread-safe. Each {@link ClKernel},
 * {@link CommandQueue} and {@link DeviceBuffer} is used by one thread at a time; the default {@link #queue()} belongs
 * to whoever made the runtime (stages on other threads call {@link #createQueue()}).
 *
 * <pre>{@code
 * try (OpenClRuntime cl = OpenClRuntime.create(null)) {          // GPU first, else CPU; env BEADSTREAM_OPENCL_DEVICE
 *     ClKernel k = cl.kernel("scale", Defines.of("N", 1024));    // resources/org/beadstream/gpu/kernels/scale.cl
 *     DeviceBuffer b = cl.buffer("data", 4096);
 *     b.upload(cl.queue(), data);
 *     k.arg(0, b).arg(1, 2f).launch(cl.queue(), 1024, 0);
 *     b.download(cl.queue(), data);
 * }
 * }</pre>
 */
public final class OpenClRuntime implements AutoCloseable {

    private final OpenClDevice device;
    private final cl_context context;
    private final CommandQueue queue;
    private final Map<String, cl_program> programs = new ConcurrentHashMap<>();
    private final Map<String, Long> buildMillis = new ConcurrentHashMap<>();
    private final Set<DeviceBuffer> buffers = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Object> owned = new ArrayList<>();
    private volatile boolean closed;

    private OpenClRuntime(final OpenClDevice device) {
        this.device = device;
        final cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platformId());
        final int[] st = new int[1];
        this.context = CL.clCreateContext(props, 1, new org.jocl.cl_device_id[] {device.deviceId()}, null, null, st);
        OpenClStatus.check(st[0], "clCreateContext", device.name());
        this.queue = newQueue();
    }

    /**
     * Opens a runtime on the device chosen by {@code selector} (see {@link DeviceSelector}; null or blank: system
     * property, environment variable, else GPU first, CPU otherwise).
     */
    public static OpenClRuntime create(final String selector) {
        CL.setExceptionsEnabled(false);
        return new OpenClRuntime(DeviceSelector.choose(selector));
    }

    /** Opens a runtime on a given device (from {@link DeviceSelector#discover()}). */
    public static OpenClRuntime create(final OpenClDevice device) {
        CL.setExceptionsEnabled(false);
        return new OpenClRuntime(device);
    }

    /** The device this runtime runs on. */
    public OpenClDevice device() {
        return device;
    }

    /** The device's name (for messages and reports). */
    public String deviceName() {
        return device.name();
    }

    /** The JOCL context handle, for calls this API does not wrap. */
    public cl_context context() {
        ensureOpen();
        return context;
    }

    /** The default in-order queue (for the thread that made the runtime). */
    public CommandQueue queue() {
        ensureOpen();
        return queue;
    }

    /** A new in-order queue on this device, for a stage running on its own thread; closed with the runtime. */
    public CommandQueue createQueue() {
        ensureOpen();
        return newQueue();
    }

    private CommandQueue newQueue() {
        final int[] st = new int[1];
        final cl_command_queue q = CL.clCreateCommandQueueWithProperties(context, device.deviceId(),
                new cl_queue_properties(), st);
        OpenClStatus.check(st[0], "clCreateCommandQueueWithProperties", device.name());
        final CommandQueue cq = new CommandQueue(this, q);
        synchronized (owned) {
            owned.add(cq);
        }
        return cq;
    }

    /**
     * A new kernel object for kernel {@code stem} (file {@code stem.cl}), its program built with {@code defines} or
     * taken from the cache.
     *
     * @throws IllegalArgumentException when the source is not on the classpath
     * @throws OpenClException          when the build fails (the message holds the build log)
     */
    public ClKernel kernel(final String stem, final Defines defines) {
        return kernel(stem, KernelSources.load(stem), defines);
    }

    /**
     * A new kernel object named {@code kernelName} from an in-memory source ({@code #include}s resolved against the
     * classpath), built with {@code defines} or taken from the cache.
     */
    public ClKernel kernel(final String kernelName, final String source, final Defines defines) {
        final cl_program program = program(kernelName, KernelSources.resolve(source, new java.util.HashSet<>()),
                defines);
        final int[] st = new int[1];
        final cl_kernel k = CL.clCreateKernel(program, kernelName, st);
        OpenClStatus.check(st[0], "clCreateKernel(" + kernelName + ")", device.name());
        final ClKernel ck = new ClKernel(this, kernelName, k);
        synchronized (owned) {
            owned.add(ck);
        }
        return ck;
    }

    /** Build times so far in milliseconds, by "name [defines]" (cache misses only). */
    public Map<String, Long> buildMillis() {
        return Collections.unmodifiableMap(buildMillis);
    }

    private cl_program program(final String name, final String source, final Defines defines) {
        ensureOpen();
        final String options = defines.toOptions();
        final String key = options + "\n" + source;
        final cl_program cached = programs.get(key);
        if (cached != null) {
            return cached;
        }
        synchronized (programs) {
            final cl_program again = programs.get(key);
            if (again != null) {
                return again;
            }
            final long t0 = System.nanoTime();
            final int[] st = new int[1];
            cl_program p = null;
            for (int attempt = 1; p == null; attempt++) {
                final cl_program q = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, st);
                OpenClStatus.check(st[0], "clCreateProgramWithSource(" + name + ")", device.name());
                final int bst = CL.clBuildProgram(q, 1, new org.jocl.cl_device_id[] {device.deviceId()}, options,
                        null, null);
                if (bst == CL_SUCCESS) {
                    p = q;
                    continue;
                }
                final String log = buildLog(q);
                CL.clReleaseProgram(q);
                if (attempt < BUILD_ATTEMPTS && isCacheRace(log)) {
                    // PoCL shares its kernel cache between processes without locking its temporary files
                    // (pocl/pocl#430, #1480): a build racing another process's fails spuriously; the source is fine.
                    sleepQuietly(50L * attempt);
                    continue;
                }
                throw new OpenClException("clBuildProgram(" + name + (options.isEmpty() ? "" : ", " + options) + ")",
                        bst, device.name(), "build log:\n" + log);
            }
            buildMillis.put(name + " [" + options + "]", (System.nanoTime() - t0) / 1_000_000);
            programs.put(key, p);
            return p;
        }
    }

    private static final int BUILD_ATTEMPTS = 4;

    /** A build log that shows PoCL's shared kernel cache raced another process, not an error in the source. */
    static boolean isCacheRace(final String log) {
        return log.contains("unable to rename temporary") || log.isBlank() || "(no build log)".equals(log);
    }

    private static void sleepQuietly(final long millis) {
        try {
            Thread.sleep(millis);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String buildLog(final cl_program p) {
        final long[] size = new long[1];
        if (CL.clGetProgramBuildInfo(p, device.deviceId(), CL_PROGRAM_BUILD_LOG, 0, null, size) != CL_SUCCESS) {
            return "(no build log)";
        }
        final byte[] b = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, device.deviceId(), CL_PROGRAM_BUILD_LOG, b.length, Pointer.to(b), null);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }

    /**
     * Allocates a read-write device buffer of {@code bytes} bytes (once per session, not per frame).
     *
     * @param name  what it holds, for error messages
     * @param bytes size, positive and at most the device's maximum allocation
     */
    public DeviceBuffer buffer(final String name, final long bytes) {
        ensureOpen();
        if (bytes <= 0) {
            throw new IllegalArgumentException("device buffer '" + name + "' size must be positive, was " + bytes);
        }
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalArgumentException("device buffer '" + name + "' of " + bytes + " bytes exceeds the"
                    + " largest allocation of " + device.name() + " (" + device.maxAllocBytes() + " bytes)");
        }
        final int[] st = new int[1];
        final cl_mem mem = CL.clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, st);
        OpenClStatus.check(st[0], "clCreateBuffer(" + name + ", " + bytes + " B)", device.name());
        final DeviceBuffer b = new DeviceBuffer(this, name, bytes, mem);
        synchronized (buffers) {
            buffers.add(b);
        }
        return b;
    }

    void forgetOwned(final Object o) {
        synchronized (owned) {
            owned.remove(o);
        }
    }

    void forget(final DeviceBuffer b) {
        synchronized (buffers) {
            buffers.remove(b);
        }
    }

    /** Throws when the runtime was closed (the device is gone for this process). */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("OpenCL runtime on " + device.name() + " is closed");
        }
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases every buffer, kernel, queue and program made through this runtime, then the context. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        final List<DeviceBuffer> open;
        synchronized (buffers) {
            open = new ArrayList<>(buffers);
        }
        for (DeviceBuffer b : open) {
            b.close();
        }
        final List<Object> all;
        synchronized (owned) {
            all = new ArrayList<>(owned);
            owned.clear();
        }
        for (Object o : all) {
            if (o instanceof ClKernel k) {
                k.close();
            }
        }
        for (Object o : all) {
            if (o instanceof CommandQueue q) {
                q.close();
            }
        }
        for (cl_program p : programs.values()) {
            CL.clReleaseProgram(p);
        }
        programs.clear();
        closed = true;
        CL.clReleaseContext(context);
    }

    @Override
    public String toString() {
        return "OpenClRuntime[" + device.describe() + "]";
    }
}
