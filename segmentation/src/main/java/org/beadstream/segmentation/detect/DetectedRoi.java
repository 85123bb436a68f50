package org.beadstream.segmentation.detect;

/**
 * One ROI found by the detector in one plane.
 *
 * @param plane   plane index
 * @param pixels  pixel indices {@code y * width + x}, ascending
 * @param weights non-negative weights per pixel (peak about 1; normalised later by the footprints builder)
 * @param trace   the ROI's activity per bin of the detection window (noise-normalised units)
 * @param peakX   column of the score peak that seeded it
 * @param peakY   row of the score peak
 * @param score   the seed's score (sum over bins of the squared excess over the event threshold, sigma^2)
 * <p>Immutable by convention (arrays shared: do not modify); thread-safe for reading.
 */
public record DetectedRoi(int plane, int[] pixels, float[] weights, float[] trace, int peakX, int peakY,
        double score) implements java.io.Serializable {

    /** Weighted centroid column, pixels. */
    public double centroidX(final int width) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < pixels.length; i++) {
            s += weights[i] * (pixels[i] % width);
            w += weights[i];
        }
        return s / w;
    }

    /** Weighted centroid row, pixels. */
    public double centroidY(final int width) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < pixels.length; i++) {
            s += weights[i] * (pixels[i] / width);
            w += weights[i];
        }
        return s / w;
    }
}
