package org.beadstream.motion;

/**
 * Bits of the per-frame flags in a {@link MotionResult}. A frame flagged {@link #NON_FINITE_INPUT} or
 * {@link #CONSTANT_FRAME} is passed through unshifted (its shifts are 0); the others are applied and only reported.
 * Stateless and thread-safe.
 */
public final class MotionFlags {

    /** The frame has NaN or infinite pixels in the region used for the estimate. */
    public static final int NON_FINITE_INPUT = 1;
    /** The frame is constant (no texture to register). */
    public static final int CONSTANT_FRAME = 2;
    /** The rigid peak lies on the border of the max-shift window: the true shift may be larger. */
    public static final int AT_MAX_SHIFT = 4;
    /** The rigid correlation peak is below {@link MotionSettings#minPeak()}. */
    public static final int LOW_CONFIDENCE = 8;
    /** At least one block peak lies on the border of its window (that block fell back on its neighbours). */
    public static final int BLOCK_AT_MAX_SHIFT = 16;
    /** No template has been set for the plane: frames are passed through. */
    public static final int NO_TEMPLATE = 32;

    private MotionFlags() {
    }

    /** True when the frame was passed through without correction. */
    public static boolean passedThrough(final int flags) {
        return (flags & (NON_FINITE_INPUT | CONSTANT_FRAME | NO_TEMPLATE)) != 0;
    }

    /** The set bits as words, e.g. "NON_FINITE_INPUT|AT_MAX_SHIFT", or "OK". */
    public static String describe(final int flags) {
        if (flags == 0) {
            return "OK";
        }
        final StringBuilder sb = new StringBuilder();
        final String[] names = {"NON_FINITE_INPUT", "CONSTANT_FRAME", "AT_MAX_SHIFT", "LOW_CONFIDENCE",
            "BLOCK_AT_MAX_SHIFT", "NO_TEMPLATE"};
        for (int i = 0; i < names.length; i++) {
            if ((flags & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.toString();
    }
}
