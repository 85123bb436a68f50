package org.beadstream.acquisition.scanimage;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.beadstream.acquisition.tiff.TiffPage;
import org.beadstream.acquisition.tiff.TiffReader;
import org.beadstream.acquisition.tiff.TiffStack;

/**
 * What a recording holds, as {@code beadstream inspect} reports it: files, format and ScanImage version, page
 * geometry, planes, ROIs and strips (with fly-to lines), nominal and measured rates, frames, duration, gaps in
 * {@code frameNumbers} and anything odd (anomalies). Works on ScanImage recordings and on plain TIFF stacks.
 *
 * <p>Immutable once made; thread-safe.
 */
public final class RecordingInspection {

    /** A run of {@code missing} ScanImage frames lost after frame {@code afterFrame}. Immutable. */
    public record Gap(long afterFrame, long missing) {
    }

    private final ObjectNode json;
    private final String text;

    private RecordingInspection(final ObjectNode json, final String text) {
        this.json = json;
        this.text = text;
    }

    /** The report as JSON (field names in docs/scanimage.md). */
    public ObjectNode json() {
        return json.deepCopy();
    }

    /** The report as human-readable lines. */
    public String text() {
        return text;
    }

    /**
     * Inspects the recording {@code file} belongs to (its numbered siblings too).
     *
     * @throws org.beadstream.acquisition.tiff.TiffFormatException   if a file is not a readable TIFF
     * @throws ScanImageFormatException if its ScanImage metadata is garbled
     */
    public static RecordingInspection inspect(final Path file) {
        if (file.getFileName() != null && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            return inspectHeader(file);
        }
        final List<Path> files = TiffStack.recordingFiles(file);
        try (TiffStack stack = TiffStack.open(files)) {
            final TiffReader first = stack.reader(0);
            final boolean si = ScanImageMetadata.isScanImage(first);
            final ObjectMapper om = new ObjectMapper();
            final ObjectNode j = om.createObjectNode();
            final List<String> anomalies = new ArrayList<>();
            final StringBuilder t = new StringBuilder();
            long bytes = 0;
            final ArrayNode fl = j.putArray("files");
            for (final Path p : stack.files()) {
                fl.add(p.toString());
                bytes += sizeOf(p);
            }
            final TiffPage page0 = first.page(0);
            final String flavour = (first.isBigTiff() ? "BigTIFF" : "TIFF") + ", "
                    + (first.byteOrder().toString().startsWith("LITTLE") ? "little-endian" : "big-endian");
            j.put("bytes", bytes);
            j.put("container", flavour);
            j.put("pixelType", page0.pixelType().name().toLowerCase(Locale.ROOT));
            j.put("pageWidth", stack.width());
            j.put("pageHeight", stack.height());
            j.put("pages", stack.pageCount());
            t.append(file.getFileName()).append(" (").append(files.size())
                    .append(files.size() == 1 ? " file, " : " files, ")
                    .append(String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0)).append(")\n");
            if (!si) {
                j.put("format", "TIFF");
                row(t, "format", "plain TIFF stack (no ScanImage metadata), " + flavour + ", "
                        + j.get("pixelType").asText());
                row(t, "page", stack.width() + " x " + stack.height() + " px, " + stack.pageCount() + " pages");
                row(t, "planes", "not in the file: one plane per page unless the reader is told otherwise");
                finish(j, t, anomalies);
                return new RecordingInspection(j, t.toString());
            }
            final ScanImageMetadata m = ScanImageMetadata.read(first);
            final int planes = Math.max(1, m.planes());
            final long volumes = stack.pageCount() / planes;
            final double frameRate = m.frameRateHz();
            final double volumeRate = m.volumeRateHz();
            j.put("format", "ScanImage");
            j.put("scanImageVersion", m.version());
            j.put("generation", m.generation().name());
            final ArrayNode ch = j.putArray("channelsSaved");
            for (final int c : m.channelsSaved()) {
                ch.add(c);
            }
            j.put("planes", planes);
            j.put("volumes", volumes);
            j.put("frameRateHz", frameRate);
            j.put("volumeRateHz", volumeRate);
            j.put("bidirectional", m.bidirectional());
            j.put("multiRoi", m.multiRoi());
            row(t, "format", "ScanImage " + m.version() + " (" + flavour + "), " + j.get("pixelType").asText());
            row(t, "page", stack.width() + " x " + stack.height() + " px, " + stack.pageCount() + " pages");
            row(t, "planes", planes + " (channels " + join(m.channelsSaved()) + "), " + volumes
                    + (volumes == 1 ? " volume" : " volumes"));
            row(t, "rates", String.format(Locale.ROOT, "frame %.4f Hz, volume %.4f Hz, %s", frameRate, volumeRate,
                    m.bidirectional() ? "bidirectional" : "unidirectional"));
            if (stack.pageCount() % planes != 0) {
                anomalies.add(stack.pageCount() + " pages are not a whole number of volumes of " + planes
                        + " planes (" + stack.pageCount() % planes + " trailing pages)");
            }
            final ArrayNode rois = j.putArray("rois");
            for (final ScanField f : m.scanFields()) {
                final ObjectNode r = rois.addObject();
                r.put("name", f.name());
                r.put("pixelsX", f.pixelsX());
                r.put("pixelsY", f.pixelsY());
                r.put("centerX", f.centerX());
                r.put("centerY", f.centerY());
                r.put("sizeX", f.sizeX());
                r.put("sizeY", f.sizeY());
            }
            if (m.scanFields().isEmpty()) {
                row(t, "ROIs", "none described (no ROI JSON)");
            } else {
                final ScanField f0 = m.scanFields().get(0);
                row(t, "ROIs", m.scanFields().size() + " x " + (allSame(m.scanFields()) ? f0.pixelsX() + " x "
                        + f0.pixelsY() + " px" : "various sizes"));
            }
            try {
                final List<RoiStrip> strips = m.strips(stack.width(), stack.height());
                final int fly = m.flyToLines(stack.height());
                final ArrayNode sj = j.putArray("strips");
                int planeWidth = 0;
                int planeHeight = 0;
                for (final RoiStrip s : strips) {
                    final ObjectNode o = sj.addObject();
                    o.put("firstRow", s.firstRow());
                    o.put("height", s.height());
                    o.put("width", s.width());
                    o.put("column", s.column());
                    planeWidth += s.width();
                    planeHeight = Math.max(planeHeight, s.height());
                }
                j.put("flyToLines", fly);
                j.put("assembledWidth", planeWidth);
                j.put("assembledHeight", planeHeight);
                row(t, "strips", strips.size() + (strips.size() == 1 ? " strip" : " strips") + ", " + fly
                        + " fly-to lines between; assembled plane " + planeWidth + " x " + planeHeight
                        + " (before trimming)");
                final int timing = m.flyToLinesFromTiming();
                if (strips.size() > 1 && timing >= 0 && Math.abs(timing - fly) > 1) {
                    anomalies.add("fly-to lines from the page (" + fly + ") differ from the timing ("
                            + timing + " = flytoTimePerScanfield / linePeriod)");
                }
            } catch (ScanImageFormatException e) {
                anomalies.add("ROI strips do not fit the pages: " + e.getMessage());
            }
            frames(stack, m, planes, j, t, anomalies);
            finish(j, t, anomalies);
            return new RecordingInspection(j, t.toString());
        }
    }

    /** Reports a ScanImage header saved as JSON (no pages): version, rates, ROIs, fly-to lines from the timing. */
    private static RecordingInspection inspectHeader(final Path file) {
        final ScanImageMetadata m = ScanImageMetadata.fromHeaderJson(file);
        final ObjectNode j = new ObjectMapper().createObjectNode();
        final StringBuilder t = new StringBuilder();
        final List<String> anomalies = new ArrayList<>();
        j.putArray("files").add(file.toString());
        j.put("format", "ScanImage header (JSON)");
        j.put("scanImageVersion", m.version());
        j.put("frameRateHz", m.frameRateHz());
        j.put("volumeRateHz", m.volumeRateHz());
        j.put("bidirectional", m.bidirectional());
        j.put("multiRoi", m.multiRoi());
        final ArrayNode ch = j.putArray("channelsSaved");
        for (final int c : m.channelsSaved()) {
            ch.add(c);
        }
        j.put("planes", m.planes());
        t.append(file.getFileName()).append(" (ScanImage header as JSON, no pages)\n");
        row(t, "format", "ScanImage " + m.version() + " header");
        row(t, "planes", m.planes() + " (channels " + join(m.channelsSaved()) + ")");
        row(t, "rates", String.format(Locale.ROOT, "frame %.4f Hz, volume %.4f Hz, %s", m.frameRateHz(),
                m.volumeRateHz(), m.bidirectional() ? "bidirectional" : "unidirectional"));
        final ArrayNode rois = j.putArray("rois");
        int width = 0;
        int height = 0;
        int lines = 0;
        for (final ScanField f : m.scanFields()) {
            rois.addObject().put("name", f.name()).put("pixelsX", f.pixelsX()).put("pixelsY", f.pixelsY())
                    .put("centerX", f.centerX()).put("centerY", f.centerY()).put("sizeX", f.sizeX())
                    .put("sizeY", f.sizeY());
            width += f.pixelsX();
            height = Math.max(height, f.pixelsY());
            lines += f.pixelsY();
        }
        final int fly = m.scanFields().size() > 1 ? m.flyToLinesFromTiming() : 0;
        if (!m.scanFields().isEmpty()) {
            j.put("flyToLines", fly);
            j.put("pageHeight", lines + Math.max(0, fly) * (m.scanFields().size() - 1));
            j.put("assembledWidth", width);
            j.put("assembledHeight", height);
            row(t, "ROIs", m.scanFields().size() + " x " + (allSame(m.scanFields()) ? m.scanFields().get(0).pixelsX()
                    + " x " + m.scanFields().get(0).pixelsY() + " px" : "various sizes") + ", " + fly
                    + " fly-to lines between (from the timing); raw page height "
                    + j.get("pageHeight").asInt() + ", assembled plane " + width + " x " + height);
        } else {
            row(t, "ROIs", "none described");
        }
        finish(j, t, anomalies);
        return new RecordingInspection(j, t.toString());
    }

    private static void frames(final TiffStack stack, final ScanImageMetadata m, final int planes, final ObjectNode j,
            final StringBuilder t, final List<String> anomalies) {
        final ByteBuffer buf = ByteBuffer.allocate(ScanImageSource.DESCRIPTION_BYTES);
        final FrameDescription d = new FrameDescription();
        final int step = Math.max(1, m.averageFactor());
        final List<Gap> gaps = new ArrayList<>();
        long firstFrame = -1;
        long lastFrame = -1;
        double firstT = Double.NaN;
        double lastT = Double.NaN;
        long described = 0;
        long backwards = 0;
        long lost = 0;
        for (long p = 0; p < stack.pageCount(); p += planes) {
            final int len = stack.readText(p, TiffReader.DESCRIPTION, buf);
            d.parse(buf, len);
            final long fn = d.frameNumber();
            if (fn == FrameDescription.ABSENT) {
                continue;
            }
            described++;
            if (firstFrame < 0) {
                firstFrame = fn;
                firstT = d.frameTimestampSeconds();
            } else if (fn <= lastFrame) {
                backwards++;
            } else if (fn > lastFrame + step) {
                final long missing = (fn - lastFrame) / step - 1;
                gaps.add(new Gap(lastFrame, missing));
                lost += missing;
            }
            lastFrame = fn;
            lastT = d.frameTimestampSeconds();
        }
        final long volumes = stack.pageCount() / planes;
        final ArrayNode gj = j.putArray("gaps");
        for (final Gap g : gaps) {
            gj.addObject().put("afterFrame", g.afterFrame()).put("missing", g.missing());
        }
        j.put("framesLost", lost);
        if (described == 0) {
            final double rate = m.volumeRateHz();
            final double duration = rate > 0 ? volumes / rate : Double.NaN;
            j.put("durationSeconds", duration);
            row(t, "frames", volumes + " volumes, no per-frame descriptions (ScanImage 3 or stripped)"
                    + (rate > 0 ? String.format(Locale.ROOT, ", %.3f s at the nominal rate", duration) : ""));
            return;
        }
        j.put("firstFrameNumber", firstFrame);
        j.put("lastFrameNumber", lastFrame);
        final double rate = m.volumeRateHz();
        final double span = lastT - firstT;
        final double duration = Double.isFinite(span) && rate > 0 ? span + 1 / rate : volumes / rate;
        j.put("durationSeconds", duration);
        final StringBuilder f = new StringBuilder();
        f.append("frameNumbers ").append(firstFrame).append("..").append(lastFrame)
                .append(String.format(Locale.ROOT, ", duration %.3f s", duration));
        if (described > 2 && span > 0) {
            final double measured = (double) ((lastFrame - firstFrame) / step) / span;
            j.put("measuredVolumeRateHz", measured);
            f.append(String.format(Locale.ROOT, ", measured %.4f Hz", measured));
            if (rate > 0 && Math.abs(measured - rate) > 0.01 * rate) {
                anomalies.add(String.format(Locale.ROOT, "measured volume rate %.4f Hz differs from the nominal %.4f"
                        + " Hz by more than 1 %%", measured, rate));
            }
        }
        row(t, "frames", f.toString());
        if (gaps.isEmpty()) {
            row(t, "gaps", "none");
        } else {
            final StringBuilder g = new StringBuilder();
            g.append(lost).append(" frames lost in ").append(gaps.size()).append(gaps.size() == 1 ? " gap" : " gaps")
                    .append(':');
            for (int i = 0; i < Math.min(gaps.size(), 10); i++) {
                g.append(" after ").append(gaps.get(i).afterFrame()).append(" (").append(gaps.get(i).missing())
                        .append(')');
            }
            if (gaps.size() > 10) {
                g.append(" ...");
            }
            row(t, "gaps", g.toString());
            anomalies.add(lost + " frames missing from frameNumbers (dropped at acquisition)");
        }
        if (backwards > 0) {
            anomalies.add(backwards + " volumes whose frameNumbers do not increase (files out of order?)");
        }
        if (described < volumes) {
            anomalies.add((volumes - described) + " volumes without a frame description");
        }
    }

    private static void finish(final ObjectNode j, final StringBuilder t, final List<String> anomalies) {
        final ArrayNode a = j.putArray("anomalies");
        anomalies.forEach(a::add);
        row(t, "anomalies", anomalies.isEmpty() ? "none" : String.join("; ", anomalies));
    }

    private static boolean allSame(final List<ScanField> f) {
        return f.stream().allMatch(s -> s.pixelsX() == f.get(0).pixelsX() && s.pixelsY() == f.get(0).pixelsY());
    }

    private static String join(final int[] v) {
        final StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                b.append(' ');
            }
            b.append(v[i]);
        }
        return b.toString();
    }

    private static void row(final StringBuilder t, final String key, final String value) {
        t.append(String.format(Locale.ROOT, "  %-10s %s%n", key, value));
    }

    private static long sizeOf(final Path p) {
        try {
            return Files.size(p);
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
