package org.beadstream.acquisition.scanimage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.tiff.TiffReader;
import org.beadstream.acquisition.tiff.TiffWriter;

/**
 * Writes pages as ScanImage 2016+ BigTIFF files, the way the rig writes light-beads data, so that tests and the
 * simulator ({@code beadstream simulate --format scanimage}) produce files every ScanImage reader accepts:
 *
 * <pre>
 *   BigTIFF header (16 bytes)
 *   ScanImage block: uint32 magic 117637889 | uint32 version 4 | uint32 header bytes | uint32 ROI JSON bytes
 *                    | SI.* header text + NUL | ROI JSON + NUL
 *   page k: IFD (Software and Artist point into the block) | ImageDescription (frameNumbers, frameTimestamps_sec...)
 *           | int16 pixels
 * </pre>
 *
 * Files are named {@code <base>_00001_00001.tif, <base>_00001_00002.tif, ...} (acquisition 1, file counter), a new
 * file starting every {@code volumesPerFile} volumes. Each page's frame number is the slot's
 * {@link FrameSlot#sourceFrameNumber()} when set (so tests can write gaps), else its volume + 1; its timestamp is the
 * slot's.
 *
 * <p>Not thread-safe: one thread writes.
 */
public final class ScanImageWriter implements AutoCloseable {

    /** Magic number at the start of ScanImage's static metadata block. */
    public static final int SCANIMAGE_MAGIC = 117637889;

    private final Path directory;
    private final String baseName;
    private final FrameGeometry geometry;
    private final long pagesPerFile;
    private final byte[] prelude;
    private final int softwareLength;
    private final int artistLength;
    private final List<Path> files = new ArrayList<>();
    private final StringBuilder text = new StringBuilder(2048);
    private TiffWriter writer;
    private long pages;
    private boolean closed;

    private ScanImageWriter(final Path directory, final String baseName, final ScanImageMetadata header,
            final FrameGeometry geometry, final long volumesPerFile) {
        this.directory = directory;
        this.baseName = baseName;
        this.geometry = geometry;
        this.pagesPerFile = volumesPerFile * geometry.planes();
        final byte[] sw = (header.toSoftwareText() + '\0').getBytes(StandardCharsets.UTF_8);
        final byte[] roi = ((header.roiJson().isEmpty() ? "{}" : header.roiJson()) + '\0')
                .getBytes(StandardCharsets.UTF_8);
        final ByteBuffer b = ByteBuffer.allocate(16 + sw.length + roi.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SCANIMAGE_MAGIC).putInt(4).putInt(sw.length).putInt(roi.length).put(sw).put(roi);
        this.prelude = b.array();
        this.softwareLength = sw.length;
        this.artistLength = roi.length;
    }

    /**
     * Starts a recording in {@code directory}.
     *
     * @param header         the header to write (see {@link #lbmHeader})
     * @param geometry       page shape and planes per volume
     * @param volumesPerFile volumes per file before starting the next ({@code Long.MAX_VALUE} for one file)
     */
    public static ScanImageWriter create(final Path directory, final String baseName, final ScanImageMetadata header,
            final FrameGeometry geometry, final long volumesPerFile) {
        if (volumesPerFile < 1) {
            throw new IllegalArgumentException("volumes per file must be at least 1, was " + volumesPerFile);
        }
        if (baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")) {
            throw new IllegalArgumentException("base name must be a plain file name, was '" + baseName + "'");
        }
        return new ScanImageWriter(directory, baseName, header, geometry,
                volumesPerFile > Long.MAX_VALUE / geometry.planes() ? Long.MAX_VALUE / geometry.planes()
                        : volumesPerFile);
    }

    /**
     * Appends one page (shape must match the geometry). Frame fields come from the slot's header.
     *
     * @throws IllegalArgumentException if the page's shape differs from the geometry
     */
    public void write(final FrameSlot page) {
        if (closed) {
            throw new IllegalStateException("ScanImage writer for " + baseName + " is closed");
        }
        if (page.width() != geometry.width() || page.height() != geometry.height()) {
            throw new IllegalArgumentException("page of " + page.width() + " x " + page.height()
                    + " does not match the recording's " + geometry.width() + " x " + geometry.height());
        }
        if (writer == null || writer.pagesWritten() >= pagesPerFile) {
            nextFile();
        }
        final long volume = pages / geometry.planes();
        final long frameNumber = page.sourceFrameNumber() >= 0 ? page.sourceFrameNumber() : volume + 1;
        text.setLength(0);
        text.append("frameNumbers = ").append(frameNumber).append('\n')
                .append("acquisitionNumbers = 1\n")
                .append("frameNumberAcquisition = ").append(frameNumber).append('\n')
                .append("frameTimestamps_sec = ")
                .append(String.format(Locale.ROOT, "%.9f", page.timestampNanos() / 1e9)).append('\n')
                .append("acqTriggerTimestamps_sec = 0.000000000\n")
                .append("nextFileMarkerTimestamps_sec = -1.000000000\n")
                .append("endOfAcquisition = 0\n")
                .append("endOfAcquisitionMode = 0\n")
                .append("dcOverVoltage = 0\n")
                .append("epoch = [2026 1 1 0 0 0.000]\n")
                .append("auxTrigger0 = []\nauxTrigger1 = []\nauxTrigger2 = []\nauxTrigger3 = []\nI2CData = {}\n");
        writer.writePage(page, text.toString());
        pages++;
    }

    private void nextFile() {
        if (writer != null) {
            writer.close();
        }
        final Path f = directory.resolve(String.format(Locale.ROOT, "%s_00001_%05d.tif", baseName, files.size() + 1));
        writer = TiffWriter.create(f, true, prelude);
        final long at = writer.preludeOffset() + 16;
        writer.shareText(TiffReader.SOFTWARE, at, softwareLength);
        writer.shareText(TiffReader.ARTIST, at + softwareLength, artistLength);
        files.add(f);
    }

    /** The files written so far, in order. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /** Pages written so far. */
    public long pagesWritten() {
        return pages;
    }

    /** Closes the current file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer != null) {
            writer.close();
        }
    }

    // ------------------------------------------------------------------------------------------- headers

    /**
     * Scanfields for {@code strips} side-by-side strips of {@code width x height} pixels (each {@code width} degrees
     * wide at 1 degree per pixel, centred left to right), as a light-beads rig's ROI group describes them.
     */
    public static List<ScanField> sideBySideStrips(final int strips, final int width, final int height) {
        if (strips < 1) {
            throw new IllegalArgumentException("strips must be at least 1, was " + strips);
        }
        final List<ScanField> out = new ArrayList<>();
        for (int i = 0; i < strips; i++) {
            final double cx = (i - (strips - 1) / 2.0) * width;
            out.add(new ScanField("strip " + (i + 1), cx, 0, width, height, width, height));
        }
        return out;
    }

    /**
     * The header of a light-beads recording: {@code template}'s keys (a real ScanImage header; null for a minimal
     * ScanImage 2021 header) with the channels saved set to one per plane, the frame and volume rates set to the
     * geometry's volume rate, multi-ROI on when there are several scanfields, the fly-to timing matching
     * {@code flyToLines}, and the ROI JSON describing {@code scanFields}.
     */
    public static ScanImageMetadata lbmHeader(final ScanImageMetadata template, final FrameGeometry geometry,
            final List<ScanField> scanFields, final int flyToLines, final boolean bidirectional) {
        if (scanFields.isEmpty()) {
            throw new IllegalArgumentException("an LBM header needs at least one scanfield");
        }
        if (flyToLines < 0) {
            throw new IllegalArgumentException("fly-to lines must be >= 0, was " + flyToLines);
        }
        int lines = 0;
        for (final ScanField f : scanFields) {
            lines += f.pixelsY();
            if (f.pixelsX() != geometry.width()) {
                throw new IllegalArgumentException("scanfield '" + f.name() + "' is " + f.pixelsX()
                        + " pixels wide but pages are " + geometry.width());
            }
        }
        lines += flyToLines * (scanFields.size() - 1);
        if (lines != geometry.height()) {
            throw new IllegalArgumentException("scanfields and fly-to lines make pages of " + lines
                    + " lines, the geometry has " + geometry.height());
        }
        final Map<String, String> v = new LinkedHashMap<>();
        if (template == null) {
            v.put("SI.LINE_FORMAT_VERSION", "1");
            v.put("SI.TIFF_FORMAT_VERSION", "4");
            v.put("SI.VERSION_MAJOR", "2021");
            v.put("SI.VERSION_MINOR", "0");
            v.put("SI.VERSION_UPDATE", "0");
            v.put("SI.acqState", "'grab'");
        }
        final StringBuilder ch = new StringBuilder("[");
        for (int c = 1; c <= geometry.planes(); c++) {
            ch.append(c).append(c < geometry.planes() ? ";" : "]");
        }
        final double rate = geometry.volumeRateHz() > 0 ? geometry.volumeRateHz() : 1.0;
        final double linePeriod = 1.0 / rate / Math.max(1, geometry.height()) * 0.9;
        v.put("SI.hChannels.channelSave", ch.toString());
        v.put("SI.hChannels.channelsActive", ch.toString());
        v.put("SI.hFastZ.enable", "false");
        v.put("SI.hRoiManager.linePeriod", fmt(linePeriod));
        v.put("SI.hRoiManager.linesPerFrame", String.valueOf(scanFields.get(0).pixelsY()));
        v.put("SI.hRoiManager.mroiEnable", scanFields.size() > 1 ? "true" : "false");
        v.put("SI.hRoiManager.pixelsPerLine", String.valueOf(scanFields.get(0).pixelsX()));
        v.put("SI.hRoiManager.scanFramePeriod", fmt(1.0 / rate));
        v.put("SI.hRoiManager.scanFrameRate", fmt(rate));
        v.put("SI.hRoiManager.scanVolumeRate", fmt(rate));
        v.put("SI.hScan2D.bidirectional", bidirectional ? "true" : "false");
        v.put("SI.hScan2D.flytoTimePerScanfield", fmt(flyToLines * linePeriod));
        v.put("SI.hScan2D.logAverageFactor", "1");
        v.put("SI.hStackManager.numSlices", "1");
        final String roi = roiJson(scanFields);
        if (template == null) {
            return ScanImageMetadata.of("generated LBM header", v, roi);
        }
        return template.with(v, roi);
    }

    private static String fmt(final double d) {
        return String.format(Locale.ROOT, "%.10g", d).replaceAll("\\.?0+$", "");
    }

    /** The ROI-group JSON (as ScanImage writes in the Artist tag) for {@code scanFields}. */
    public static String roiJson(final List<ScanField> scanFields) {
        final ObjectMapper om = new ObjectMapper();
        final ObjectNode root = om.createObjectNode();
        final ObjectNode groups = root.putObject("RoiGroups");
        final ObjectNode group = groups.putObject("imagingRoiGroup");
        group.put("ver", 1).put("classname", "scanimage.mroi.RoiGroup").put("name", "BeadStream imaging ROI group");
        final ArrayNode rois = group.putArray("rois");
        for (final ScanField f : scanFields) {
            final ObjectNode r = rois.addObject();
            r.put("ver", 1).put("classname", "scanimage.mroi.Roi").put("name", f.name()).put("zs", 0);
            final ObjectNode sf = r.putObject("scanfields");
            sf.put("ver", 1).put("classname", "scanimage.mroi.scanfield.fields.RotatedRectangle")
                    .put("name", f.name());
            sf.putArray("centerXY").add(f.centerX()).add(f.centerY());
            sf.putArray("sizeXY").add(f.sizeX()).add(f.sizeY());
            sf.put("rotationDegrees", 0).put("enable", 1);
            sf.putArray("pixelResolutionXY").add(f.pixelsX()).add(f.pixelsY());
            r.put("discretePlaneMode", 0).put("enable", 1);
        }
        groups.putNull("photostimRoiGroups");
        return root.toString();
    }
}
