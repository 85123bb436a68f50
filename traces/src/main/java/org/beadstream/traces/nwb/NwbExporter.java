package org.beadstream.traces.nwb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.beadstream.traces.hdf5.DataSource;
import org.beadstream.traces.hdf5.Hdf5File;
import org.beadstream.traces.hdf5.Hdf5Type;
import org.beadstream.traces.hdf5.Hdf5Value;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.NpyHeader;
import org.beadstream.traces.sink.Suite2pLayoutSink;

/**
 * Writes an NWB 2.7.0 file (HDF5) from a run's suite2p folder (as written by {@link Suite2pLayoutSink}):
 * <pre>
 *   /                                  NWBFile: identifier, session_description, session_start_time, ...
 *   /general/devices/Microscope        Device
 *   /general/optophysiology/ImagingPlane{p}   ImagingPlane (+ OpticalChannel, link to the device)
 *   /processing/ophys                  ProcessingModule
 *       ImageSegmentation/PlaneSegmentation{p}   pixel_mask (x, y, weight) + pixel_mask_index, cell_probability,
 *                                                id = BeadStream ROI ids, link imaging_plane
 *       Fluorescence/plane{p}          RoiResponseSeries  F      (frames, ROIs) float32
 *       Neuropil/plane{p}              RoiResponseSeries  Fneu   (Fluorescence container, as suite2p names it)
 *       DfOverF/plane{p}               RoiResponseSeries  dF/F
 *       Deconvolved/plane{p}           RoiResponseSeries  spks   (Fluorescence container, as suite2p names it)
 *       MotionOffsets{p}               TimeSeries (frames, 2) [y, x] pixels, when plane{p}/yoff.npy and xoff.npy
 *                                      (float32, one value per frame, suite2p's ops['yoff'/'xoff']) exist
 *       Backgrounds_{p}                Images: GrayscaleImage meanImg, meanImgE, Vcorr, max_proj (y, x) float32,
 *                                      when plane{p}/ holds them (as suite2p's NWB export)
 * </pre>
 * Each RoiResponseSeries' rois is a DynamicTableRegion referencing its PlaneSegmentation; time is
 * starting_time 0 with rate = the volume rate. The trace matrices are streamed from the .npy files (an .npy of shape
 * (ROIs, frames) in Fortran order has exactly the bytes of the C-order (frames, ROIs) NWB dataset), so files of any
 * length export with little memory. No /specifications group is written: pynwb reads the file with its own core
 * namespace.
 *
 * <p>Stateless and thread-safe (each call works on its own files).
 */
public final class NwbExporter {

    /** NWB schema version written. */
    public static final String NWB_VERSION = "2.7.0";

    private static final ObjectMapper JSON = new ObjectMapper();

    private NwbExporter() {
    }

    /**
     * What {@link #export} wrote.
     *
     * @param file the NWB file
     * @param planes planes exported
     * @param rois ROIs over all planes
     * @param frames frames (volumes)
     * <p>Immutable and thread-safe.
     */
    public record Report(Path file, int planes, long rois, long frames) {
    }

    /**
     * Metadata defaults from the run folder: identifier from the folder name and creation time, session start
     * time from ops.json's "created" (else now).
     */
    public static NwbMetadata defaultMetadata(final Path runDir) throws IOException {
        final List<Path> planes = planeFolders(runDir);
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC);
        final JsonNode ops = JSON.readTree(planes.get(0).resolve("ops.json").toFile());
        if (ops.hasNonNull("created")) {
            try {
                start = OffsetDateTime.parse(ops.get("created").asText());
            } catch (final DateTimeParseException e) {
                throw new IOException(planes.get(0).resolve("ops.json") + ": 'created' is not an ISO date-time: "
                        + ops.get("created").asText(), e);
            }
        }
        final Path name = runDir.toAbsolutePath().normalize().getFileName();
        return NwbMetadata.defaults("beadstream-" + (name == null ? "run" : name) + "-" + start.toEpochSecond(),
                start);
    }

    /** The plane folders (plane0, plane1, ...) of a run, in plane order. */
    public static List<Path> planeFolders(final Path runDir) throws IOException {
        final Path root = runDir.resolve("suite2p");
        if (!Files.isDirectory(root)) {
            throw new IOException(runDir + " has no suite2p/ folder (is it a BeadStream run folder?)");
        }
        final List<Path> planes = new ArrayList<>();
        for (int p = 0; Files.isDirectory(root.resolve("plane" + p)); p++) {
            planes.add(root.resolve("plane" + p));
        }
        if (planes.isEmpty()) {
            throw new IOException(root + " holds no plane0/ folder");
        }
        return planes;
    }

    /**
     * Exports the run.
     *
     * @throws IOException naming the file that is missing, inconsistent or unfinished (ops.json "complete" false:
     *                     repair first, see {@link Suite2pLayoutSink#repair})
     */
    public static Report export(final Path runDir, final Path nwbFile, final NwbMetadata meta) throws IOException {
        final List<Path> planes = planeFolders(runDir);
        final Hdf5File h5 = new Hdf5File();
        final Hdf5File.Group root = h5.root();
        typed(root, "core", "NWBFile");
        root.attribute("nwb_version", NWB_VERSION);
        final String now = OffsetDateTime.now(ZoneOffset.UTC).toString();
        root.dataset("file_create_date", Hdf5Value.strings(now));
        root.dataset("identifier", Hdf5Value.string(meta.identifier()));
        root.dataset("session_description", Hdf5Value.string(meta.sessionDescription()));
        root.dataset("session_start_time", Hdf5Value.string(meta.sessionStartTime().toString()));
        root.dataset("timestamps_reference_time", Hdf5Value.string(meta.sessionStartTime().toString()));
        root.group("acquisition");
        root.group("analysis");
        final Hdf5File.Group stimulus = root.group("stimulus");
        stimulus.group("presentation");
        stimulus.group("templates");
        final Hdf5File.Group general = root.group("general");
        final Hdf5File.Group device = general.group("devices").group("Microscope");
        typed(device, "core", "Device");
        device.attribute("description", meta.deviceDescription());
        device.attribute("manufacturer", "light-beads microscope");
        final Hdf5File.Group optophys = general.group("optophysiology");
        final Hdf5File.Group ophys = root.group("processing").group("ophys");
        typed(ophys, "core", "ProcessingModule");
        ophys.attribute("description", "optical physiology processed by BeadStream");
        final Hdf5File.Group segmentation = ophys.group("ImageSegmentation");
        typed(segmentation, "core", "ImageSegmentation");
        final Hdf5File.Group fluorescence = container(ophys, "Fluorescence", "Fluorescence");
        final Hdf5File.Group neuropil = container(ophys, "Neuropil", "Fluorescence");
        final Hdf5File.Group dff = container(ophys, "DfOverF", "DfOverF");
        final Hdf5File.Group deconvolved = container(ophys, "Deconvolved", "Fluorescence");
        long totalRois = 0;
        long frames = -1;
        for (int p = 0; p < planes.size(); p++) {
            final Path dir = planes.get(p);
            final JsonNode ops = JSON.readTree(dir.resolve("ops.json").toFile());
            if (!ops.path("complete").asBoolean(false)) {
                throw new IOException(dir.resolve("ops.json") + " says the run did not finish (complete = false): "
                        + "repair it first (beadstream export --repair)");
            }
            final int width = ops.path("Lx").asInt();
            final double fs = ops.path("fs").asDouble();
            final long[] shape = traceShape(dir);
            if (frames < 0) {
                frames = shape[1];
            } else if (frames != shape[1]) {
                throw new IOException(dir + " has " + shape[1] + " frames, plane0 has " + frames);
            }
            final int n = (int) shape[0];
            totalRois += n;
            final String planeName = "plane" + p;
            final Hdf5File.Group imagingPlane = optophys.group("ImagingPlane" + p);
            typed(imagingPlane, "core", "ImagingPlane");
            imagingPlane.dataset("description", Hdf5Value.string("plane " + p + " of " + planes.size()
                    + " (light-beads microscope, " + ops.path("Ly").asInt() + " x " + width + " px)"));
            imagingPlane.dataset("excitation_lambda", Hdf5Value.float32((float) meta.excitationLambdaNm()));
            imagingPlane.dataset("imaging_rate", Hdf5Value.float32((float) fs));
            imagingPlane.dataset("indicator", Hdf5Value.string(meta.indicator()));
            imagingPlane.dataset("location", Hdf5Value.string(meta.location()));
            if (!Double.isNaN(meta.planeSpacingUm())) {
                final Hdf5File.Dataset origin = imagingPlane.dataset("origin_coords",
                        Hdf5Value.floats(new float[] {0f, 0f, (float) (p * meta.planeSpacingUm())}, 3));
                origin.attribute("unit", "micrometers");
            }
            final Hdf5File.Group channel = imagingPlane.group("OpticalChannel");
            typed(channel, "core", "OpticalChannel");
            channel.dataset("description", Hdf5Value.string("green channel"));
            channel.dataset("emission_lambda", Hdf5Value.float32((float) meta.emissionLambdaNm()));
            imagingPlane.softLink("device", "/general/devices/Microscope");

            final Hdf5File.Group table = segmentation.group("PlaneSegmentation" + p);
            typed(table, "core", "PlaneSegmentation");
            table.attribute("description", "ROIs of plane " + p + " (BeadStream footprints)");
            table.attribute("colnames", Hdf5Value.strings("pixel_mask", "cell_probability"));
            final int[] ids = NpyFiles.readInt32(dir.resolve("stat_roi_id.npy"));
            if (ids.length != n) {
                throw new IOException(dir.resolve("stat_roi_id.npy") + " has " + ids.length + " ROIs, F.npy has "
                        + n);
            }
            final long[] idLong = new long[n];
            for (int i = 0; i < n; i++) {
                idLong[i] = ids[i];
            }
            typed(table.dataset("id", Hdf5Value.longs(Hdf5Type.INT64, idLong, n)), "hdmf-common",
                    "ElementIdentifiers");
            final long[] offsets = NpyFiles.readInt64(dir.resolve("stat_offsets.npy"));
            final int[] ypix = NpyFiles.readInt32(dir.resolve("stat_ypix.npy"));
            final int[] xpix = NpyFiles.readInt32(dir.resolve("stat_xpix.npy"));
            final float[] lam = NpyFiles.readFloat32(dir.resolve("stat_lam.npy"));
            if (offsets.length != n + 1 || offsets[n] != ypix.length || xpix.length != ypix.length
                    || lam.length != ypix.length) {
                throw new IOException(dir + ": stat_offsets/ypix/xpix/lam disagree (" + offsets.length + " offsets, "
                        + ypix.length + ", " + xpix.length + ", " + lam.length + " pixels for " + n + " ROIs)");
            }
            final Hdf5Type pixelType = Hdf5Type.compound(new String[] {"x", "y", "weight"},
                    new Hdf5Type[] {Hdf5Type.UINT32, Hdf5Type.UINT32, Hdf5Type.FLOAT32});
            final Hdf5File.Dataset mask = table.dataset("pixel_mask", pixelType, new long[] {ypix.length},
                    pixelMask(xpix, ypix, lam));
            typed(mask, "hdmf-common", "VectorData");
            mask.attribute("description", "weighted pixels of each ROI (x = column, y = row)");
            final long[] ends = new long[n];
            System.arraycopy(offsets, 1, ends, 0, n);
            final Hdf5File.Dataset index = table.dataset("pixel_mask_index",
                    Hdf5Value.longs(Hdf5Type.UINT64, ends, n));
            typed(index, "hdmf-common", "VectorIndex");
            index.attribute("description", "index into pixel_mask");
            index.attribute("target", Hdf5Value.reference(mask));
            final double[] iscell = NpyFiles.readFloat64(dir.resolve("iscell.npy"));
            final float[] prob = new float[n];
            for (int i = 0; i < n; i++) {
                prob[i] = (float) iscell[2 * i + 1];
            }
            final Hdf5File.Dataset probability = table.dataset("cell_probability", Hdf5Value.floats(prob, n));
            typed(probability, "hdmf-common", "VectorData");
            probability.attribute("description", "probability that the ROI is a cell (suite2p iscell[:, 1])");
            table.softLink("imaging_plane", "/general/optophysiology/ImagingPlane" + p);

            series(fluorescence, planeName, dir.resolve("F.npy"), shape, table, fs, "a.u.",
                    "raw fluorescence F: weighted footprint mean");
            series(neuropil, planeName, dir.resolve("Fneu.npy"), shape, table, fs, "a.u.",
                    "neuropil fluorescence Fneu: annulus mean");
            series(dff, planeName, dir.resolve("dff.npy"), shape, table, fs, "dF/F0",
                    "(F - r Fneu - F0) / F0 with a running baseline");
            series(deconvolved, planeName, dir.resolve("spks.npy"), shape, table, fs, "dF/F0",
                    "online OASIS spike estimates (NaN where not finalised)");
            final Path yoff = dir.resolve("yoff.npy");
            final Path xoff = dir.resolve("xoff.npy");
            if (Files.exists(yoff) && Files.exists(xoff)) {
                motionSeries(ophys, "MotionOffsets" + p, yoff, xoff, fs);
            }
            backgrounds(ophys, p, dir);
        }
        h5.write(nwbFile);
        return new Report(nwbFile, planes.size(), totalRois, frames);
    }

    /**
     * The plane's images, as suite2p's own NWB export files them: an Images container {@code Backgrounds_<p>} holding a
     * GrayscaleImage (y, x) per image file present (meanImg, meanImgE, Vcorr, max_proj).
     */
    private static void backgrounds(final Hdf5File.Group ophys, final int p, final Path dir) throws IOException {
        final String[][] images = {{"meanImg", "mean image of the registered bootstrap window"},
            {"meanImgE", "enhanced (high-passed, locally normalised) mean image"},
            {"Vcorr", "local correlation image"}, {"max_proj", "maximum projection"}};
        Hdf5File.Group g = null;
        for (final String[] im : images) {
            final Path f = dir.resolve(im[0] + ".npy");
            if (!Files.exists(f)) {
                continue;
            }
            final NpyHeader h = NpyFiles.header(f);
            if (!"<f4".equals(h.descr()) || h.shape().length != 2 || h.fortranOrder()) {
                throw new IOException(f + ": expected a C-order float32 (Ly, Lx) image, found " + h);
            }
            if (g == null) {
                g = ophys.group("Backgrounds_" + p);
                typed(g, "core", "Images");
                g.attribute("description", "images of plane " + p);
            }
            final Hdf5File.Dataset d = g.dataset(im[0], Hdf5Value.floats(NpyFiles.readFloat32(f), h.shape()[0],
                    h.shape()[1]));
            typed(d, "core", "GrayscaleImage");
            d.attribute("description", im[1]);
        }
    }

    private static Hdf5File.Node typed(final Hdf5File.Node node, final String namespace, final String type) {
        node.attribute("namespace", namespace);
        node.attribute("neurodata_type", type);
        node.attribute("object_id", UUID.randomUUID().toString());
        return node;
    }

    private static Hdf5File.Group container(final Hdf5File.Group parent, final String name, final String type) {
        final Hdf5File.Group g = parent.group(name);
        typed(g, "core", type);
        return g;
    }

    private static long[] traceShape(final Path dir) throws IOException {
        long[] shape = null;
        for (final String name : Suite2pLayoutSink.TRACE_FILES) {
            final Path f = dir.resolve(name);
            final NpyHeader h = NpyFiles.header(f);
            if (!"<f4".equals(h.descr()) || !h.fortranOrder() || h.shape().length != 2
                    || h.dataOffset() != NpyHeader.SIZE) {
                throw new IOException(f + " is not a BeadStream trace file (" + h + ")");
            }
            final long need = NpyHeader.SIZE + 4 * h.elementCount();
            if (Files.size(f) < need) {
                throw new IOException(f + " is shorter than its header says (" + Files.size(f) + " < " + need
                        + " bytes): repair it first");
            }
            if (shape == null) {
                shape = h.shape();
            } else if (shape[0] != h.shape()[0] || shape[1] != h.shape()[1]) {
                throw new IOException(f + " has shape " + h.shape()[0] + " x " + h.shape()[1] + ", F.npy has "
                        + shape[0] + " x " + shape[1]);
            }
        }
        return shape;
    }

    private static DataSource pixelMask(final int[] xpix, final int[] ypix, final float[] lam) {
        return (ch, at) -> {
            final ByteBuffer b = ByteBuffer.allocate(12 * 8192).order(ByteOrder.LITTLE_ENDIAN);
            long pos = at;
            for (int i = 0; i < xpix.length; i++) {
                b.putInt(xpix[i]).putInt(ypix[i]).putFloat(lam[i]);
                if (!b.hasRemaining() || i == xpix.length - 1) {
                    b.flip();
                    while (b.hasRemaining()) {
                        pos += ch.write(b, pos);
                    }
                    b.clear();
                }
            }
            return pos - at;
        };
    }

    private static DataSource copyOf(final Path npy, final long bytes) {
        return (ch, at) -> {
            try (FileChannel in = FileChannel.open(npy, StandardOpenOption.READ)) {
                long done = 0;
                while (done < bytes) {
                    final long n = in.transferTo(NpyHeader.SIZE + done, bytes - done, ch.position(at + done));
                    if (n <= 0) {
                        throw new IOException(npy + " ended after " + done + " of " + bytes + " data bytes");
                    }
                    done += n;
                }
                return done;
            }
        };
    }

    private static void series(final Hdf5File.Group container, final String name, final Path npy,
                               final long[] shape, final Hdf5File.Group table, final double fs, final String unit,
                               final String description) {
        final Hdf5File.Group s = container.group(name);
        typed(s, "core", "RoiResponseSeries");
        s.attribute("description", description);
        s.attribute("comments", "BeadStream; source " + npy.getParent().getFileName() + "/" + npy.getFileName());
        final long rois = shape[0];
        final long frames = shape[1];
        final Hdf5File.Dataset data = s.dataset("data", Hdf5Type.FLOAT32, new long[] {frames, rois},
                copyOf(npy, 4 * rois * frames));
        data.attribute("unit", unit);
        data.attribute("conversion", Hdf5Value.float32(1f));
        data.attribute("resolution", Hdf5Value.float32(-1f));
        data.attribute("offset", Hdf5Value.float32(0f));
        final long[] rows = new long[(int) rois];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        final Hdf5File.Dataset region = s.dataset("rois", Hdf5Value.longs(Hdf5Type.INT64, rows, rois));
        typed(region, "hdmf-common", "DynamicTableRegion");
        region.attribute("description", "rows of " + table.name());
        region.attribute("table", Hdf5Value.reference(table));
        final Hdf5File.Dataset start = s.dataset("starting_time", Hdf5Value.float64(0.0));
        start.attribute("rate", Hdf5Value.float32((float) fs));
        start.attribute("unit", "seconds");
    }

    private static void motionSeries(final Hdf5File.Group parent, final String name, final Path yoff,
                                     final Path xoff, final double fs) throws IOException {
        final float[] y = NpyFiles.readFloat32(yoff);
        final float[] x = NpyFiles.readFloat32(xoff);
        if (y.length != x.length) {
            throw new IOException(yoff + " and " + xoff + " differ in length: " + y.length + " vs " + x.length);
        }
        final float[] yx = new float[2 * y.length];
        for (int t = 0; t < y.length; t++) {
            yx[2 * t] = y[t];
            yx[2 * t + 1] = x[t];
        }
        final Hdf5File.Group s = parent.group(name);
        typed(s, "core", "TimeSeries");
        s.attribute("description", "rigid motion offsets of " + name + ": columns y, x (pixels)");
        s.attribute("comments", "BeadStream motion correction");
        final Hdf5File.Dataset data = s.dataset("data", Hdf5Value.floats(yx, y.length, 2));
        data.attribute("unit", "pixels");
        data.attribute("conversion", Hdf5Value.float32(1f));
        data.attribute("resolution", Hdf5Value.float32(-1f));
        data.attribute("offset", Hdf5Value.float32(0f));
        final Hdf5File.Dataset start = s.dataset("starting_time", Hdf5Value.float64(0.0));
        start.attribute("rate", Hdf5Value.float32((float) fs));
        start.attribute("unit", "seconds");
    }
}
