package org.beadstream.engine.pipeline;

import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.assembly.ScanPhaseEstimator;
import org.beadstream.acquisition.assembly.VolumeAssembler;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.ring.FrameConsumer;

/**
 * The ring's processing consumer: turns raw pages into assembled volumes and feeds them to a {@link VolumePipeline}.
 * The first {@code phaseVolumes} volumes' pages are held back (copied into slots made at construction) until the
 * bidirectional scan phase of every strip has been estimated from them; they are then assembled in order, so no
 * volume is lost to the estimate. Processing latency (last page of a volume in, its traces out) is recorded in an
 * HdrHistogram.
 *
 * <p>All frame methods run on the ring's consumer thread. {@link #latencySnapshot()} and the counters may be read from
 * any thread.
 */
public final class PipelineConsumer implements FrameConsumer {

    private final VolumeAssembler assembler;
    private final VolumePipeline pipeline;

    private final AssembledVolume assembled;
    private final ScanPhaseEstimator phaseEstimator;
    private final FrameSlot[] held;
    private final boolean correctPhase;
    private final int planes;
    private int heldCount;
    private boolean phaseKnown;
    private long skipUntil = -1;
    private long assemblyNanos;
    private final Recorder latency = new Recorder(3_600_000_000_000L, 3);
    private final Histogram total = new Histogram(3_600_000_000_000L, 3);
    private final AtomicLong volumesDone = new AtomicLong();
    private final AtomicLong volumesDiscarded = new AtomicLong();
    private double[] phase = new double[0];

    /**
     * @param layout        where the ROI strips lie in the raw pages
     * @param calibration   channel-to-depth order and per-plane offsets
     * @param pipeline      the volume pipeline fed with complete volumes
     * @param correctPhase  estimate and correct the scan phase (else assemble as recorded)
     * @param phaseVolumes  volumes used for the estimate (at least 1)
     * @param geometry      raw page geometry (sizes the held slots)
     */
    public PipelineConsumer(final AssemblyLayout layout, final PlaneCalibration calibration,
            final VolumePipeline pipeline, final boolean correctPhase, final int phaseVolumes,
            final FrameGeometry geometry) {
        if (phaseVolumes < 1) {
            throw new IllegalArgumentException("scan-phase estimate needs at least 1 volume, was " + phaseVolumes);
        }
        this.assembler = new VolumeAssembler(layout, calibration);
        this.pipeline = pipeline;
        this.assembled = assembler.newVolume();
        this.correctPhase = correctPhase;
        this.planes = geometry.planes();
        this.phaseEstimator = correctPhase ? ScanPhaseEstimator.forLayout(layout) : null;
        this.held = new FrameSlot[correctPhase ? phaseVolumes * planes : 0];
        for (int i = 0; i < held.length; i++) {
            held[i] = FrameSlot.forGeometry(geometry);
        }
        this.phaseKnown = !correctPhase;
    }

    @Override
    public void onFrame(final FrameSlot slot, final long sequence, final boolean endOfBatch) {
        if (!phaseKnown) {
            held[heldCount++].copyFrom(slot);
            phaseEstimator.accumulate(slot);
            if (heldCount == held.length) {
                releaseHeld();
            }
            return;
        }
        assembleAndProcess(slot);
    }

    private void releaseHeld() {
        phase = phaseEstimator.estimate();
        assembler.setScanPhase(phase);
        pipeline.scanPhase(phase);
        phaseKnown = true;
        for (int i = 0; i < heldCount; i++) {
            assembleAndProcess(held[i]);
        }
        heldCount = 0;
    }

    private void assembleAndProcess(final FrameSlot slot) {
        if (slot.volume() <= skipUntil) {
            return;
        }
        final long ta = System.nanoTime();
        final boolean complete = assembler.assemble(slot, assembled);
        assemblyNanos += System.nanoTime() - ta;
        if (complete) {
            pipeline.stageTimes().record(StageTimes.Stage.ASSEMBLY, assemblyNanos);
            assemblyNanos = 0;
            // Volumes of the bootstrap window get their traces at the end of the bootstrap, reported separately.
            final boolean streaming = pipeline.streaming();
            final long t0 = System.nanoTime();
            pipeline.onVolume(assembled);
            if (streaming) {
                latency.recordValue(Math.max(0, System.nanoTime() - t0));
            }
            volumesDone.incrementAndGet();
        }
    }

    /**
     * Prepares a resumed run: assembles with {@code scanPhase} (the interrupted run's) instead of estimating it, and
     * ignores every frame of volumes before {@code nextVolume} (already processed). Before the first frame.
     */
    public void resumeAt(final double[] scanPhase, final long nextVolume) {
        if (heldCount > 0 || volumesDone.get() > 0) {
            throw new IllegalStateException("resumeAt must come before the first frame");
        }
        if (scanPhase.length > 0) {
            phase = scanPhase.clone();
            assembler.setScanPhase(phase);
        }
        phaseKnown = true;
        skipUntil = Math.max(skipUntil, nextVolume - 1);
    }

    @Override
    public void onVolumesSkipped(final long firstVolume, final long lastVolume) {
        skipUntil = Math.max(skipUntil, lastVolume);
        volumesDiscarded.addAndGet(lastVolume - firstVolume + 1);
    }

    @Override
    public void onEnd() {
        if (!phaseKnown && heldCount > 0) {
            releaseHeld();
        }
        pipeline.finish();
    }

    /** The volume pipeline this consumer feeds. */
    public VolumePipeline pipeline() {
        return pipeline;
    }

    /** The scan phase per strip used for assembly (px), empty before it is known. */
    public double[] scanPhase() {
        return phase.clone();
    }

    /** Volumes passed to the pipeline so far. */
    public long volumesProcessed() {
        return volumesDone.get();
    }

    /**
     * Processing latency of the volumes since the last call (ns, from the volume's last page to its traces), added
     * to the run's total; thread-safe.
     */
    public synchronized Histogram latencySnapshot() {
        final Histogram interval = latency.getIntervalHistogram();
        total.add(interval);
        return interval;
    }

    /** Latency of every volume so far (ns); thread-safe. */
    public synchronized Histogram latencyTotal() {
        total.add(latency.getIntervalHistogram());
        return total.copy();
    }
}
