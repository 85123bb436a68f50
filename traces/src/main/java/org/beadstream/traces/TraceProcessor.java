package org.beadstream.traces;

import java.io.IOException;
import java.util.List;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.sink.IoErrors;
import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;

/**
 * The per-volume trace stage after extraction: F and Fneu in, then neuropil correction and dF/F0
 * ({@link DeltaFOverF}), online OASIS on dF/F ({@link OnlineOasis}), and every {@link TraceSink} fed with one reused
 * {@link VolumeTraces} holder.
 *
 * <pre>
 *   F, Fneu ──► DeltaFOverF ──► dF/F ──► OnlineOasis ──► spikes (volume t - lag)
 *                     └──────────────────────┴──────────► VolumeTraces ──► sinks (files, NWB at export, live)
 * </pre>
 *
 * <p>Nothing is allocated per volume. Not thread-safe: one pipeline thread calls {@link #onVolume} and
 * {@link #finish()}.
 */
public final class TraceProcessor implements AutoCloseable {

    private final int rois;
    private final DeltaFOverF dff;
    private final OnlineOasis oasis;
    private final double volumeRateHz;
    private final TraceSink[] sinks;
    private final VolumeTraces holder;
    private long next;
    private boolean finished;

    /**
     * @param dff neuropil correction and baseline; sets the ROI count
     * @param oasis spike inference for the same ROI count
     * @param volumeRateHz volumes per second (for time stamps)
     * @param sinks destinations, fed in this order
     */
    public TraceProcessor(final DeltaFOverF dff, final OnlineOasis oasis, final double volumeRateHz,
                          final List<? extends TraceSink> sinks) {
        if (dff.rois() != oasis.rois()) {
            throw new IllegalArgumentException("dF/F stage has " + dff.rois() + " ROIs but OASIS has "
                    + oasis.rois());
        }
        if (!(volumeRateHz > 0) || Double.isInfinite(volumeRateHz)) {
            throw new IllegalArgumentException("volume rate must be finite and > 0 Hz, was " + volumeRateHz);
        }
        this.rois = dff.rois();
        this.dff = dff;
        this.oasis = oasis;
        this.volumeRateHz = volumeRateHz;
        this.sinks = sinks.toArray(new TraceSink[0]);
        this.holder = new VolumeTraces(rois);
    }

    /** Number of ROIs. */
    public int rois() {
        return rois;
    }

    /** Volumes processed so far. */
    public long volumesProcessed() {
        return next;
    }

    /**
     * Processes one volume's extracted traces and feeds the sinks.
     *
     * @param f raw ROI fluorescence, one per ROI
     * @param fneu neuropil fluorescence, one per ROI
     * @throws IOException from a sink
     */
    public void onVolume(final float[] f, final float[] fneu) throws IOException {
        if (finished) {
            throw new IllegalStateException("trace processor already finished after " + next + " volumes");
        }
        System.arraycopy(f, 0, holder.f(), 0, rois);
        System.arraycopy(fneu, 0, holder.fneu(), 0, rois);
        dff.process(holder.f(), holder.fneu(), null, null, holder.dff());
        final int spikeVolume = oasis.push(holder.dff(), holder.spikes());
        final long v = next++;
        holder.set(v, v / volumeRateHz, spikeVolume);
        for (final TraceSink sink : sinks) {
            sink.onVolume(holder);
        }
    }

    /**
     * Records a volume that was skipped (live mode falling behind): the sinks get NaN F, Fneu and dF/F for it, the
     * baselines are not updated, and OASIS sees NaN, so spikes at the gap come out NaN ("unknown") while the pools
     * on either side stay valid. Keeps volume indices aligned with acquisition.
     *
     * @throws IOException from a sink
     */
    public void onMissingVolume() throws IOException {
        if (finished) {
            throw new IllegalStateException("trace processor already finished after " + next + " volumes");
        }
        java.util.Arrays.fill(holder.f(), Float.NaN);
        java.util.Arrays.fill(holder.fneu(), Float.NaN);
        java.util.Arrays.fill(holder.dff(), Float.NaN);
        final int spikeVolume = oasis.push(holder.dff(), holder.spikes());
        final long v = next++;
        holder.set(v, v / volumeRateHz, spikeVolume);
        for (final TraceSink sink : sinks) {
            sink.onVolume(holder);
        }
    }

    /** Flushes the lagged spikes of the last volumes to the sinks (does not close them). Idempotent. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        int k;
        while ((k = oasis.flush(holder.spikes())) >= 0) {
            holder.set(-1, 0, k);
            for (final TraceSink sink : sinks) {
                sink.onVolume(holder);
            }
        }
    }

    /** Finishes and closes every sink. */
    @Override
    public void close() throws IOException {
        final IoErrors errors = new IoErrors().run(this::finish);
        for (final TraceSink sink : sinks) {
            errors.run(sink::close);
        }
        errors.rethrow();
    }
}
