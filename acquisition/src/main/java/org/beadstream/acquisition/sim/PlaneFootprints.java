package org.beadstream.acquisition.sim;

/**
 * The true spatial footprints of the neurons visible on one plane, in that plane's assembled coordinates (after its
 * calibration offset, without motion), as a compressed sparse row matrix: neuron {@code neuron(k)} covers pixels
 * {@code pixel[start[k] .. start[k+1])} (index {@code y * width + x}) with weights in (0, 1] (the fraction of the
 * axial PSF the soma fills there; a pixel's soma signal is F times the weight). Only pixels inside the plane are kept;
 * neurons with none are omitted. Neurons are in increasing id order.
 *
 * <p>Immutable and thread-safe (accessors copy nothing; do not modify the arrays they return).
 */
public final class PlaneFootprints {

    private final int plane;
    private final int width;
    private final int height;
    private final int[] neuron;
    private final int[] start;
    private final int[] pixel;
    private final float[] weight;
    private final int[] unclipped;

    PlaneFootprints(final int plane, final int width, final int height, final int[] neuron, final int[] start,
            final int[] pixel, final float[] weight, final int[] unclipped) {
        this.plane = plane;
        this.width = width;
        this.height = height;
        this.neuron = neuron;
        this.start = start;
        this.pixel = pixel;
        this.weight = weight;
        this.unclipped = unclipped;
    }

    /** The plane (channel) these footprints belong to. */
    public int plane() {
        return plane;
    }

    /** Plane width in pixels. */
    public int width() {
        return width;
    }

    /** Plane height in pixels. */
    public int height() {
        return height;
    }

    /** Number of neurons with a footprint on this plane. */
    public int count() {
        return neuron.length;
    }

    /** Neuron id of row {@code k}. */
    public int neuron(final int k) {
        return neuron[k];
    }

    /** Row of neuron {@code id}, or -1 if it has no footprint here. */
    public int rowOf(final int id) {
        final int k = java.util.Arrays.binarySearch(neuron, id);
        return k >= 0 ? k : -1;
    }

    /** First entry of row {@code k}. */
    public int start(final int k) {
        return start[k];
    }

    /** End (exclusive) of row {@code k}. */
    public int end(final int k) {
        return start[k + 1];
    }

    /**
     * Pixels of row {@code k}'s footprint before it was cut to the plane: {@code end(k) - start(k)} for a soma wholly
     * inside the plane, more for one the plane's edge cuts (what share of a soma the plane images).
     */
    public int unclippedSize(final int k) {
        return unclipped[k];
    }

    /** Pixel index (y * width + x) of entry {@code e}. */
    public int pixel(final int e) {
        return pixel[e];
    }

    /** Weight of entry {@code e}. */
    public float weight(final int e) {
        return weight[e];
    }

    /** Total number of entries. */
    public int nonZeros() {
        return pixel.length;
    }

    /** Weighted centroid (x, y) in plane pixels (pixel middles at i + 0.5) of row {@code k}. */
    public double[] centroid(final int k) {
        double sw = 0;
        double sx = 0;
        double sy = 0;
        for (int e = start[k]; e < start[k + 1]; e++) {
            final double w = weight[e];
            sw += w;
            sx += w * (pixel[e] % width + 0.5);
            sy += w * (pixel[e] / width + 0.5);
        }
        return new double[] {sx / sw, sy / sw};
    }

    /** Dense image of row {@code k}'s weights (width x height). */
    public float[] toImage(final int k) {
        final float[] img = new float[width * height];
        for (int e = start[k]; e < start[k + 1]; e++) {
            img[pixel[e]] = weight[e];
        }
        return img;
    }
}
