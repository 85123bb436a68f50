package org.beadstream.acquisition.sim;

/**
 * True activity of a block of neurons over the first {@code volumes} volumes, neuron-major (row {@code k} is neuron
 * {@code firstNeuron + k}, column {@code v} is volume {@code v}; the suite2p F.npy layout).
 *
 * <p>Immutable as a record (the arrays are shared, not copied; do not modify them).
 *
 * @param firstNeuron  id of the first neuron
 * @param neurons      neurons in the block
 * @param volumes      volumes per neuron
 * @param fluorescence F = F0 (1 + dF/F) bleach, photons per pixel per frame at footprint weight 1
 * @param dff          dF/F from activity alone (no bleaching)
 * @param spikes       spike counts per volume
 */
public record ActivityTraces(int firstNeuron, int neurons, int volumes, float[] fluorescence, float[] dff,
        int[] spikes) {

    /** F of neuron {@code firstNeuron + k} at volume {@code v}. */
    public float fluorescence(final int k, final int v) {
        return fluorescence[k * volumes + v];
    }

    /** dF/F of neuron {@code firstNeuron + k} at volume {@code v}. */
    public float dff(final int k, final int v) {
        return dff[k * volumes + v];
    }

    /** Spikes of neuron {@code firstNeuron + k} in volume {@code v}. */
    public int spikes(final int k, final int v) {
        return spikes[k * volumes + v];
    }
}
