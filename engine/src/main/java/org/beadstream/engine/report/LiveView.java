package org.beadstream.engine.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.summary.SummaryImages;
import org.beadstream.traces.live.LiveTraceStream;
import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What the rig sees while it records: {@code OUT/live/index.html}, a page that reloads itself every few seconds with
 * the acquisition's status (frames, MB/s, ring fill, skipped and dropped), the bootstrap's progress, then the cells
 * found (mean images of up to six planes with ROI contours), the last {@code window} seconds of dF/F of the eight
 * best-SNR cells, and a raster of up to 256 cells. Open it in a browser from the output folder.
 *
 * <p>Traces arrive through a {@link LiveTraceStream} subscription (its own thread: the pipeline's thread only
 * publishes, allocation-free) into fixed ring buffers; a renderer thread draws PNGs and the page every
 * {@code refreshSeconds}, each written to a temporary name and renamed, so a browser never reads half a file.
 * Thread-safe: {@link #sinkFor} may be called from the bootstrap thread while the renderer runs.
 */
public final class LiveView implements AutoCloseable {

    /** The folder inside the run's output folder. */
    public static final String FOLDER = "live";

    private static final int TRACES = 8;
    private static final int RASTER = 256;
    private static final int PLANES_SHOWN = 6;

    private final Path dir;
    private final String title;
    private final double refreshSeconds;
    private final double volumeRateHz;
    private final int window;
    private final Supplier<String> status;
    private final Object lock = new Object();
    private Thread renderer;
    private volatile boolean running;
    private volatile String bootstrapText = "collecting the bootstrap window (templates and cell detection follow)";
    private int[] shownRois = new int[0];
    private String[] shownLabels = new String[0];
    private float[][] ring = new float[0][];
    private long volumes;
    private BufferedImage planesImage;
    private boolean planesWritten;
    private LiveTraceStream stream;
    private LiveTraceStream.Subscription subscription;
    private long renders;

    /**
     * @param out            the run's output folder ({@code live/} is made inside)
     * @param title          page title (command and source)
     * @param refreshSeconds seconds between redraws (and the page's reload interval), at least 0.5
     * @param volumeRateHz   volumes per second
     * @param windowSeconds  seconds of traces shown
     * @param status         the acquisition's status line, asked at each redraw
     */
    public LiveView(final Path out, final String title, final double refreshSeconds, final double volumeRateHz,
            final double windowSeconds, final Supplier<String> status) {
        if (!(refreshSeconds >= 0.5)) {
            throw new IllegalArgumentException("live view refresh must be at least 0.5 s, was " + refreshSeconds);
        }
        if (!(volumeRateHz > 0) || !(windowSeconds > 0)) {
            throw new IllegalArgumentException("volume rate and window must be > 0, were " + volumeRateHz + " Hz and "
                    + windowSeconds + " s");
        }
        this.dir = out.resolve(FOLDER);
        this.title = title;
        this.refreshSeconds = refreshSeconds;
        this.volumeRateHz = volumeRateHz;
        this.window = Math.max(2, (int) Math.round(windowSeconds * volumeRateHz));
        this.status = status;
    }

    /** The page to open. */
    public Path page() {
        return dir.resolve("index.html");
    }

    /** Starts redrawing (a daemon thread); draws the first page now. */
    public void start() {
        try {
            Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the live view folder " + dir + ": " + e.getMessage(), e);
        }
        render();
        running = true;
        renderer = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep((long) (refreshSeconds * 1000));
                } catch (final InterruptedException e) {
                    return;
                }
                if (running) {
                    render();
                }
            }
        }, "beadstream-live-view");
        renderer.setDaemon(true);
        renderer.start();
    }

    /** What the bootstrap is doing, shown until the cells are known. */
    public void bootstrapStatus(final String text) {
        this.bootstrapText = text;
    }

    /**
     * The sink the pipeline feeds once the cells are known: a live stream whose subscriber keeps the traces shown.
     *
     * @param fp        the footprints (ROI order of the trace arrays)
     * @param summaries per-plane summary images (for the contour pictures), or {@code null}
     */
    public TraceSink sinkFor(final Footprints fp, final SummaryImages[] summaries) {
        final int[] order = bySnr(fp);
        final int shown = Math.min(RASTER, order.length);
        final int[] rois = Arrays.copyOf(order, shown);
        final String[] labels = new String[shown];
        for (int i = 0; i < shown; i++) {
            labels[i] = "ROI " + rois[i] + " (plane " + fp.plane(rois[i]) + ")";
        }
        final BufferedImage planes = summaries == null ? null : planesImage(fp, summaries);
        final float[][] buffers = new float[shown][window];
        for (final float[] b : buffers) {
            Arrays.fill(b, Float.NaN);
        }
        synchronized (lock) {
            shownRois = rois;
            shownLabels = labels;
            ring = buffers;
            volumes = 0;
            planesImage = planes;
            planesWritten = false;
        }
        bootstrapText = null;
        stream = new LiveTraceStream(fp.roiCount());
        subscription = stream.subscribe("live-view", 256, this::onTraces);
        return stream;
    }

    private void onTraces(final VolumeTraces t) {
        if (!t.hasTraces()) {
            return;
        }
        final float[] dff = t.dff();
        synchronized (lock) {
            final int slot = (int) (volumes % window);
            for (int i = 0; i < shownRois.length; i++) {
                ring[i][slot] = dff[shownRois[i]];
            }
            volumes++;
        }
    }

    /** Redraws once (the renderer does this every {@code refreshSeconds}); safe to call from any thread. */
    public synchronized void render() {
        final int[] rois;
        final String[] labels;
        final float[][] traces;
        final long seen;
        final BufferedImage planes;
        final boolean planesNew;
        synchronized (lock) {
            rois = shownRois;
            labels = shownLabels;
            seen = volumes;
            final int n = (int) Math.min(seen, window);
            traces = new float[rois.length][n];
            for (int i = 0; i < rois.length; i++) {
                for (int k = 0; k < n; k++) {
                    traces[i][k] = ring[i][(int) ((seen - n + k) % window)];
                }
            }
            planes = planesImage;
            planesNew = planes != null && !planesWritten;
            planesWritten |= planesNew;
        }
        renders++;
        try {
            if (planesNew) {
                writePng(planes, "planes.png");
            }
            final boolean haveTraces = traces.length > 0 && traces[0].length > 1;
            if (haveTraces) {
                writePng(tracesChart(traces, labels, seen), "traces.png");
                writePng(enlarge(Images.raster(traces, 900, 300), 900, Math.min(300, Math.max(60,
                        4 * traces.length))), "raster.png");
            }
            writePage(planes != null, haveTraces, rois.length, seen);
        } catch (final IOException e) {
            // The live view must never stop an acquisition: a full disk shows in the recorder's own error.
            bootstrapText = "live view could not be written: " + e.getMessage();
        }
    }

    /** Redraws how many times so far. */
    public long renders() {
        return renders;
    }

    private BufferedImage tracesChart(final float[][] traces, final String[] labels, final long seen) {
        final XYChart c = new XYChartBuilder().width(900).height(380)
                .title("dF/F of the " + Math.min(TRACES, traces.length) + " best-SNR cells, last "
                        + String.format(Locale.ROOT, "%.0f", traces[0].length / volumeRateHz) + " s")
                .xAxisTitle("time (s)").yAxisTitle("dF/F + offset").build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setMarkerSize(0);
        c.getStyler().setLegendVisible(true);
        final int n = traces[0].length;
        final double t0 = (seen - n) / volumeRateHz;
        double offset = 0;
        for (int i = 0; i < Math.min(TRACES, traces.length); i++) {
            final double[] x = new double[n];
            final double[] y = new double[n];
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < n; k++) {
                x[k] = t0 + k / volumeRateHz;
                final float v = traces[i][k];
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                y[k] = Float.isFinite(v) ? v + offset : offset;
            }
            c.addSeries(labels[i], x, y).setMarker(SeriesMarkers.NONE);
            offset += hi > lo ? Math.max(1.0, hi - lo) : 1.0;
        }
        return BitmapEncoder.getBufferedImage(c);
    }

    /** {@code img} drawn at {@code width x height} with nearest-neighbour (a raster stays crisp). */
    private static BufferedImage enlarge(final BufferedImage img, final int width, final int height) {
        final BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static int[] bySnr(final Footprints fp) {
        final Integer[] idx = new Integer[fp.roiCount()];
        final double[] key = new double[idx.length];
        for (int r = 0; r < idx.length; r++) {
            idx[r] = r;
            final double snr = fp.stats(r).snr();
            key[r] = (Double.isFinite(snr) ? snr : -1e9) + (fp.cellProbability(r) >= 0.5 ? 1e6 : 0);
        }
        Arrays.sort(idx, (a, b) -> Double.compare(key[b], key[a]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private static BufferedImage planesImage(final Footprints fp, final SummaryImages[] summaries) {
        final int planes = summaries.length;
        final int shown = Math.min(PLANES_SHOWN, planes);
        final int w = fp.planeWidth();
        final int h = fp.planeHeight();
        final double scale = Math.min(2.0, 280.0 / Math.max(w, h));
        final int tw = Math.max(1, (int) Math.round(w * scale));
        final int th = Math.max(1, (int) Math.round(h * scale));
        final int cols = Math.min(3, shown);
        final int rows = (shown + cols - 1) / cols;
        final BufferedImage out = new BufferedImage(cols * (tw + 4), rows * (th + 4), BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < shown; i++) {
                final int p = shown == 1 ? 0 : (int) Math.round(i * (planes - 1) / (double) (shown - 1));
                final int[] ids = fp.roisOnPlane(p);
                final int[][] pix = new int[ids.length][];
                for (int k = 0; k < ids.length; k++) {
                    pix[k] = fp.roiPixels(ids[k]);
                }
                final BufferedImage img = Images.grey(summaries[p].mean(), w, h, 1, 99.5, 1);
                Images.drawContours(img, w, h, pix, 1);
                final int x = (i % cols) * (tw + 4) + 2;
                final int y = (i / cols) * (th + 4) + 2;
                g.drawImage(img, x, y, tw, th, null);
                g.setColor(Color.YELLOW);
                g.drawString("plane " + p + ": " + ids.length + " ROIs", x + 4, y + 14);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private void writePng(final BufferedImage img, final String name) throws IOException {
        final Path tmp = dir.resolve(name + ".tmp");
        if (!ImageIO.write(img, "png", tmp.toFile())) {
            throw new IOException("no PNG writer for " + tmp);
        }
        move(tmp, dir.resolve(name));
    }

    private void writePage(final boolean planes, final boolean traces, final int cells, final long seen)
            throws IOException {
        final StringBuilder h = new StringBuilder(4096);
        final int reload = (int) Math.max(1, Math.round(refreshSeconds));
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(reload).append("\"><title>")
                .append(esc(title)).append(" (live)</title>\n<style>body{font-family:sans-serif;margin:1.5em}")
                .append("pre{background:#f4f4f4;padding:6px}img{border:1px solid #888;margin:4px}</style></head>")
                .append("<body>\n<h1>").append(esc(title)).append("</h1>\n<pre>").append(esc(status.get()))
                .append("</pre>\n");
        final String b = bootstrapText;
        if (b != null) {
            h.append("<p>").append(esc(b)).append("</p>\n");
        } else {
            h.append("<p>").append(cells).append(" cells shown; ").append(seen).append(" volumes of traces so far")
                    .append("</p>\n");
        }
        final long v = renders;
        if (planes) {
            h.append("<img src=\"planes.png?v=").append(v).append("\" alt=\"mean images with ROI contours\">\n");
        }
        if (traces) {
            h.append("<br><img src=\"traces.png?v=").append(v).append("\" alt=\"dF/F of the best cells\">\n")
                    .append("<br><img src=\"raster.png?v=").append(v)
                    .append("\" alt=\"raster: cells by rows, z-scored dF/F, black 0 to white 3 SD\">\n");
        }
        h.append("<p><small>redrawn every ").append(String.format(Locale.ROOT, "%.1f", refreshSeconds))
                .append(" s; the full report (report.html) is written when the run ends</small></p>\n</body></html>\n");
        final Path tmp = dir.resolve("index.html.tmp");
        Files.writeString(tmp, h.toString(), StandardCharsets.UTF_8);
        move(tmp, page());
    }

    private static void move(final Path from, final Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String esc(final String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Stops redrawing and draws the last page. */
    @Override
    public void close() {
        running = false;
        if (renderer != null) {
            renderer.interrupt();
            try {
                renderer.join(5000);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (subscription != null) {
            subscription.close();
        }
        render();
    }
}
