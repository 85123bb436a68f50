package org.beadstream.traces.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.RoiStats;

/**
 * Writes traces in suite2p's folder layout while recording, so suite2p users open them with {@code numpy.load}:
 * <pre>
 *   RUNDIR/suite2p/plane0/   F.npy Fneu.npy dff.npy spks.npy   float32 (ROIs of this plane, frames), Fortran order
 *                            iscell.npy                         float64 (ROIs, 2): is-cell 0/1, probability
 *                            stat_*.npy                         ROI statistics without pickles (docs/file-formats.md)
 *                            ops.json                           resolved configuration + plane geometry + nframes
 *   RUNDIR/suite2p/plane1/ ...
 *   RUNDIR/suite2p/combined/ the same for all ROIs of the volume, in global ROI order (stat_roi_id maps planes to it)
 * </pre>
 * The trace files grow by one column per volume ({@link NpyColumnWriter}); spks.npy trails by the deconvolution lag
 * and catches up when the pipeline flushes at the end. After a crash, {@link #repair(Path)} makes every file
 * readable up to the last complete volume.
 *
 * <p>Per volume the sink gathers each plane's ROIs into a scratch column made once; no allocation per volume.
 * Not thread-safe: called from the trace pipeline's thread.
 */
public final class Suite2pLayoutSink implements TraceSink {

    /** The traces files every plane folder holds. */
    public static final List<String> TRACE_FILES = List.of("F.npy", "Fneu.npy", "dff.npy", "spks.npy");

    /** Format tag written to ops.json. */
    public static final String FORMAT = "beadstream-suite2p-1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final int[][] planeRois;
    private final float[][] scratch;
    private final Folder[] folders;
    private final int rois;
    private boolean closed;
    private long volumes;
    private long spikeVolumes;

    private static final class Folder {
        final Path dir;
        final int[] rois;
        final NpyColumnWriter f;
        final NpyColumnWriter fneu;
        final NpyColumnWriter dff;
        final NpyColumnWriter spks;

        Folder(final Path dir, final int[] rois, final int headerEvery) throws IOException {
            this.dir = dir;
            this.rois = rois;
            this.f = NpyColumnWriter.create(dir.resolve("F.npy"), rois.length, headerEvery);
            this.fneu = NpyColumnWriter.create(dir.resolve("Fneu.npy"), rois.length, headerEvery);
            this.dff = NpyColumnWriter.create(dir.resolve("dff.npy"), rois.length, headerEvery);
            this.spks = NpyColumnWriter.create(dir.resolve("spks.npy"), rois.length, headerEvery);
        }

        void close() throws IOException {
            new IoErrors().run(f::close).run(fneu::close).run(dff::close).run(spks::close).rethrow();
        }
    }

    /**
     * Creates RUNDIR/suite2p/ with one folder per plane and combined/, writes iscell, statistics and ops.json, and
     * opens the trace files.
     *
     * @param runDir the run's folder (created if missing)
     * @param footprints the ROIs whose traces will be written, in the order of the trace arrays
     * @param volumeRateHz volumes per second (suite2p's fs)
     * @param cellThreshold probability at or above which iscell column 0 is 1
     * @param resolvedConfig the run's resolved configuration (written into every ops.json under "config")
     * @param headerEvery rewrite the .npy headers every this many volumes (readable without repair up to there)
     * @throws IOException naming the folder when it cannot be written
     */
    public Suite2pLayoutSink(final Path runDir, final Footprints footprints, final double volumeRateHz,
                             final double cellThreshold, final Map<String, ?> resolvedConfig, final int headerEvery)
            throws IOException {
        if (!(volumeRateHz > 0) || Double.isInfinite(volumeRateHz)) {
            throw new IllegalArgumentException("volume rate must be finite and > 0 Hz, was " + volumeRateHz);
        }
        if (!(cellThreshold >= 0 && cellThreshold <= 1)) {
            throw new IllegalArgumentException("cell threshold must be in [0, 1], was " + cellThreshold);
        }
        if (headerEvery < 1) {
            throw new IllegalArgumentException("header interval must be >= 1 volume, was " + headerEvery);
        }
        this.root = runDir.resolve("suite2p");
        this.rois = footprints.roiCount();
        final int planes = footprints.planeCount();
        this.planeRois = new int[planes][];
        this.scratch = new float[planes][];
        this.folders = new Folder[planes + 1];
        final List<Folder> opened = new ArrayList<>();
        try {
            for (int p = 0; p <= planes; p++) {
                final boolean combined = p == planes;
                final int[] ids;
                if (combined) {
                    ids = new int[rois];
                    for (int i = 0; i < rois; i++) {
                        ids[i] = i;
                    }
                } else {
                    ids = footprints.roisOnPlane(p);
                    planeRois[p] = ids;
                    scratch[p] = new float[ids.length];
                }
                final Path dir = root.resolve(combined ? "combined" : "plane" + p);
                Files.createDirectories(dir);
                writeRoiFiles(dir, footprints, ids, cellThreshold);
                writeOps(dir, footprints, combined ? -1 : p, ids.length, volumeRateHz, 0, 0, resolvedConfig);
                final Folder folder = new Folder(dir, ids, headerEvery);
                opened.add(folder);
                folders[p] = folder;
            }
        } catch (final IOException | RuntimeException e) {
            for (final Folder f : opened) {
                try {
                    f.close();
                } catch (final IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** The suite2p folder (RUNDIR/suite2p). */
    public Path root() {
        return root;
    }

    /** Volumes of F written so far. */
    public long volumesWritten() {
        return volumes;
    }

    /** Volumes of spikes written so far. */
    public long spikeVolumesWritten() {
        return spikeVolumes;
    }

    @Override
    public void onVolume(final VolumeTraces traces) throws IOException {
        if (closed) {
            throw new IOException("suite2p sink at " + root + " is closed");
        }
        if (traces.rois() != rois) {
            throw new IllegalArgumentException("traces hold " + traces.rois() + " ROIs, the sink was made for "
                    + rois);
        }
        if (traces.hasTraces()) {
            if (traces.volume() != volumes) {
                throw new IllegalStateException("volume " + traces.volume() + " arrived, expected " + volumes
                        + " (volumes must be consecutive: pass a skipped volume as NaN traces, e.g. "
                        + "TraceProcessor.onMissingVolume())");
            }
            write(traces.f(), Kind.F);
            write(traces.fneu(), Kind.FNEU);
            write(traces.dff(), Kind.DFF);
            volumes++;
        }
        if (traces.hasSpikes()) {
            if (traces.spikeVolume() != spikeVolumes) {
                throw new IllegalStateException("spikes of volume " + traces.spikeVolume() + " arrived, expected "
                        + spikeVolumes);
            }
            write(traces.spikes(), Kind.SPKS);
            spikeVolumes++;
        }
    }

    private enum Kind { F, FNEU, DFF, SPKS }

    private void write(final float[] values, final Kind kind) throws IOException {
        for (int p = 0; p < folders.length; p++) {
            final Folder folder = folders[p];
            final NpyColumnWriter w = switch (kind) {
                case F -> folder.f;
                case FNEU -> folder.fneu;
                case DFF -> folder.dff;
                case SPKS -> folder.spks;
            };
            if (p == folders.length - 1) {
                w.append(values, 0);
            } else {
                final int[] ids = planeRois[p];
                final float[] col = scratch[p];
                for (int i = 0; i < ids.length; i++) {
                    col[i] = values[ids[i]];
                }
                w.append(col, 0);
            }
        }
    }

    /** Rewrites every header and forces the files to disk (call e.g. once a minute while recording). */
    public void sync() throws IOException {
        for (final Folder folder : folders) {
            folder.f.sync();
            folder.fneu.sync();
            folder.dff.sync();
            folder.spks.sync();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        final IoErrors errors = new IoErrors();
        for (final Folder folder : folders) {
            errors.run(() -> {
                folder.close();
                updateOpsFrames(folder.dir, volumes, spikeVolumes);
            });
        }
        errors.rethrow();
    }

    private static void writeRoiFiles(final Path dir, final Footprints fp, final int[] ids, final double threshold)
            throws IOException {
        final int n = ids.length;
        final int width = fp.planeWidth();
        final double[] iscell = new double[n * 2];
        final long[] offsets = new long[n + 1];
        final long[] npOffsets = new long[n + 1];
        for (int i = 0; i < n; i++) {
            offsets[i + 1] = offsets[i] + fp.pixelCount(ids[i]);
            npOffsets[i + 1] = npOffsets[i] + fp.neuropilCount(ids[i]);
        }
        final int[] ypix = new int[(int) offsets[n]];
        final int[] xpix = new int[(int) offsets[n]];
        final float[] lam = new float[(int) offsets[n]];
        final int[] neuropil = new int[(int) npOffsets[n]];
        final float[] med = new float[n * 2];
        final int[] npix = new int[n];
        final int[] iplane = new int[n];
        final float[] radius = new float[n];
        final float[] aspect = new float[n];
        final float[] compact = new float[n];
        final float[] skew = new float[n];
        final float[] snr = new float[n];
        final float[] overlap = new float[n];
        final float[] footprint = new float[n];
        for (int i = 0; i < n; i++) {
            final int r = ids[i];
            final float prob = fp.cellProbability(r);
            iscell[2 * i] = prob >= threshold ? 1 : 0;
            iscell[2 * i + 1] = prob;
            int k = (int) offsets[i];
            for (int e = fp.pixelStart(r); e < fp.pixelEnd(r); e++, k++) {
                final int idx = fp.pixelIndex(e);
                ypix[k] = idx / width;
                xpix[k] = idx % width;
                lam[k] = fp.pixelWeight(e);
            }
            int m = (int) npOffsets[i];
            for (int e = fp.neuropilStart(r); e < fp.neuropilEnd(r); e++, m++) {
                neuropil[m] = fp.neuropilIndex(e);
            }
            final RoiStats s = fp.stats(r);
            med[2 * i] = (float) s.centroidY();
            med[2 * i + 1] = (float) s.centroidX();
            npix[i] = s.npix();
            iplane[i] = fp.plane(r);
            radius[i] = (float) s.radius();
            aspect[i] = (float) s.aspectRatio();
            compact[i] = (float) s.compactness();
            skew[i] = (float) s.skewness();
            snr[i] = (float) s.snr();
            overlap[i] = (float) s.overlap();
            footprint[i] = (float) s.footprint();
        }
        NpyFiles.writeFloat64(dir.resolve("iscell.npy"), iscell, n, 2);
        NpyFiles.writeInt64(dir.resolve("stat_offsets.npy"), offsets, n + 1);
        NpyFiles.writeInt32(dir.resolve("stat_ypix.npy"), ypix, ypix.length);
        NpyFiles.writeInt32(dir.resolve("stat_xpix.npy"), xpix, xpix.length);
        NpyFiles.writeFloat32(dir.resolve("stat_lam.npy"), lam, lam.length);
        NpyFiles.writeInt64(dir.resolve("stat_neuropil_offsets.npy"), npOffsets, n + 1);
        NpyFiles.writeInt32(dir.resolve("stat_neuropil_mask.npy"), neuropil, neuropil.length);
        NpyFiles.writeFloat32(dir.resolve("stat_med.npy"), med, n, 2);
        NpyFiles.writeInt32(dir.resolve("stat_npix.npy"), npix, n);
        NpyFiles.writeInt32(dir.resolve("stat_iplane.npy"), iplane, n);
        NpyFiles.writeInt32(dir.resolve("stat_roi_id.npy"), ids, n);
        NpyFiles.writeFloat32(dir.resolve("stat_radius.npy"), radius, n);
        NpyFiles.writeFloat32(dir.resolve("stat_aspect_ratio.npy"), aspect, n);
        NpyFiles.writeFloat32(dir.resolve("stat_compact.npy"), compact, n);
        NpyFiles.writeFloat32(dir.resolve("stat_skew.npy"), skew, n);
        NpyFiles.writeFloat32(dir.resolve("stat_snr.npy"), snr, n);
        NpyFiles.writeFloat32(dir.resolve("stat_overlap.npy"), overlap, n);
        NpyFiles.writeFloat32(dir.resolve("stat_footprint.npy"), footprint, n);
    }

    private static void writeOps(final Path dir, final Footprints fp, final int plane, final int nrois,
                                 final double fs, final long nframes, final long nframesSpks,
                                 final Map<String, ?> config) throws IOException {
        final Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("format", FORMAT);
        ops.put("plane", plane < 0 ? "combined" : plane);
        ops.put("nplanes", fp.planeCount());
        ops.put("Ly", fp.planeHeight());
        ops.put("Lx", fp.planeWidth());
        ops.put("fs", fs);
        ops.put("nrois", nrois);
        ops.put("nframes", nframes);
        ops.put("nframes_spks", nframesSpks);
        ops.put("complete", false);
        ops.put("created", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).toString());
        ops.put("config", config == null ? Map.of() : config);
        JSON.writeValue(dir.resolve("ops.json").toFile(), ops);
    }

    private static void updateOpsFrames(final Path dir, final long nframes, final long nframesSpks)
            throws IOException {
        final Path file = dir.resolve("ops.json");
        final ObjectNode ops = (ObjectNode) JSON.readTree(file.toFile());
        ops.put("nframes", nframes);
        ops.put("nframes_spks", nframesSpks);
        ops.put("complete", true);
        JSON.writeValue(file.toFile(), ops);
    }

    /**
     * Repairs a run's suite2p folder after a crash: every trace file is cut back to its last complete volume and its
     * header rewritten; F, Fneu and dF/F of a folder are then cut to their common length, and spks.npy (which trails
     * by the deconvolution lag) is padded with NaN up to it, so every trace file of a folder has the same shape.
     *
     * @param runDir the run's folder (holding suite2p/)
     * @return one report per folder
     * @throws IOException naming the file that cannot be repaired
     */
    public static List<RepairReport> repair(final Path runDir) throws IOException {
        final Path root = runDir.resolve("suite2p");
        if (!Files.isDirectory(root)) {
            throw new IOException(runDir + " has no suite2p/ folder to repair");
        }
        final List<Path> dirs = new ArrayList<>();
        try (var stream = Files.list(root)) {
            stream.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        final List<RepairReport> reports = new ArrayList<>();
        for (final Path dir : dirs) {
            if (!Files.exists(dir.resolve("F.npy"))) {
                continue;
            }
            final NpyColumnWriter.RepairResult f = NpyColumnWriter.repair(dir.resolve("F.npy"));
            final NpyColumnWriter.RepairResult fneu = NpyColumnWriter.repair(dir.resolve("Fneu.npy"));
            final NpyColumnWriter.RepairResult dff = NpyColumnWriter.repair(dir.resolve("dff.npy"));
            final NpyColumnWriter.RepairResult spks = NpyColumnWriter.repair(dir.resolve("spks.npy"));
            final long frames = Math.min(f.columnsKept(), Math.min(fneu.columnsKept(), dff.columnsKept()));
            for (final String name : List.of("F.npy", "Fneu.npy", "dff.npy")) {
                cutColumns(dir.resolve(name), frames);
            }
            final long spikeFrames = Math.min(spks.columnsKept(), frames);
            cutColumns(dir.resolve("spks.npy"), spikeFrames);
            padColumns(dir.resolve("spks.npy"), frames);
            if (Files.exists(dir.resolve("ops.json"))) {
                updateOpsFrames(dir, frames, spikeFrames);
            }
            reports.add(new RepairReport(dir, frames, spikeFrames,
                    f.bytesCut() + fneu.bytesCut() + dff.bytesCut() + spks.bytesCut()));
        }
        return reports;
    }

    private static void cutColumns(final Path file, final long columns) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            final NpyHeader h = NpyHeader.read(ch, file);
            final long rows = h.shape()[0];
            if (h.shape()[1] > columns) {
                ch.truncate(NpyHeader.SIZE + rows * 4 * columns);
                new NpyHeader("<f4", true, new long[] {rows, columns}, NpyHeader.SIZE).writeTo(ch);
            }
        }
    }

    private static void padColumns(final Path file, final long columns) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            final NpyHeader h = NpyHeader.read(ch, file);
            final long rows = h.shape()[0];
            long have = h.shape()[1];
            if (have >= columns) {
                return;
            }
            final java.nio.ByteBuffer nan = java.nio.ByteBuffer.allocate((int) Math.max(4, rows * 4))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (have < columns) {
                nan.clear();
                for (long i = 0; i < rows; i++) {
                    nan.putFloat(Float.NaN);
                }
                nan.flip();
                long pos = NpyHeader.SIZE + have * rows * 4;
                while (nan.hasRemaining()) {
                    pos += ch.write(nan, pos);
                }
                have++;
            }
            new NpyHeader("<f4", true, new long[] {rows, columns}, NpyHeader.SIZE).writeTo(ch);
            ch.force(true);
        }
    }

    /**
     * What {@link #repair} did to one folder.
     *
     * @param folder the plane (or combined) folder
     * @param framesKept volumes of F, Fneu and dF/F readable now
     * @param spikeFramesKept volumes of final spikes (the rest of spks.npy up to framesKept is NaN)
     * @param bytesCut bytes of torn columns removed
     * <p>Immutable and thread-safe.
     */
    public record RepairReport(Path folder, long framesKept, long spikeFramesKept, long bytesCut) {
    }
}
