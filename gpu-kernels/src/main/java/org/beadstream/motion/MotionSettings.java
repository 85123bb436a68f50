package org.beadstream.motion;

/**
 * Parameters of motion correction for one frame size, validated on construction (names and defaults follow suite2p
 * where it has one). Make with {@link #defaults(int, int)} and adjust with the {@code with*} methods. Immutable and
 * thread-safe.
 *
 * @param height          frame rows (pixels)
 * @param width           frame columns (pixels)
 * @param planes          number of planes (one template each), at least 1
 * @param nonRigid        also estimate and apply piecewise-rigid (block) shifts (suite2p {@code nonrigid})
 * @param blockSize       block side in pixels, a power of two from 16 (suite2p {@code block_size}, default 128)
 * @param maxShift        largest rigid shift searched, pixels (suite2p {@code maxregshift} x frame size; default
 *                        10 % of the smaller side)
 * @param maxBlockShift   largest block shift searched around the rigid shift, pixels (suite2p {@code
 *                        maxregshiftNR}, default 5)
 * @param whiten          phase correlation (spectra normalised to unit magnitude) instead of plain cross-correlation
 * @param smoothSigma     Gaussian smoothing of the correlation, pixels (suite2p {@code smooth_sigma}, 1.15)
 * @param taperSigma      width of the spatial taper at the region edges, pixels (suite2p: 3 x smooth_sigma)
 * @param blockSmoothing  Gaussian smoothing of block shifts across neighbouring blocks, in block units (0: none)
 * @param minPeak         rigid correlation peak (0..1 for phase correlation) below which a frame is flagged
 *                        {@link MotionFlags#LOW_CONFIDENCE}
 * @param maxBatch        frames per device launch (memory grows with it; 8 to 32 is a good range)
 */
public record MotionSettings(int height, int width, int planes, boolean nonRigid, int blockSize, int maxShift,
        int maxBlockShift, boolean whiten, double smoothSigma, double taperSigma, double blockSmoothing,
        double minPeak, int maxBatch) {

    /** Validates every parameter against the frame size. */
    public MotionSettings {
        if (height < 16 || width < 16) {
            throw new IllegalArgumentException("frames must be at least 16 x 16 pixels, were " + height + " x " + width);
        }
        if (planes < 1) {
            throw new IllegalArgumentException("planes must be at least 1, was " + planes);
        }
        if (blockSize < 16 || blockSize > 1024 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("block size must be a power of two from 16 to 1024, was " + blockSize);
        }
        if (nonRigid && (blockSize > height || blockSize > width)) {
            throw new IllegalArgumentException("frame " + height + " x " + width + " is smaller than the "
                    + blockSize + "-pixel block: use a smaller block size or rigid registration only");
        }
        final int region = Math.min(rigidHeight(height), rigidWidth(width));
        if (maxShift < 1 || 2 * maxShift + 2 > region) {
            throw new IllegalArgumentException("max shift must be from 1 to " + (region / 2 - 1) + " pixels for a "
                    + height + " x " + width + " frame, was " + maxShift);
        }
        if (nonRigid && (maxBlockShift < 1 || 2 * maxBlockShift + 2 > blockSize)) {
            throw new IllegalArgumentException("max block shift must be from 1 to " + (blockSize / 2 - 1)
                    + " pixels for " + blockSize + "-pixel blocks, was " + maxBlockShift);
        }
        if (!(smoothSigma >= 0 && smoothSigma <= 10)) {
            throw new IllegalArgumentException("smooth sigma must be from 0 to 10 pixels, was " + smoothSigma);
        }
        if (!(taperSigma > 0 && taperSigma <= 50)) {
            throw new IllegalArgumentException("taper sigma must be above 0 and at most 50 pixels, was " + taperSigma);
        }
        if (!(blockSmoothing >= 0 && blockSmoothing <= 5)) {
            throw new IllegalArgumentException("block smoothing must be from 0 to 5 blocks, was " + blockSmoothing);
        }
        if (!(minPeak >= 0 && minPeak < 1)) {
            throw new IllegalArgumentException("min peak must be in [0, 1), was " + minPeak);
        }
        if (maxBatch < 1 || maxBatch > 1024) {
            throw new IllegalArgumentException("max batch must be from 1 to 1024 frames, was " + maxBatch);
        }
    }

    /** suite2p-like defaults for {@code height x width} frames: rigid + piecewise-rigid, 128-pixel blocks. */
    public static MotionSettings defaults(final int height, final int width) {
        final int block = Math.min(128, Math.max(16, Integer.highestOneBit(Math.min(height, width))));
        final int region = Math.min(rigidHeight(height), rigidWidth(width));
        final int maxShift = Math.max(1, Math.min(region / 2 - 1, (int) Math.round(0.1 * Math.min(height, width))));
        return new MotionSettings(height, width, 1, true, block, maxShift, Math.min(5, block / 2 - 1), true, 1.15,
                3 * 1.15, 0.5, 0.02, 16);
    }

    /** Rows of the centred region used for the rigid estimate: the largest power of two within the frame. */
    public int rigidHeight() {
        return rigidHeight(height);
    }

    /** Columns of the centred region used for the rigid estimate. */
    public int rigidWidth() {
        return rigidWidth(width);
    }

    private static int rigidHeight(final int h) {
        return Math.min(4096, Integer.highestOneBit(Math.max(16, h)));
    }

    private static int rigidWidth(final int w) {
        return Math.min(4096, Integer.highestOneBit(Math.max(16, w)));
    }

    /** A copy with {@code planes} templates. */
    public MotionSettings withPlanes(final int v) {
        return new MotionSettings(height, width, v, nonRigid, blockSize, maxShift, maxBlockShift, whiten, smoothSigma,
                taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with piecewise-rigid registration on or off. */
    public MotionSettings withNonRigid(final boolean v) {
        return new MotionSettings(height, width, planes, v, blockSize, maxShift, maxBlockShift, whiten, smoothSigma,
                taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with another block size (and the max block shift capped to fit). */
    public MotionSettings withBlockSize(final int v) {
        return new MotionSettings(height, width, planes, nonRigid, v, maxShift, Math.min(maxBlockShift,
                Math.max(1, v / 2 - 1)), whiten, smoothSigma, taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with another rigid max shift. */
    public MotionSettings withMaxShift(final int v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, v, maxBlockShift, whiten, smoothSigma,
                taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with another block max shift. */
    public MotionSettings withMaxBlockShift(final int v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, maxShift, v, whiten, smoothSigma,
                taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with whitening (phase correlation) on or off. */
    public MotionSettings withWhiten(final boolean v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, maxShift, maxBlockShift, v, smoothSigma,
                taperSigma, blockSmoothing, minPeak, maxBatch);
    }

    /** A copy with another block-shift smoothing (block units). */
    public MotionSettings withBlockSmoothing(final double v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, maxShift, maxBlockShift, whiten,
                smoothSigma, taperSigma, v, minPeak, maxBatch);
    }

    /** A copy with another batch size. */
    public MotionSettings withMaxBatch(final int v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, maxShift, maxBlockShift, whiten,
                smoothSigma, taperSigma, blockSmoothing, minPeak, v);
    }

    /** A copy with another low-confidence threshold. */
    public MotionSettings withMinPeak(final double v) {
        return new MotionSettings(height, width, planes, nonRigid, blockSize, maxShift, maxBlockShift, whiten,
                smoothSigma, taperSigma, blockSmoothing, v, maxBatch);
    }
}
