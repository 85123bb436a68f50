package org.beadstream.gpu.runtime;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device found on this machine, with the properties we choose by and size kernels with. Immutable and
 * thread-safe.
 *
 * @param platformId       the JOCL platform handle
 * @param deviceId         the JOCL device handle
 * @param index            position in discovery order over all platforms (0-based), usable as selector {@code #index}
 * @param platformName     the platform's name, e.g. "Portable Computing Language"
 * @param name             the device's name
 * @param vendor           the device's vendor
 * @param kind             GPU, CPU, ...
 * @param version          the device's OpenCL version string
 * @param computeUnits     {@code CL_DEVICE_MAX_COMPUTE_UNITS}
 * @param globalMemBytes   {@code CL_DEVICE_GLOBAL_MEM_SIZE}
 * @param localMemBytes    {@code CL_DEVICE_LOCAL_MEM_SIZE}
 * @param maxWorkGroupSize {@code CL_DEVICE_MAX_WORK_GROUP_SIZE}
 * @param maxAllocBytes    {@code CL_DEVICE_MAX_MEM_ALLOC_SIZE}
 */
public record OpenClDevice(cl_platform_id platformId, cl_device_id deviceId, int index, String platformName,
        String name, String vendor, DeviceKind kind, String version, int computeUnits, long globalMemBytes,
        long localMemBytes, long maxWorkGroupSize, long maxAllocBytes) {

    /** One line for logs and reports: "#0 pthread-skylake (CPU, Portable Computing Language, 2 CUs)". */
    public String describe() {
        return "#" + index + " " + name + " (" + kind + ", " + platformName + ", " + computeUnits + " CUs, "
                + (globalMemBytes >> 20) + " MiB)";
    }

    @Override
    public String toString() {
        return describe();
    }
}
