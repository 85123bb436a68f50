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
 * Fills a {@link RunReport} from what a {@link VolumePipeline} found and what the run measured, and writes
 * {@code report.html}. Stateless and thread-safe.
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
        final Footprints fp = vp.footprints();
        final SummaryImages[] si = vp.summaries();
        if (fp == null || si == null) {
            r.note("The run ended before the bootstrap window was complete: no cells were detected.");
        } else {
            for (int p = 0; p < vp.planes(); p++) {
                final int[] ids = fp.roisOnPlane(p);
                final int[][] rois = new int[ids.length][];
                for (int i = 0; i < ids.length; i++) {
                    rois[i] = fp.roiPixels(ids[i]);
                }
                r.plane(p, si[p].width(), si[p].height(), si[p].mean(), si[p].correlation(), rois);
            }
        }
        final float[][] dx = new float[vp.planes()][];
        final float[][] dy = new float[vp.planes()][];
        for (int p = 0; p < vp.planes(); p++) {
            dx[p] = vp.shiftX(p);
            dy[p] = vp.shiftY(p);
        }
        final double rate = summary.json().path("volume_rate_hz").asDouble(1);
        r.motion(dx, dy, rate);
        final InMemoryTraces t = vp.inMemoryTraces();
        if (t != null && t.rois() > 0) {
            final String[] labels = new String[t.rois()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = "ROI " + i + " (plane " + fp.plane(i) + ")";
            }
            r.traces(t.dff(), labels);
        }
        if (sampler != null) {
            r.performance(sampler.times(), sampler.volumesPerSecond(), sampler.latencyP99Millis());
        }
        return r.write(out.resolve("report.html"));
    }
}
