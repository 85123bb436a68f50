package org.beadstream.gpu.runtime;

import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ACCELERATOR;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_DEVICE_VENDOR;
import static org.jocl.CL.CL_DEVICE_VERSION;
import static org.jocl.CL.CL_DEVICE_NOT_FOUND;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_SUCCESS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices and chooses one. The choice is, in order: an explicit selector passed by the caller (a CLI
 * option), the system property {@value #PROPERTY}, the environment variable {@value #ENV}, and otherwise the first
 * GPU, else the first CPU, else the first device.
 *
 * <p>A selector is one of {@code gpu}, {@code cpu}, {@code accelerator}, {@code any} (the default order),
 * {@code #N} (the N-th device in discovery order, see {@link #discover()}), or any other text, matched
 * case-insensitively as a substring of the device name, vendor or platform name (e.g. {@code "h100"},
 * {@code "pocl"}).
 *
 * <p>Stateless and thread-safe.
 */
public final class DeviceSelector {

    /** Environment variable holding a device selector. */
    public static final String ENV = "BEADSTREAM_OPENCL_DEVICE";
    /** System property holding a device selector (wins over the environment variable). */
    public static final String PROPERTY = "beadstream.opencl.device";

    private DeviceSelector() {
    }

    /**
     * Every OpenCL device of every platform, in discovery order; empty when there is no OpenCL at all. Synchronized:
     * PoCL crashes (SIGSEGV in clGetDeviceInfo) when two threads query devices at once, as Spark's task threads in one
     * executor JVM would.
     */
    public static synchronized List<OpenClDevice> discover() {
        CL.setExceptionsEnabled(false);
        final List<OpenClDevice> out = new ArrayList<>();
        final int[] n = new int[1];
        int st;
        try {
            st = CL.clGetPlatformIDs(0, null, n);
        } catch (UnsatisfiedLinkError e) {
            return out;
        }
        if (st != CL_SUCCESS || n[0] == 0) {
            return out;
        }
        final cl_platform_id[] platforms = new cl_platform_id[n[0]];
        OpenClStatus.check(CL.clGetPlatformIDs(platforms.length, platforms, null), "clGetPlatformIDs", "(no device)");
        int index = 0;
        for (cl_platform_id p : platforms) {
            final String platformName = platformString(p, CL_PLATFORM_NAME);
            final int[] nd = new int[1];
            st = CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, 0, null, nd);
            if (st == CL_DEVICE_NOT_FOUND || nd[0] == 0) {
                continue;
            }
            OpenClStatus.check(st, "clGetDeviceIDs", platformName);
            final cl_device_id[] devs = new cl_device_id[nd[0]];
            OpenClStatus.check(CL.clGetDeviceIDs(p, CL_DEVICE_TYPE_ALL, devs.length, devs, null), "clGetDeviceIDs",
                    platformName);
            for (cl_device_id d : devs) {
                final long type = deviceLong(d, CL_DEVICE_TYPE);
                final DeviceKind kind = (type & CL_DEVICE_TYPE_GPU) != 0 ? DeviceKind.GPU
                        : (type & CL_DEVICE_TYPE_CPU) != 0 ? DeviceKind.CPU
                        : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? DeviceKind.ACCELERATOR : DeviceKind.OTHER;
                out.add(new OpenClDevice(p, d, index++, platformName, deviceString(d, CL_DEVICE_NAME),
                        deviceString(d, CL_DEVICE_VENDOR), kind, deviceString(d, CL_DEVICE_VERSION),
                        (int) deviceInt(d, CL_DEVICE_MAX_COMPUTE_UNITS), deviceLong(d, CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceLong(d, CL_DEVICE_LOCAL_MEM_SIZE), deviceSizeT(d, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        deviceLong(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE)));
            }
        }
        return out;
    }

    /**
     * The selector in force when the caller gives none: the system property, else the environment variable, else
     * {@code "any"}.
     */
    public static String defaultSelector() {
        final String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return prop.trim();
        }
        final String env = System.getenv(ENV);
        return env != null && !env.isBlank() ? env.trim() : "any";
    }

    /**
     * Chooses a device.
     *
     * @param selector a selector as described in the class comment; null or blank means {@link #defaultSelector()}
     * @return the chosen device
     * @throws IllegalStateException    when there is no OpenCL device at all
     * @throws IllegalArgumentException when no device matches the selector (the message lists the devices)
     */
    public static OpenClDevice choose(final String selector) {
        return choose(selector, discover());
    }

    /** {@link #choose(String)} over a given device list (for tests and for callers that discovered already). */
    public static OpenClDevice choose(final String selector, final List<OpenClDevice> devices) {
        if (devices.isEmpty()) {
            throw new IllegalStateException("no OpenCL device found: install an OpenCL driver (a GPU driver, or PoCL"
                    + " for the CPU: apt-get install pocl-opencl-icd) and check that libOpenCL.so loads");
        }
        final String sel = selector == null || selector.isBlank() ? defaultSelector() : selector.trim();
        final String s = sel.toLowerCase(Locale.ROOT);
        switch (s) {
            case "any":
            case "auto":
                return firstOf(devices, DeviceKind.GPU) != null ? firstOf(devices, DeviceKind.GPU)
                        : firstOf(devices, DeviceKind.CPU) != null ? firstOf(devices, DeviceKind.CPU) : devices.get(0);
            case "gpu":
                return require(firstOf(devices, DeviceKind.GPU), sel, devices);
            case "cpu":
                return require(firstOf(devices, DeviceKind.CPU), sel, devices);
            case "accelerator":
                return require(firstOf(devices, DeviceKind.ACCELERATOR), sel, devices);
            default:
                break;
        }
        if (s.startsWith("#")) {
            final int i;
            try {
                i = Integer.parseInt(s.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("OpenCL device selector '" + sel + "': expected #N with N a device"
                        + " index; devices: " + devices);
            }
            for (OpenClDevice d : devices) {
                if (d.index() == i) {
                    return d;
                }
            }
            return require(null, sel, devices);
        }
        for (OpenClDevice d : devices) {
            if ((d.name() + " " + d.vendor() + " " + d.platformName()).toLowerCase(Locale.ROOT).contains(s)) {
                return d;
            }
        }
        return require(null, sel, devices);
    }

    private static OpenClDevice firstOf(final List<OpenClDevice> devices, final DeviceKind kind) {
        for (OpenClDevice d : devices) {
            if (d.kind() == kind) {
                return d;
            }
        }
        return null;
    }

    private static OpenClDevice require(final OpenClDevice d, final String sel, final List<OpenClDevice> devices) {
        if (d == null) {
            throw new IllegalArgumentException("no OpenCL device matches selector '" + sel + "' (from option, -D"
                    + PROPERTY + " or " + ENV + "); devices: " + devices);
        }
        return d;
    }

    private static String platformString(final cl_platform_id p, final int param) {
        final long[] size = new long[1];
        OpenClStatus.check(CL.clGetPlatformInfo(p, param, 0, null, size), "clGetPlatformInfo", "(platform)");
        final byte[] b = new byte[(int) size[0]];
        OpenClStatus.check(CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null), "clGetPlatformInfo",
                "(platform)");
        return cString(b);
    }

    static String deviceString(final cl_device_id d, final int param) {
        final long[] size = new long[1];
        OpenClStatus.check(CL.clGetDeviceInfo(d, param, 0, null, size), "clGetDeviceInfo", "(device)");
        final byte[] b = new byte[(int) size[0]];
        OpenClStatus.check(CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null), "clGetDeviceInfo",
                "(device)");
        return cString(b);
    }

    private static long deviceLong(final cl_device_id d, final int param) {
        final long[] v = new long[1];
        OpenClStatus.check(CL.clGetDeviceInfo(d, param, 8, Pointer.to(v), null), "clGetDeviceInfo", "(device)");
        return v[0];
    }

    private static long deviceInt(final cl_device_id d, final int param) {
        final int[] v = new int[1];
        OpenClStatus.check(CL.clGetDeviceInfo(d, param, 4, Pointer.to(v), null), "clGetDeviceInfo", "(device)");
        return v[0];
    }

    private static long deviceSizeT(final cl_device_id d, final int param) {
        final ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        OpenClStatus.check(CL.clGetDeviceInfo(d, param, org.jocl.Sizeof.size_t, Pointer.to(b), null),
                "clGetDeviceInfo", "(device)");
        return org.jocl.Sizeof.size_t == 8 ? b.getLong(0) : b.getInt(0) & 0xffffffffL;
    }

    private static String cString(final byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8).trim();
    }
}
