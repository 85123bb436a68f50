package org.beadstream.engine.report;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import org.beadstream.engine.pipeline.InMemoryTraces;
import org.beadstream.engine.pipeline.PerformanceSampler;
import org.beadstream.engine.pipeline.VolumePipeline;
import org.beadstream.engine.run.RunSummary;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.summary.SummaryImages;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Fills a {@link RunReport} from what a run found (a {@link VolumePipeline}, or the parts of a distributed run) and
 * what it measured, and writes {@code report.html}. Stateless and thread-safe.
 */
public final class PipelineReport {

    private PipelineReport() {
    }

    /**
     * Writes {@code out/report.html} for a finished pipeline.
     *
     * @param sampler may be {@code null} (no performance-over-time figure)
     */
    public static Path write(final Path out, final String title, final VolumePipeline vp, final RunSummary summary,
            final PerformanceSampler sampler) {
        return write(out, title, vp.footprints(), vp.summaries(), vp.shiftsX(), vp.shiftsY(), vp.inMemoryTraces(),
                summary, sampler);
    }

    /**
     * Writes {@code out/report.html} from a run's parts, however they were computed (one pipeline, or the passes of a
     * distributed run).
     *
     * @param fp        the footprints, or {@code null} when the run ended before the bootstrap
     * @param summaries per-plane summary images, or {@code null}
     * @param dx        per plane, the rigid x shift of every volume, px
     * @param dy        per plane, the rigid y shift of every volume, px
     * @param traces    the traces kept in memory, or {@code null}
     * @param sampler   may be {@code null} (no performance-over-time figure)
     */
    public static Path write(final Path out, final String title, final Footprints fp, final SummaryImages[] summaries,
            final float[][] dx, final float[][] dy, final InMemoryTraces traces, final RunSummary summary,
            final PerformanceSampler sampler) {
        final RunReport r = new RunReport(title);
        final Iterator<Map.Entry<String, JsonNode>> it = summary.json().fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode()) {
                r.summary(e.getKey(), e.getValue().asText());
            }
        }
        summary.json().path("stage_ms").fields().forEachRemaining(e -> r.summary("stage " + e.getKey()
                + " p50 / p99 ms", String.format(java.util.Locale.ROOT, "%.3f / %.3f",
                e.getValue().path("p50").asDouble(), e.getValue().path("p99").asDouble())));
        if (fp == null || summaries == null) {
            r.note("The run ended before the bootstrap window was complete: no cells were detected.");
        } else {
            for (int p = 0; p < summaries.length; p++) {
                final int[] ids = fp.roisOnPlane(p);
                final int[][] rois = new int[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    rois[i] = fp.roiPixels(ids[i]);
                }
                r.plane(p, summaries[p].width(), summaries[p].height(), summaries[p].mean(),
                        summaries[p].correlation(), rois);
            }
        }
        r.motion(dx, dy, summary.json().path("volume_rate_hz").asDouble(1));
        if (traces != null && traces.rois() > 0 && fp != null) {
            final String[] labels = new String[traces.rois()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = "ROI " + i + " (plane " + fp.plane(i) + ")";
            }
            r.traces(traces.dff(), labels);
        }
        if (sampler != null) {
            r.performance(sampler.times(), sampler.volumesPerSecond(), sampler.latencyP99Millis());
        }
        return r.write(out.resolve("report.html"));
    }
}
