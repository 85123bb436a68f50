package org.beadstream.traces.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsCodec;
import org.beadstream.segmentation.footprint.RoiStats;

/**
 * Reads back what {@link Suite2pLayoutSink} wrote: the footprints of every ROI (from {@code suite2p/combined/}, in the
 * run's global ROI order) and the per-plane images ({@code suite2p/plane<k>/meanImg.npy} and the others), so a later
 * command (matching sessions, exporting) can work from a finished run's folder alone.
 *
 * <p>Stateless and thread-safe.
 */
public final class Suite2pLayoutReader {

    /** Per-plane images a processing run writes beside the traces (float32, Ly x Lx, suite2p's names). */
    public static final String[] IMAGES = {"meanImg", "meanImgE", "Vcorr", "max_proj"};

    private Suite2pLayoutReader() {
    }

    /**
     * The footprints of a run.
     *
     * @param runDir the run's folder (holding {@code suite2p/combined/})
     * @throws IOException naming the file when one is missing or the files disagree
     */
    public static Footprints footprints(final Path runDir) throws IOException {
        final Path dir = runDir.resolve("suite2p").resolve("combined");
        final Path opsFile = dir.resolve("ops.json");
        if (!Files.isRegularFile(opsFile)) {
            throw new IOException(runDir + " holds no BeadStream suite2p output (" + opsFile + " is missing)");
        }
        final JsonNode ops = new ObjectMapper().readTree(opsFile.toFile());
        final int lx = ops.path("Lx").asInt(0);
        final int ly = ops.path("Ly").asInt(0);
        final int planes = ops.path("nplanes").asInt(0);
        if (lx < 1 || ly < 1 || planes < 1) {
            throw new IOException(opsFile + ": Lx, Ly and nplanes must be positive, were " + lx + ", " + ly + ", "
                    + planes);
        }
        final long[] offsets = NpyFiles.readInt64(dir.resolve("stat_offsets.npy"));
        final int n = offsets.length - 1;
        final int[] ypix = NpyFiles.readInt32(dir.resolve("stat_ypix.npy"));
        final int[] xpix = NpyFiles.readInt32(dir.resolve("stat_xpix.npy"));
        final float[] lam = NpyFiles.readFloat32(dir.resolve("stat_lam.npy"));
        final long[] npOffsets = NpyFiles.readInt64(dir.resolve("stat_neuropil_offsets.npy"));
        final int[] npMask = NpyFiles.readInt32(dir.resolve("stat_neuropil_mask.npy"));
        final int[] iplane = NpyFiles.readInt32(dir.resolve("stat_iplane.npy"));
        final double[] iscell = NpyFiles.readFloat64(dir.resolve("iscell.npy"));
        if (n < 0 || offsets[n] != ypix.length || xpix.length != ypix.length || lam.length != ypix.length
                || npOffsets.length != n + 1 || npOffsets[n] != npMask.length || iplane.length != n
                || iscell.length != 2L * n) {
            throw new IOException(dir + ": the stat_*.npy and iscell.npy files disagree on the ROI and pixel counts");
        }
        final float[] med = NpyFiles.readFloat32(dir.resolve("stat_med.npy"));
        final float[] radius = readOrNaN(dir, "stat_radius.npy", n);
        final float[] aspect = readOrNaN(dir, "stat_aspect_ratio.npy", n);
        final float[] compact = readOrNaN(dir, "stat_compact.npy", n);
        final float[] skew = readOrNaN(dir, "stat_skew.npy", n);
        final float[] snr = readOrNaN(dir, "stat_snr.npy", n);
        final float[] overlap = readOrNaN(dir, "stat_overlap.npy", n);
        final float[] footprint = readOrNaN(dir, "stat_footprint.npy", n);
        final int[] pixelOffsets = new int[n + 1];
        final int[] npixOffsets = new int[n + 1];
        final int[] index = new int[ypix.length];
        final float[] prob = new float[n];
        final RoiStats[] stats = new RoiStats[n];
        for (int r = 0; r < n; r++) {
            pixelOffsets[r + 1] = Math.toIntExact(offsets[r + 1]);
            npixOffsets[r + 1] = Math.toIntExact(npOffsets[r + 1]);
            for (int e = pixelOffsets[r]; e < pixelOffsets[r + 1]; e++) {
                if (xpix[e] < 0 || xpix[e] >= lx || ypix[e] < 0 || ypix[e] >= ly) {
                    throw new IOException(dir + ": ROI " + r + " has pixel (" + xpix[e] + ", " + ypix[e]
                            + ") outside the " + lx + " x " + ly + " plane");
                }
                index[e] = ypix[e] * lx + xpix[e];
            }
            prob[r] = (float) iscell[2 * r + 1];
            stats[r] = new RoiStats(med[2 * r + 1], med[2 * r], radius[r], aspect[r], compact[r], skew[r], snr[r],
                    overlap[r], pixelOffsets[r + 1] - pixelOffsets[r], footprint[r]);
        }
        try {
            return FootprintsCodec.of(lx, ly, planes, iplane, pixelOffsets, index, lam, npixOffsets, npMask, prob,
                    stats);
        } catch (final IllegalArgumentException e) {
            throw new IOException(dir + ": inconsistent ROI files: " + e.getMessage(), e);
        }
    }

    /**
     * One plane's image ({@link #IMAGES}) of a run, row-major Ly x Lx.
     *
     * @throws IOException naming the file when it is missing or not a 2-D float32 array
     */
    public static float[] image(final Path runDir, final int plane, final String name) throws IOException {
        final Path f = runDir.resolve("suite2p").resolve("plane" + plane).resolve(name + ".npy");
        if (!Files.isRegularFile(f)) {
            throw new IOException(f + " is missing (runs before this version did not write plane images)");
        }
        final NpyHeader h = NpyFiles.header(f);
        if (!"<f4".equals(h.descr()) || h.shape().length != 2 || h.fortranOrder()) {
            throw new IOException(f + ": expected a C-order float32 (Ly, Lx) image, found " + h);
        }
        return NpyFiles.readFloat32(f);
    }

    private static float[] readOrNaN(final Path dir, final String name, final int n) throws IOException {
        final Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            final float[] a = new float[n];
            java.util.Arrays.fill(a, Float.NaN);
            return a;
        }
        final float[] a = NpyFiles.readFloat32(f);
        if (a.length != n) {
            throw new IOException(f + " holds " + a.length + " values for " + n + " ROIs");
        }
        return a;
    }
}
