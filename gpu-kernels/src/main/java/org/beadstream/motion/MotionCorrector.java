package org.beadstream.motion;

import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Registers frames of one plane to that plane's template (rigid, optionally piecewise-rigid) and writes the corrected
 * frames, shifts, correlation with the template and {@link MotionFlags} per frame. Frames are row-major
 * {@code height x width}, consecutive. Array-in/array-out for batches; the buffer variants reuse device buffers and
 * allocate nothing per frame (for the streaming stage). A frame with NaN or constant pixels is flagged and passed
 * through; it never stops the stream.
 *
 * <p>Implementations are not thread-safe: one corrector per stage thread.
 */
public interface MotionCorrector extends AutoCloseable {

    /** The settings this corrector was built for. */
    MotionSettings settings();

    /** Blocks per frame (0 when rigid-only). */
    int blocksPerFrame();

    /** Sets (or replaces) the template of {@code plane}: {@code height x width} floats. */
    void setTemplate(int plane, float[] template);

    /** True once {@code plane} has a template. */
    boolean hasTemplate(int plane);

    /** A copy of the template of {@code plane}. */
    float[] template(int plane);

    /** A result object large enough for {@code frames} frames of this corrector. */
    default MotionResult newResult(final int frames) {
        return new MotionResult(frames, blocksPerFrame());
    }

    /** Registers {@code count} float frames of {@code plane} from {@code frames} into {@code out}. */
    void correct(int plane, float[] frames, int count, float[] out, MotionResult result);

    /** Registers {@code count} int16 frames of {@code plane} from {@code frames} into {@code out}. */
    void correct(int plane, short[] frames, int count, float[] out, MotionResult result);

    /**
     * Registers {@code count} int16 frames read from {@code frames} at its position into {@code out} at its position
     * (positions are not moved); direct buffers avoid a copy.
     */
    void correct(int plane, ShortBuffer frames, int count, FloatBuffer out, MotionResult result);

    /** As {@link #correct(int, ShortBuffer, int, FloatBuffer, MotionResult)} for float frames. */
    void correct(int plane, FloatBuffer frames, int count, FloatBuffer out, MotionResult result);

    /** Releases device buffers and kernels. */
    @Override
    void close();
}
