package org.beadstream.traces.sink;

/**
 * One volume's traces for every ROI of a run, handed to {@link TraceSink}s: F, neuropil, dF/F of volume
 * {@link #volume()} and the (lagged, final) spike estimates of volume {@link #spikeVolume()}.
 *
 * <p>Spikes trail the other traces by the deconvolution lag (online OASIS finalises frame t - lag when frame t
 * arrives); at the end of a run the remaining spikes come in holders with {@link #hasTraces()} false.
 *
 * <p>A mutable holder made once and reused for every volume (the arrays are never reallocated): sinks must copy what
 * they keep before returning from {@link TraceSink#onVolume}. Not thread-safe.
 */
public final class VolumeTraces {

    private final int rois;
    private final float[] f;
    private final float[] fneu;
    private final float[] dff;
    private final float[] spikes;
    private long volume = -1;
    private long spikeVolume = -1;
    private double timeSeconds;

    /** A holder for {@code rois} ROIs, &ge; 0. */
    public VolumeTraces(final int rois) {
        if (rois < 0) {
            throw new IllegalArgumentException("ROI count must be >= 0, was " + rois);
        }
        this.rois = rois;
        this.f = new float[rois];
        this.fneu = new float[rois];
        this.dff = new float[rois];
        this.spikes = new float[rois];
    }

    /** Number of ROIs (array lengths). */
    public int rois() {
        return rois;
    }

    /** Index of the volume whose F, Fneu and dF/F are held, or -1 (end-of-run spike flush). */
    public long volume() {
        return volume;
    }

    /** Whether F, Fneu and dF/F are valid. */
    public boolean hasTraces() {
        return volume >= 0;
    }

    /** Index of the volume whose spikes are held, or -1 (none yet: the first {@code lag} volumes). */
    public long spikeVolume() {
        return spikeVolume;
    }

    /** Whether spikes are valid. */
    public boolean hasSpikes() {
        return spikeVolume >= 0;
    }

    /** Acquisition time of {@link #volume()} in seconds from the run's start. */
    public double timeSeconds() {
        return timeSeconds;
    }

    /** Raw ROI fluorescence (the live array). */
    public float[] f() {
        return f;
    }

    /** Neuropil fluorescence (the live array). */
    public float[] fneu() {
        return fneu;
    }

    /** dF/F0 after neuropil correction (the live array). */
    public float[] dff() {
        return dff;
    }

    /** Spike estimates of {@link #spikeVolume()} (the live array). */
    public float[] spikes() {
        return spikes;
    }

    /** Sets the indices and time; the producer fills the arrays itself. */
    public void set(final long volumeIndex, final double seconds, final long spikeVolumeIndex) {
        this.volume = volumeIndex;
        this.timeSeconds = seconds;
        this.spikeVolume = spikeVolumeIndex;
    }

    /** Copies everything from another holder of the same ROI count (used by ring buffers). */
    public void copyFrom(final VolumeTraces other) {
        if (other.rois != rois) {
            throw new IllegalArgumentException("cannot copy " + other.rois + " ROIs into a holder of " + rois);
        }
        volume = other.volume;
        spikeVolume = other.spikeVolume;
        timeSeconds = other.timeSeconds;
        System.arraycopy(other.f, 0, f, 0, rois);
        System.arraycopy(other.fneu, 0, fneu, 0, rois);
        System.arraycopy(other.dff, 0, dff, 0, rois);
        System.arraycopy(other.spikes, 0, spikes, 0, rois);
    }
}
