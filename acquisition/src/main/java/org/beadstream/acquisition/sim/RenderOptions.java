package org.beadstream.acquisition.sim;

/**
 * What {@link LbmSimulation#renderAssembledPlane} includes in a true assembled plane image. It never includes the
 * scan phase (the image is what assembly should recover) and always places the strips side by side, trimmed.
 *
 * <p>Immutable and thread-safe.
 *
 * @param motion whether the frame's rigid and non-rigid brain motion is applied (false: the tissue at rest, the
 *               reference a motion corrector should reach)
 * @param noise  whether shot and read noise are added, using the very noise samples the raw page holds at those
 *               pixels (so with both true the image equals the assembled, phase-free page before rounding)
 */
public record RenderOptions(boolean motion, boolean noise) {

    /** No motion, no noise: the registered, noise-free truth. */
    public static final RenderOptions CLEAN = new RenderOptions(false, false);
    /** Motion, no noise. */
    public static final RenderOptions MOTION = new RenderOptions(true, false);
    /** Motion and noise: what the microscope recorded, minus scan phase and rounding. */
    public static final RenderOptions AS_ACQUIRED = new RenderOptions(true, true);
}
