package org.beadstream.engine.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Collects what a run found and writes it as one self-contained HTML page with embedded PNG figures: a summary table,
 * per plane the mean and correlation images with ROI contours, motion traces, example dF/F traces, a raster of all
 * neurons, and throughput and latency over time. Sections with no data are left out and say so.
 *
 * <p>Not thread-safe: fill it from one thread after the run, then call {@link #write(Path)}.
 */
public final class RunReport {

    static {
        System.setProperty("java.awt.headless", "true");
        // Encode in memory: ImageIO's disk cache registers temporary files for deletion at exit, which throws once a
        // Ctrl-C shutdown has begun, and the report is written during exactly that shutdown.
        ImageIO.setUseCache(false);
    }

    /** One plane's images and ROIs. */
    private record PlaneView(int plane, int width, int height, float[] mean, float[] correlation, int[][] rois) {
    }

    private final String title;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final List<PlaneView> planes = new ArrayList<>();
    private float[][] shiftX;
    private float[][] shiftY;
    private double volumeRateHz = 1;
    private float[][] dff;
    private String[] dffLabels;
    private double[] timeS;
    private double[] volumesPerS;
    private double[] latencyMs;
    private final List<String> notes = new ArrayList<>();

    /** A report titled {@code title} (shown as the page heading). */
    public RunReport(final String title) {
        this.title = title;
    }

    /** Adds a line to the summary table (insertion order is kept). */
    public RunReport summary(final String key, final Object value) {
        summary.put(key, String.valueOf(value));
        return this;
    }

    /** Adds a free-text note shown under the summary (warnings, anomalies). */
    public RunReport note(final String text) {
        notes.add(text);
        return this;
    }

    /**
     * Adds one plane's mean and local-correlation images ({@code width x height}, row-major) and its ROIs (pixel
     * indices into the same plane). {@code correlation} may be {@code null}.
     */
    public RunReport plane(final int plane, final int width, final int height, final float[] mean,
            final float[] correlation, final int[][] rois) {
        planes.add(new PlaneView(plane, width, height, mean, correlation, rois == null ? new int[0][] : rois));
        return this;
    }

    /** Rigid motion per plane ({@code [plane][volume]}, pixels) at {@code volumeRateHz}. */
    public RunReport motion(final float[][] dx, final float[][] dy, final double volumeRateHz) {
        this.shiftX = dx;
        this.shiftY = dy;
        this.volumeRateHz = volumeRateHz > 0 ? volumeRateHz : 1;
        return this;
    }

    /** dF/F of every neuron ({@code [neuron][volume]}), with a label per neuron (e.g. "plane 3 roi 17"). */
    public RunReport traces(final float[][] dffTraces, final String[] labels) {
        this.dff = dffTraces;
        this.dffLabels = labels;
        return this;
    }

    /** Throughput (volumes/s) and latency (ms) sampled over the run at times {@code t} (s). */
    public RunReport performance(final double[] t, final double[] volumesPerSecond, final double[] latencyMillis) {
        this.timeS = t;
        this.volumesPerS = volumesPerSecond;
        this.latencyMs = latencyMillis;
        return this;
    }

    /** Writes the page to {@code file} (parent folders created) and returns it. */
    public Path write(final Path file) {
        final StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1400px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                        + "figure{display:inline-block;margin:6px;vertical-align:top}figcaption{font-size:90%}"
                        + "img{image-rendering:pixelated;border:1px solid #888}.note{color:#a40}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<table>\n");
        for (final Map.Entry<String, String> e : summary.entrySet()) {
            h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>").append(esc(e.getValue()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (final String n : notes) {
            h.append("<p class=\"note\">").append(esc(n)).append("</p>\n");
        }

        h.append("<h2>Planes: mean and correlation images with ROI contours</h2>\n");
        if (planes.isEmpty()) {
            h.append("<p>No plane images in this run.</p>\n");
        }
        for (final PlaneView p : planes) {
            final int scale = Math.max(1, Math.min(4, 384 / Math.max(p.width, p.height)));
            final BufferedImage mean = Images.grey(p.mean, p.width, p.height, 1, 99.5, scale);
            Images.drawContours(mean, p.width, p.height, p.rois, scale);
            h.append("<div><h3>Plane ").append(p.plane).append(" (").append(p.rois.length).append(" ROIs)</h3>\n");
            figure(h, mean, "plane " + p.plane + " mean image with ROI contours");
            if (p.correlation != null) {
                final BufferedImage corr = Images.grey(p.correlation, p.width, p.height, 1, 99.5, scale);
                Images.drawContours(corr, p.width, p.height, p.rois, scale);
                figure(h, corr, "plane " + p.plane + " local correlation image with ROI contours");
            }
            h.append("</div>\n");
        }

        h.append("<h2>Motion</h2>\n");
        if (shiftX == null || shiftX.length == 0) {
            h.append("<p>No motion correction in this run.</p>\n");
        } else {
            final XYChart c = new XYChartBuilder().width(900).height(320).title("Rigid shift per volume")
                    .xAxisTitle("time (s)").yAxisTitle("shift (px)").build();
            style(c);
            final int step = Math.max(1, shiftX.length / 4);
            for (int p = 0; p < shiftX.length; p += step) {
                addSeries(c, "plane " + p + " x", shiftX[p], volumeRateHz, 0);
                addSeries(c, "plane " + p + " y", shiftY[p], volumeRateHz, 0);
            }
            figure(h, BitmapEncoder.getBufferedImage(c), "rigid x/y shift of selected planes");
        }

        h.append("<h2>Traces</h2>\n");
        if (dff == null || dff.length == 0) {
            h.append("<p>No traces in this run.</p>\n");
        } else {
            final XYChart c = new XYChartBuilder().width(900).height(420).title("Example dF/F (offset for clarity)")
                    .xAxisTitle("time (s)").yAxisTitle("dF/F + offset").build();
            style(c);
            final int[] pick = mostActive(dff, 10);
            double offset = 0;
            for (final int i : pick) {
                addSeries(c, dffLabels != null && i < dffLabels.length ? dffLabels[i] : "neuron " + i, dff[i],
                        volumeRateHz, offset);
                offset += Math.max(1.0, range(dff[i]));
            }
            figure(h, BitmapEncoder.getBufferedImage(c), "dF/F of the 10 most active neurons");
            figure(h, Images.raster(dff, 1200, 800), "raster of all " + dff.length
                    + " neurons (rows; z-scored dF/F, black 0 to white 3 SD), time left to right");
        }

        h.append("<h2>Throughput and latency</h2>\n");
        if (timeS == null || timeS.length == 0) {
            h.append("<p>No performance samples in this run.</p>\n");
        } else {
            final XYChart c = new XYChartBuilder().width(900).height(300).title("Throughput").xAxisTitle("time (s)")
                    .yAxisTitle("volumes/s").build();
            style(c);
            c.addSeries("volumes/s", timeS, volumesPerS).setMarker(SeriesMarkers.NONE);
            figure(h, BitmapEncoder.getBufferedImage(c), "processing throughput over time");
            if (latencyMs != null) {
                final XYChart l = new XYChartBuilder().width(900).height(300).title("Latency (frame in to traces out)")
                        .xAxisTitle("time (s)").yAxisTitle("ms").build();
                style(l);
                l.addSeries("latency p99 per interval", timeS, latencyMs).setMarker(SeriesMarkers.NONE);
                figure(h, BitmapEncoder.getBufferedImage(l), "latency over time");
            }
        }
        h.append("</body></html>\n");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, h.toString(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the report " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    private static void style(final XYChart c) {
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setLegendVisible(true);
        c.getStyler().setMarkerSize(0);
    }

    private static void addSeries(final XYChart c, final String name, final float[] y, final double rate,
            final double offset) {
        final int n = y.length;
        final double[] xs = new double[n];
        final double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i / rate;
            ys[i] = Float.isFinite(y[i]) ? y[i] + offset : offset;
        }
        if (n == 0) {
            return;
        }
        final XYSeries s = c.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
    }

    private static int[] mostActive(final float[][] x, final int k) {
        final Integer[] idx = new Integer[x.length];
        final double[] v = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            idx[i] = i;
            v[i] = range(x[i]);
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[b], v[a]));
        final int m = Math.min(k, x.length);
        final int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    private static double range(final float[] x) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (final float v : x) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return hi > lo ? hi - lo : 0;
    }

    private static void figure(final StringBuilder h, final BufferedImage img, final String caption) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", bytes);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot encode a report figure: " + e.getMessage(), e);
        }
        h.append("<figure><img alt=\"").append(esc(caption)).append("\" width=\"").append(img.getWidth())
                .append("\" height=\"").append(img.getHeight()).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(bytes.toByteArray())).append("\"><figcaption>")
                .append(esc(caption)).append("</figcaption></figure>\n");
    }

    private static String esc(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
