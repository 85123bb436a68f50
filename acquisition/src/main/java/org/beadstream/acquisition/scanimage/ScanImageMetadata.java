package org.beadstream.acquisition.scanimage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.beadstream.acquisition.tiff.TiffReader;

/**
 * The static metadata of a ScanImage recording and what we derive from it.
 *
 * <h2>Where ScanImage puts it</h2>
 * <ul>
 *   <li>ScanImage 2016 and later (TIFF_FORMAT_VERSION 3-4): {@code SI.* = value} lines in every page's Software tag
 *       and the ROI-group JSON in the Artist tag; both also sit in a binary block after the BigTIFF header.</li>
 *   <li>ScanImage 5 / 2015: {@code scanimage.SI.*} or {@code SI.*} lines in ImageDescription beside the frame fields,
 *       the ROI JSON after them (or a header saved as JSON, see {@link #fromHeaderJson(Path)}).</li>
 *   <li>ScanImage 3.x: {@code state.*=value} in ImageDescription, separated by carriage returns.</li>
 * </ul>
 * Values keep MATLAB syntax ({@code 'text'}, {@code [1 2 3]}, {@code true}, {@code Inf}); typed getters parse them.
 *
 * <h2>Derived</h2>
 * Version, channels saved (= light-beads planes), frame and volume rates, bidirectional scanning, the ROI scanfields,
 * and, given a page height, the strips and the fly-to lines between them:
 * {@code flyTo = (pageHeight - sum(strip heights)) / (strips - 1)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ScanImageMetadata {

    /** ScanImage generations, which store their header differently. */
    public enum Generation {
        /** ScanImage 3.x: {@code state.*} in ImageDescription. */
        SCANIMAGE_3,
        /** ScanImage 5 / 2015: SI header in ImageDescription (or a JSON export). */
        SCANIMAGE_2015,
        /** ScanImage 2016 and later: SI header in Software, ROI JSON in Artist. */
        SCANIMAGE_2016_PLUS
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final Generation generation;
    private final Map<String, String> values;
    private final String roiJson;
    private final List<ScanField> scanFields;

    private ScanImageMetadata(final String source, final Generation generation, final Map<String, String> values,
            final String roiJson) {
        this.source = source;
        this.generation = generation;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.roiJson = roiJson == null ? "" : roiJson;
        this.scanFields = parseScanFields(source, this.roiJson);
    }

    // ---------------------------------------------------------------------------------------------- factories

    /**
     * Reads the metadata of the file {@code reader} reads, from its first page's tags.
     *
     * @throws ScanImageFormatException if the file has no ScanImage header, or a garbled one
     */
    public static ScanImageMetadata read(final TiffReader reader) {
        return parse(reader.file().toString(), reader.text(0, TiffReader.SOFTWARE),
                reader.text(0, TiffReader.DESCRIPTION), reader.text(0, TiffReader.ARTIST));
    }

    /**
     * Reads a header from whatever holds one, e.g. to use as {@link ScanImageWriter} template: a ScanImage TIFF (its
     * first page), a header exported as JSON ({@code .json}, see {@link #fromHeaderJson(Path)}), or a text file of
     * {@code SI.* = value} lines (a saved Software tag; ROI JSON may follow the lines).
     *
     * @throws ScanImageFormatException if the file holds no ScanImage header or a garbled one
     * @throws org.beadstream.acquisition.tiff.TiffFormatException if a TIFF cannot be read
     */
    public static ScanImageMetadata readHeader(final Path file) {
        final String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return fromHeaderJson(file);
        }
        if (name.endsWith(".tif") || name.endsWith(".tiff")) {
            try (TiffReader r = TiffReader.open(file)) {
                return read(r);
            }
        }
        try {
            return parse(file.toString(), Files.readString(file), "", "");
        } catch (IOException e) {
            throw new ScanImageFormatException(file.toString(), "cannot read header text: " + e.getMessage(), e);
        }
    }

    /** Whether the first page of {@code reader}'s file carries a ScanImage header. */
    public static boolean isScanImage(final TiffReader reader) {
        final String sw = reader.text(0, TiffReader.SOFTWARE);
        final String d = reader.text(0, TiffReader.DESCRIPTION);
        return sw.contains("SI.") && sw.contains("=") || d.contains("state.") && d.contains("=")
                || d.contains("SI.") && d.contains(" = ");
    }

    /**
     * Parses a header from the texts of a first page's Software, ImageDescription and Artist tags (any may be empty).
     *
     * @param source a name for messages (the file path)
     * @throws ScanImageFormatException if no ScanImage keys are found or the ROI JSON is garbled
     */
    public static ScanImageMetadata parse(final String source, final String software, final String description,
            final String artist) {
        final Map<String, String> v = new LinkedHashMap<>();
        String json = artist == null ? "" : artist.trim();
        final String sw = software == null ? "" : software;
        final String desc = description == null ? "" : description;
        String rest = parseLines(sw, v);
        if (json.isEmpty() && !rest.isEmpty()) {
            json = rest;
        }
        rest = parseLines(desc, v);
        if (json.isEmpty() && !rest.isEmpty()) {
            json = rest;
        }
        if (v.isEmpty()) {
            throw new ScanImageFormatException(source, "no ScanImage metadata: neither the Software nor the "
                    + "ImageDescription tag holds SI.* or state.* keys (open it as a plain TIFF stack instead)");
        }
        final Generation g;
        if (v.keySet().stream().anyMatch(k -> k.startsWith("state."))
                && v.keySet().stream().noneMatch(k -> k.startsWith("SI."))) {
            g = Generation.SCANIMAGE_3;
        } else if (!sw.isBlank() && sw.contains("SI.")) {
            g = Generation.SCANIMAGE_2016_PLUS;
        } else {
            g = Generation.SCANIMAGE_2015;
        }
        return new ScanImageMetadata(source, g, v, json);
    }

    /**
     * Builds metadata from explicit SI.* values and ROI JSON (keys with or without the {@code SI.} prefix), e.g. to
     * make a header for {@link ScanImageWriter}.
     */
    public static ScanImageMetadata of(final String source, final Map<String, String> siValues, final String roiJson) {
        final Map<String, String> v = new LinkedHashMap<>();
        siValues.forEach((k, val) -> v.put(k.startsWith("SI.") ? k : "SI." + k, val));
        return new ScanImageMetadata(source, Generation.SCANIMAGE_2016_PLUS, v, roiJson);
    }

    /**
     * Reads a ScanImage header saved as JSON (as the mesoscope tools export it: {@code {"VERSION_MAJOR": "2015",
     * "hRoiManager": {...}, "imagingRoiGroup": {...}}}): nested objects become {@code SI.a.b} keys and the
     * {@code imagingRoiGroup} becomes the ROI JSON.
     *
     * @throws ScanImageFormatException if the file is not such JSON
     */
    public static ScanImageMetadata fromHeaderJson(final Path file) {
        final JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ScanImageFormatException(file.toString(), "garbled header JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ScanImageFormatException(file.toString(), "cannot read header JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ScanImageFormatException(file.toString(), "header JSON is not an object");
        }
        final Map<String, String> v = new LinkedHashMap<>();
        String roi = "";
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
            final Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("imagingRoiGroup")) {
                final ObjectNode groups = JSON.createObjectNode();
                groups.putObject("RoiGroups").set("imagingRoiGroup", e.getValue());
                roi = groups.toString();
            } else if (!e.getKey().equals("photostimRoiGroups") && !e.getKey().equals("integrationRoiGroup")) {
                flatten("SI." + e.getKey(), e.getValue(), v);
            }
        }
        if (v.isEmpty()) {
            throw new ScanImageFormatException(file.toString(), "header JSON holds no ScanImage keys");
        }
        return new ScanImageMetadata(file.toString(), Generation.SCANIMAGE_2015, v, roi);
    }

    private static void flatten(final String key, final JsonNode n, final Map<String, String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                final Map.Entry<String, JsonNode> e = it.next();
                flatten(key + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(key, matlab(n));
        }
    }

    private static String matlab(final JsonNode n) {
        if (n == null || n.isNull()) {
            return "[]";
        }
        if (n.isArray()) {
            final StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    b.append(n.get(i).isArray() ? ";" : " ");
                }
                final String s = matlab(n.get(i));
                b.append(n.get(i).isArray() ? s.substring(1, s.length() - 1) : s);
            }
            return b.append(']').toString();
        }
        if (n.isTextual()) {
            final String t = n.asText();
            return switch (t) {
                case "_Inf_" -> "Inf";
                case "_NaN_" -> "NaN";
                case "-_Inf_" -> "-Inf";
                default -> "'" + t + "'";
            };
        }
        if (n.isBoolean()) {
            return n.asBoolean() ? "true" : "false";
        }
        return n.asText();
    }

    /** Parses key = value lines into {@code out}; returns any JSON text that follows the lines (or ""). */
    private static String parseLines(final String text, final Map<String, String> out) {
        if (text.isEmpty()) {
            return "";
        }
        final String[] lines = text.split("\r\n|\r|\n");
        for (int i = 0; i < lines.length; i++) {
            final String line = lines[i].trim();
            if (line.startsWith("{")) {
                final StringBuilder b = new StringBuilder();
                for (int j = i; j < lines.length; j++) {
                    b.append(lines[j]).append('\n');
                }
                return b.toString().trim();
            }
            final int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            if (key.startsWith("scanimage.SI.")) {
                key = key.substring("scanimage.".length());
            } else if (key.startsWith("scanimage.SI4.") || key.startsWith("scanimage.SI5.")) {
                key = "SI." + key.substring("scanimage.SI4.".length());
            }
            if (key.startsWith("SI.") || key.startsWith("state.")) {
                out.put(key, line.substring(eq + 1).trim());
            }
        }
        return "";
    }

    private static List<ScanField> parseScanFields(final String source, final String json) {
        if (json.isBlank()) {
            return List.of();
        }
        final JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ScanImageFormatException(source, "garbled ROI JSON (Artist tag): " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ScanImageFormatException(source, "ROI JSON (Artist tag) is not a JSON object");
        }
        JsonNode group = root.path("RoiGroups").path("imagingRoiGroup");
        if (group.isMissingNode()) {
            group = root.path("imagingRoiGroup");
        }
        if (group.isMissingNode()) {
            return List.of();
        }
        final JsonNode rois = group.path("rois");
        final List<ScanField> out = new ArrayList<>();
        if (rois.isArray()) {
            for (final JsonNode r : rois) {
                addRoi(source, r, out);
            }
        } else if (rois.isObject() && rois.has("scanfields")) {
            addRoi(source, rois, out);
        }
        return List.copyOf(out);
    }

    private static void addRoi(final String source, final JsonNode roi, final List<ScanField> out) {
        if (roi.has("enable") && roi.get("enable").asDouble(1) == 0) {
            return;
        }
        JsonNode sf = roi.path("scanfields");
        if (sf.isArray()) {
            if (sf.isEmpty()) {
                return;
            }
            sf = sf.get(0);
        }
        if (!sf.isObject()) {
            throw new ScanImageFormatException(source, "ROI '" + roi.path("name").asText() + "' has no scanfield");
        }
        final JsonNode res = sf.path("pixelResolutionXY");
        final JsonNode c = sf.path("centerXY");
        final JsonNode s = sf.path("sizeXY");
        if (!res.isArray() || res.size() != 2 || !res.get(0).isNumber() || !res.get(1).isNumber()) {
            throw new ScanImageFormatException(source, "ROI '" + roi.path("name").asText()
                    + "': scanfield pixelResolutionXY must be [x, y], was " + res);
        }
        final int px = res.get(0).asInt();
        final int py = res.get(1).asInt();
        if (px < 1 || py < 1 || px > 65536 || py > 65536) {
            throw new ScanImageFormatException(source, "ROI '" + roi.path("name").asText()
                    + "': scanfield pixelResolutionXY " + res + " is out of range 1..65536");
        }
        out.add(new ScanField(roi.path("name").asText(""), num(c, 0), num(c, 1), num(s, 0), num(s, 1), px, py));
    }

    private static double num(final JsonNode arr, final int i) {
        return arr.isArray() && arr.size() > i && arr.get(i).isNumber() ? arr.get(i).asDouble() : Double.NaN;
    }

    // ---------------------------------------------------------------------------------------------- raw access

    /** The name used in messages (the file path). */
    public String source() {
        return source;
    }

    /** Which ScanImage generation wrote the header. */
    public Generation generation() {
        return generation;
    }

    /** Every key (SI.* or state.*) and its value text, in file order. */
    public Map<String, String> values() {
        return values;
    }

    /** The ROI-group JSON text, or "" when the file has none. */
    public String roiJson() {
        return roiJson;
    }

    /** The raw value text of {@code key}, if present. */
    public Optional<String> value(final String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key} as a string, with MATLAB quotes removed. */
    public Optional<String> string(final String key) {
        return value(key).map(ScanImageMetadata::unquote);
    }

    /**
     * The value of {@code key} as a number ({@code true}/{@code false} as 1/0, {@code Inf}, {@code NaN}).
     *
     * @throws ScanImageFormatException if present but not a number
     */
    public Optional<Double> number(final String key) {
        final Optional<String> v = value(key);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        final double[] d = numbers(key);
        if (d.length != 1) {
            throw new ScanImageFormatException(source, key + " = " + v.get() + " is not a single number");
        }
        return Optional.of(d[0]);
    }

    /**
     * The value of {@code key} as an array of numbers ({@code [1 2 3]}, {@code [1;2]}, {@code 5}); empty if absent.
     *
     * @throws ScanImageFormatException if present but not numeric
     */
    public double[] numbers(final String key) {
        final String v = values.get(key);
        if (v == null) {
            return new double[0];
        }
        String t = unquote(v).trim();
        if (t.startsWith("[") && t.endsWith("]") || t.startsWith("{") && t.endsWith("}")) {
            t = t.substring(1, t.length() - 1);
        }
        t = t.trim();
        if (t.isEmpty()) {
            return new double[0];
        }
        final String[] parts = t.split("[\\s;,]+");
        final double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = parseNumber(key, v, parts[i]);
        }
        return out;
    }

    private double parseNumber(final String key, final String raw, final String p) {
        switch (p.toLowerCase(Locale.ROOT)) {
            case "true":
                return 1;
            case "false":
                return 0;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(p);
                } catch (NumberFormatException e) {
                    throw new ScanImageFormatException(source, key + " = " + abbreviate(raw)
                            + " is not numeric (at '" + abbreviate(p) + "')");
                }
        }
    }

    private static String abbreviate(final String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static String unquote(final String v) {
        final String t = v.trim();
        if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    private Optional<Double> firstNumber(final String... keys) {
        for (final String k : keys) {
            if (values.containsKey(k)) {
                final double[] d = numbers(k);
                if (d.length >= 1) {
                    return Optional.of(d[0]);
                }
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------- derived

    /** The ScanImage version, e.g. {@code "2021.0.0"}, {@code "2015.4"}, {@code "3.8"}; "unknown" if absent. */
    public String version() {
        if (generation == Generation.SCANIMAGE_3) {
            return string("state.software.version").orElse("unknown");
        }
        final Optional<String> major = string("SI.VERSION_MAJOR");
        if (major.isEmpty()) {
            return "unknown";
        }
        final StringBuilder b = new StringBuilder(major.get());
        string("SI.VERSION_MINOR").ifPresent(m -> b.append('.').append(m));
        string("SI.VERSION_UPDATE").ifPresent(m -> b.append('.').append(m));
        return b.toString();
    }

    /**
     * The 1-based channels saved to the file, in page order (for light-beads data: one per plane). From
     * {@code SI.hChannels.channelSave}, or {@code state.acq.savingChannelN} in ScanImage 3.
     */
    public int[] channelsSaved() {
        if (generation == Generation.SCANIMAGE_3) {
            final List<Integer> ch = new ArrayList<>();
            for (int c = 1; c <= 4; c++) {
                if (firstNumber("state.acq.savingChannel" + c).orElse(0.0) != 0) {
                    ch.add(c);
                }
            }
            if (ch.isEmpty()) {
                final int n = (int) (double) firstNumber("state.acq.numberOfChannelsSave").orElse(1.0);
                for (int c = 1; c <= n; c++) {
                    ch.add(c);
                }
            }
            return ch.stream().mapToInt(Integer::intValue).toArray();
        }
        final double[] d = numbers("SI.hChannels.channelSave");
        if (d.length == 0) {
            return new int[] {1};
        }
        final int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] < 1 || d[i] > 1024 || d[i] != Math.rint(d[i])) {
                throw new ScanImageFormatException(source, "SI.hChannels.channelSave holds an invalid channel "
                        + d[i]);
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /** Pages per volume when planes are channels: the number of channels saved. */
    public int planes() {
        return channelsSaved().length;
    }

    /** Frame rate in Hz (frames of one channel per second), NaN if absent. */
    public double frameRateHz() {
        return firstNumber("SI.hRoiManager.scanFrameRate", "state.acq.frameRate").orElse(Double.NaN);
    }

    /**
     * Volume rate in Hz: {@code SI.hRoiManager.scanVolumeRate} when present, else the frame rate divided by the
     * slices per volume (light-beads data, where planes are channels, has one slice: volume rate = frame rate).
     */
    public double volumeRateHz() {
        final Optional<Double> v = firstNumber("SI.hRoiManager.scanVolumeRate");
        if (v.isPresent() && v.get() > 0 && Double.isFinite(v.get())) {
            return v.get();
        }
        final double slices = firstNumber("SI.hStackManager.actualNumSlices", "SI.hStackManager.numSlices",
                "state.acq.numberOfZSlices").orElse(1.0);
        final double fastZ = firstNumber("SI.hFastZ.enable").orElse(0.0);
        return frameRateHz() / (fastZ != 0 && slices >= 1 ? slices : 1);
    }

    /** Whether lines were scanned in both directions (resonant scanners: yes). */
    public boolean bidirectional() {
        return firstNumber("SI.hScan2D.bidirectional", "SI.hResScan.bidirectional", "SI.hLinScan.bidirectional",
                "state.acq.bidirectionalScan").orElse(0.0) != 0;
    }

    /** Whether multi-ROI imaging was on ({@code SI.hRoiManager.mroiEnable}). */
    public boolean multiRoi() {
        return firstNumber("SI.hRoiManager.mroiEnable").orElse(0.0) != 0;
    }

    /** Lines per frame of a single-ROI scan ({@code SI.hRoiManager.linesPerFrame}), 0 if absent. */
    public int linesPerFrame() {
        return (int) (double) firstNumber("SI.hRoiManager.linesPerFrame", "state.acq.linesPerFrame").orElse(0.0);
    }

    /** Pixels per line of a single-ROI scan, 0 if absent. */
    public int pixelsPerLine() {
        return (int) (double) firstNumber("SI.hRoiManager.pixelsPerLine", "state.acq.pixelsPerLine").orElse(0.0);
    }

    /** Seconds per scan line ({@code SI.hRoiManager.linePeriod}), NaN if absent. */
    public double linePeriodSeconds() {
        return firstNumber("SI.hRoiManager.linePeriod").orElse(Double.NaN);
    }

    /** Fly-to time between scanfields in seconds, NaN if absent. */
    public double flytoTimeSeconds() {
        return firstNumber("SI.hScan2D.flytoTimePerScanfield", "SI.hResScan.flytoTimePerScanfield")
                .orElse(Double.NaN);
    }

    /** Frames averaged into each saved frame (1 when not averaging). */
    public int averageFactor() {
        return (int) Math.max(1, firstNumber("SI.hScan2D.logAverageFactor", "SI.hResScan.logAverageFactor",
                "state.acq.numAvgFramesSave").orElse(1.0));
    }

    /** The imaging ROIs' scanfields in acquisition order (empty when the file has no ROI JSON). */
    public List<ScanField> scanFields() {
        return scanFields;
    }

    /**
     * Fly-to lines between consecutive strips for pages of {@code pageHeight} lines: {@code (pageHeight - sum of
     * strip heights) / (strips - 1)}; 0 with one strip.
     *
     * @throws ScanImageFormatException if the strips do not fit the page or leave a non-integer gap
     */
    public int flyToLines(final int pageHeight) {
        final List<ScanField> f = stripFields();
        if (f.size() <= 1) {
            return 0;
        }
        int sum = 0;
        for (final ScanField s : f) {
            sum += s.pixelsY();
        }
        final int gap = pageHeight - sum;
        if (gap < 0 || gap % (f.size() - 1) != 0) {
            throw new ScanImageFormatException(source, f.size() + " ROI strips of " + sum + " lines in total do not "
                    + "fit pages of " + pageHeight + " lines with equal fly-to gaps (" + gap + " spare lines)");
        }
        return gap / (f.size() - 1);
    }

    /**
     * Fly-to lines estimated from the timing ({@code flytoTimePerScanfield / linePeriod}, rounded up, as ScanImage
     * does), for building raw pages from a header alone; -1 when the header lacks the timing.
     */
    public int flyToLinesFromTiming() {
        final double t = flytoTimeSeconds();
        final double l = linePeriodSeconds();
        if (!(t >= 0) || !(l > 0)) {
            return -1;
        }
        return (int) Math.ceil(t / l - 1e-3);
    }

    private List<ScanField> stripFields() {
        return scanFields.size() > 1 ? scanFields : List.of();
    }

    /**
     * The strips of a {@code pageWidth x pageHeight} page: one per scanfield when the file has several (stacked top to
     * bottom with fly-to lines, placed left to right by centre x), else one strip covering the page.
     *
     * @throws ScanImageFormatException if the scanfields do not fit the page
     */
    public List<RoiStrip> strips(final int pageWidth, final int pageHeight) {
        final List<ScanField> f = stripFields();
        if (f.isEmpty()) {
            return List.of(new RoiStrip(0, 0, pageHeight, pageWidth, 0,
                    scanFields.isEmpty() ? Double.NaN : scanFields.get(0).centerX()));
        }
        final int fly = flyToLines(pageHeight);
        final Integer[] byX = new Integer[f.size()];
        for (int i = 0; i < byX.length; i++) {
            byX[i] = i;
            if (f.get(i).pixelsX() > pageWidth) {
                throw new ScanImageFormatException(source, "ROI " + i + " has " + f.get(i).pixelsX()
                        + " pixels per line but pages are " + pageWidth + " wide");
            }
        }
        java.util.Arrays.sort(byX, Comparator.comparingDouble((Integer i) -> {
            final double c = f.get(i).centerX();
            return Double.isNaN(c) ? i : c;
        }).thenComparingInt(i -> i));
        final int[] column = new int[f.size()];
        for (int c = 0; c < byX.length; c++) {
            column[byX[c]] = c;
        }
        final List<RoiStrip> out = new ArrayList<>();
        int row = 0;
        for (int i = 0; i < f.size(); i++) {
            out.add(new RoiStrip(i, row, f.get(i).pixelsY(), f.get(i).pixelsX(), column[i], f.get(i).centerX()));
            row += f.get(i).pixelsY() + fly;
        }
        return List.copyOf(out);
    }

    /**
     * The header as Software-tag text: one {@code key = value} line per key, in order (what {@link ScanImageWriter}
     * writes).
     */
    public String toSoftwareText() {
        final StringBuilder b = new StringBuilder(values.size() * 40);
        values.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        return b.toString();
    }

    /** A copy with {@code overrides} (keys with their SI. prefix) replacing or adding values, and new ROI JSON. */
    public ScanImageMetadata with(final Map<String, String> overrides, final String newRoiJson) {
        final Map<String, String> v = new LinkedHashMap<>(values);
        v.putAll(overrides);
        return new ScanImageMetadata(source, generation, v, newRoiJson == null ? roiJson : newRoiJson);
    }

    @Override
    public String toString() {
        return "ScanImageMetadata{" + source + ", ScanImage " + version() + ", " + values.size() + " keys, "
                + scanFields.size() + " ROIs}";
    }
}
