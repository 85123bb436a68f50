package org.beadstream.engine.pipeline;

import java.util.EnumMap;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Per-stage processing time of every streamed volume, one HdrHistogram per stage: assembly (pages to a volume),
 * registration (every plane), extraction (F and neuropil on the device), traces (dF/F, OASIS and the sinks, file
 * writes included). Tells which stage to speed up when the pipeline falls behind.
 *
 * <p>Recording allocates nothing. Single writer (the processing thread); read after the run, once the writer has
 * stopped (the ring's completion orders the two).
 */
public final class StageTimes {

    /** The timed stages, in pipeline order. */
    public enum Stage {
        /** De-interleaving, strip cutting, scan phase and placement of one volume's pages. */
        ASSEMBLY,
        /** Rigid and piecewise-rigid registration of every plane of the volume. */
        REGISTRATION,
        /** F and neuropil of every ROI. */
        EXTRACTION,
        /** Neuropil correction, baseline, dF/F, deconvolution and every sink. */
        TRACES
    }

    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final Map<Stage, Histogram> histograms = new EnumMap<>(Stage.class);

    /** Empty histograms (1 ns to 1 h, 3 significant digits). */
    public StageTimes() {
        for (final Stage s : Stage.values()) {
            histograms.put(s, new Histogram(HIGHEST_NANOS, 3));
        }
    }

    /** Records one volume's time in {@code stage}, ns (clamped to [0, 1 h]). */
    public void record(final Stage stage, final long nanos) {
        histograms.get(stage).recordValue(Math.max(0, Math.min(HIGHEST_NANOS, nanos)));
    }

    /** The histogram of {@code stage}, ns (live: read only after the run). */
    public Histogram histogram(final Stage stage) {
        return histograms.get(stage);
    }
}
