package org.beadstream.gpu.runtime;

import org.jocl.CL;

/**
 * The one place where OpenCL status codes are checked: {@link #check(int, String, String)} turns any status other
 * than {@code CL_SUCCESS} into an {@link OpenClException} naming the call, the error and the device. Stateless and
 * thread-safe.
 */
public final class OpenClStatus {

    private OpenClStatus() {
    }

    /**
     * Throws unless {@code status} is {@code CL_SUCCESS}.
     *
     * @param status the status returned by (or written by) an OpenCL call
     * @param call   the call's name, with context
     * @param device the device's name
     * @throws OpenClException when the call failed
     */
    public static void check(final int status, final String call, final String device) {
        if (status != CL.CL_SUCCESS) {
            throw new OpenClException(call, status, device, "");
        }
    }

    /** The symbolic name of an OpenCL status code, e.g. -5 is {@code CL_OUT_OF_RESOURCES}. */
    public static String errorName(final int status) {
        final String s = CL.stringFor_errorCode(status);
        return s == null || s.startsWith("INVALID") ? "CL_ERROR_" + status : s;
    }
}
