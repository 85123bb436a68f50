package org.beadstream.motion;

/**
 * Per-frame results of one {@link MotionCorrector#correct} call, preallocated for up to {@link #capacity()} frames
 * and refilled by each call (no allocation per frame). Frame {@code i} of the call is index {@code i}.
 *
 * <p>Shift convention: a shift (dy, dx) means the frame's content sits at {@code template(y - dy, x - dx)}, i.e.
 * {@code frame(y, x) = template(y - dy, x - dx)}; correction samples {@code frame(y + dy, x + dx)}. Block shifts are
 * total shifts (rigid plus piecewise), block-major per frame: {@code blockDy()[i * blocks() + b]}.
 *
 * <p>Not thread-safe: owned by the caller of {@code correct}.
 */
public final class MotionResult {

    private final int capacity;
    private final int blocks;
    private final float[] dy;
    private final float[] dx;
    private final float[] peak;
    private final float[] correlation;
    private final int[] flags;
    private final float[] blockDy;
    private final float[] blockDx;
    private final float[] blockPeak;
    private int count;

    /**
     * @param capacity frames it can hold
     * @param blocks   blocks per frame (0 for rigid-only)
     */
    public MotionResult(final int capacity, final int blocks) {
        if (capacity < 1 || blocks < 0) {
            throw new IllegalArgumentException("result capacity must be positive and blocks non-negative, were "
                    + capacity + " and " + blocks);
        }
        this.capacity = capacity;
        this.blocks = blocks;
        this.dy = new float[capacity];
        this.dx = new float[capacity];
        this.peak = new float[capacity];
        this.correlation = new float[capacity];
        this.flags = new int[capacity];
        this.blockDy = new float[capacity * blocks];
        this.blockDx = new float[capacity * blocks];
        this.blockPeak = new float[capacity * blocks];
    }

    /** Frames this result can hold. */
    public int capacity() {
        return capacity;
    }

    /** Frames filled by the last call. */
    public int count() {
        return count;
    }

    void setCount(final int n) {
        count = n;
    }

    /** Blocks per frame (0 when rigid-only). */
    public int blocks() {
        return blocks;
    }

    /** Rigid row shift of frame {@code i}, pixels. */
    public float dy(final int i) {
        return dy[check(i)];
    }

    /** Rigid column shift of frame {@code i}, pixels. */
    public float dx(final int i) {
        return dx[check(i)];
    }

    /** Rigid phase-correlation peak of frame {@code i} (about 0..1; a match-quality measure). */
    public float peak(final int i) {
        return peak[check(i)];
    }

    /** Pearson correlation of corrected frame {@code i} with the template (interior), the quality measure. */
    public float correlation(final int i) {
        return correlation[check(i)];
    }

    /** {@link MotionFlags} bits of frame {@code i}. */
    public int flags(final int i) {
        return flags[check(i)];
    }

    /** Total row shift of block {@code b} of frame {@code i}. */
    public float blockDy(final int i, final int b) {
        return blockDy[check(i) * blocks + b];
    }

    /** Total column shift of block {@code b} of frame {@code i}. */
    public float blockDx(final int i, final int b) {
        return blockDx[check(i) * blocks + b];
    }

    /** Correlation peak of block {@code b} of frame {@code i}. */
    public float blockPeak(final int i, final int b) {
        return blockPeak[check(i) * blocks + b];
    }

    float[] dyArray() {
        return dy;
    }

    float[] dxArray() {
        return dx;
    }

    float[] peakArray() {
        return peak;
    }

    float[] correlationArray() {
        return correlation;
    }

    int[] flagsArray() {
        return flags;
    }

    float[] blockDyArray() {
        return blockDy;
    }

    float[] blockDxArray() {
        return blockDx;
    }

    float[] blockPeakArray() {
        return blockPeak;
    }

    private int check(final int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("frame " + i + " of a result holding " + count + " frames");
        }
        return i;
    }
}
