package org.beadstream.gpu.runtime;

/**
 * An OpenCL call that failed: names the call (e.g. {@code clEnqueueNDRangeKernel(fft_lines)}), the OpenCL error
 * name (e.g. {@code CL_OUT_OF_RESOURCES}), the numeric status and the device. A failed program build carries the
 * build log in its message. Immutable and thread-safe.
 */
public final class OpenClException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;
    private final String device;

    /**
     * @param call   the OpenCL call and, where useful, what it was for
     * @param status the OpenCL status code returned
     * @param device the device's name, or "(no device)" before one is chosen
     * @param detail extra text (a build log), may be empty
     */
    public OpenClException(final String call, final int status, final String device, final String detail) {
        super(call + " failed with " + OpenClStatus.errorName(status) + " (" + status + ") on " + device
                + (detail == null || detail.isEmpty() ? "" : ":\n" + detail));
        this.call = call;
        this.status = status;
        this.device = device;
    }

    /** The OpenCL call that failed. */
    public String call() {
        return call;
    }

    /** The OpenCL status code (negative). */
    public int status() {
        return status;
    }

    /** The symbolic name of {@link #status()}, e.g. {@code CL_BUILD_PROGRAM_FAILURE}. */
    public String errorName() {
        return OpenClStatus.errorName(status);
    }

    /** The device the call was made for. */
    public String device() {
        return device;
    }
}
