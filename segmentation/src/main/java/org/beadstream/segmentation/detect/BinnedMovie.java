package org.beadstream.segmentation.detect;

import java.util.Objects;

/**
 * A plane's detection window averaged in time bins: {@code bins x height x width} float32, bin-major. Detection only
 * ever needs the binned movie, so a live pipeline adds frames as they come ({@link #addFrame(float[], int)}) and
 * holds {@code 1 / binFrames} of the window in memory (a 600 x 576 plane, 300 frames in bins of 6: 69 MB).
 *
 * <p>Not thread-safe: one writer; read it after the last frame.
 */
public final class BinnedMovie {

    private final int width;
    private final int height;
    private final int binFrames;
    private final int capacityBins;
    private final double frameRateHz;
    private final float[] data;
    private int framesAdded;

    /**
     * An empty binned movie.
     *
     * @param width        plane width, pixels
     * @param height       plane height, pixels
     * @param binFrames    frames averaged per bin, at least 1
     * @param capacityBins bins it can hold (frames beyond {@code capacityBins x binFrames} are rejected)
     * @param frameRateHz  rate of the frames added (volume rate), Hz
     */
    public BinnedMovie(final int width, final int height, final int binFrames, final int capacityBins,
            final double frameRateHz) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("plane must be at least 1 x 1, was " + width + " x " + height);
        }
        if (binFrames < 1) {
            throw new IllegalArgumentException("frames per bin must be at least 1, was " + binFrames);
        }
        if (capacityBins < 1 || (long) capacityBins * width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("binned movie of " + capacityBins + " bins of " + width + " x " + height
                    + " does not fit one float array (at most 2^31 values)");
        }
        if (!(frameRateHz > 0)) {
            throw new IllegalArgumentException("frame rate must be positive, was " + frameRateHz);
        }
        this.width = width;
        this.height = height;
        this.binFrames = binFrames;
        this.capacityBins = capacityBins;
        this.frameRateHz = frameRateHz;
        this.data = new float[capacityBins * width * height];
    }

    /** Bins a whole movie ({@code frames x height x width}, frame-major) with the parameters' bin size. */
    public static BinnedMovie of(final float[] movie, final int frames, final int height, final int width,
            final double frameRateHz, final DetectionParameters parameters) {
        Objects.requireNonNull(movie, "movie");
        if (frames < 1 || (long) frames * height * width > movie.length) {
            throw new IllegalArgumentException("movie of " + movie.length + " values is shorter than " + frames
                    + " frames of " + width + " x " + height);
        }
        final int bin = parameters.binFrames(frames, frameRateHz);
        final BinnedMovie b = new BinnedMovie(width, height, bin, frames / bin, frameRateHz);
        final int hw = width * height;
        for (int t = 0; t < (frames / bin) * bin; t++) {
            b.addFrame(movie, t * hw);
        }
        return b;
    }

    /** Start in {@link #data} of the bin the next frame falls in; throws when the movie is full. */
    private int nextBinBase() {
        final int bin = framesAdded / binFrames;
        if (bin >= capacityBins) {
            throw new IllegalStateException("binned movie is full: " + capacityBins + " bins of " + binFrames
                    + " frames");
        }
        return bin * width * height;
    }

    /** Adds one frame ({@code height x width} floats at {@code offset}); no allocation. */
    public void addFrame(final float[] frame, final int offset) {
        final int hw = width * height;
        final int base = nextBinBase();
        final float scale = 1f / binFrames;
        for (int i = 0; i < hw; i++) {
            data[base + i] += frame[offset + i] * scale;
        }
        framesAdded++;
    }

    /** Adds one int16 frame ({@code height x width} values at {@code offset}); no allocation. */
    public void addFrame(final short[] frame, final int offset) {
        final int hw = width * height;
        final int base = nextBinBase();
        final float scale = 1f / binFrames;
        for (int i = 0; i < hw; i++) {
            data[base + i] += frame[offset + i] * scale;
        }
        framesAdded++;
    }

    /** Complete bins so far (a partly filled last bin is not counted). */
    public int bins() {
        return framesAdded / binFrames;
    }

    /** Frames added so far. */
    public int framesAdded() {
        return framesAdded;
    }

    /** Plane width, pixels. */
    public int width() {
        return width;
    }

    /** Plane height, pixels. */
    public int height() {
        return height;
    }

    /** Frames per bin. */
    public int binFrames() {
        return binFrames;
    }

    /** Rate of the frames added, Hz. */
    public double frameRateHz() {
        return frameRateHz;
    }

    /** The backing array (bin-major); only the first {@code bins() x width x height} values are complete bins. */
    float[] data() {
        return data;
    }

    /** A copy of the complete bins. */
    public float[] toArray() {
        return java.util.Arrays.copyOf(data, bins() * width * height);
    }

    /** Bytes held. */
    public long sizeInBytes() {
        return 4L * data.length;
    }
}
