package org.beadstream.gpu.runtime;

/** The kind of an OpenCL device, as reported by {@code CL_DEVICE_TYPE}. Immutable. */
public enum DeviceKind {
    /** A graphics processor (preferred when present). */
    GPU,
    /** A CPU device, e.g. PoCL's pthread device. */
    CPU,
    /** An accelerator (FPGA, etc.). */
    ACCELERATOR,
    /** Anything else. */
    OTHER
}
