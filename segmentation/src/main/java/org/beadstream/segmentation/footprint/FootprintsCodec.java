package org.beadstream.segmentation.footprint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * Writes {@link Footprints} to a binary stream and reads them back bit for bit (for checkpoints of an offline run and
 * for handing footprints to the workers of a distributed run), builds them from arrays read back from a run's files,
 * and cuts one plane's ROIs out as a one-plane set.
 *
 * <p>Stream layout (big-endian, as {@link DataOutput} writes): magic {@code BSFP}, version, plane width, height and
 * count, ROI count, entry counts, then the arrays of the compressed-sparse-row layout in the order of
 * {@link Footprints}' fields, then every ROI's statistics. Stateless and thread-safe.
 */
public final class FootprintsCodec {

    private static final int MAGIC = 0x42534650; // "BSFP"
    private static final int VERSION = 1;

    private FootprintsCodec() {
    }

    /** Writes {@code fp} to {@code out}. */
    public static void write(final Footprints fp, final DataOutput out) throws IOException {
        final int n = fp.roiCount();
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(fp.planeWidth());
        out.writeInt(fp.planeHeight());
        out.writeInt(fp.planeCount());
        out.writeInt(n);
        out.writeInt(fp.pixelCount());
        out.writeInt(fp.neuropilPixelCount());
        for (int r = 0; r < n; r++) {
            out.writeInt(fp.plane(r));
        }
        for (int r = 0; r < n; r++) {
            out.writeInt(fp.pixelStart(r));
        }
        out.writeInt(fp.pixelCount());
        for (int e = 0; e < fp.pixelCount(); e++) {
            out.writeInt(fp.pixelIndex(e));
        }
        for (int e = 0; e < fp.pixelCount(); e++) {
            out.writeFloat(fp.pixelWeight(e));
        }
        for (int r = 0; r < n; r++) {
            out.writeInt(fp.neuropilStart(r));
        }
        out.writeInt(fp.neuropilPixelCount());
        for (int e = 0; e < fp.neuropilPixelCount(); e++) {
            out.writeInt(fp.neuropilIndex(e));
        }
        for (int r = 0; r < n; r++) {
            out.writeFloat(fp.cellProbability(r));
        }
        for (int r = 0; r < n; r++) {
            final RoiStats s = fp.stats(r);
            out.writeDouble(s.centroidX());
            out.writeDouble(s.centroidY());
            out.writeDouble(s.radius());
            out.writeDouble(s.aspectRatio());
            out.writeDouble(s.compactness());
            out.writeDouble(s.skewness());
            out.writeDouble(s.snr());
            out.writeDouble(s.overlap());
            out.writeInt(s.npix());
            out.writeDouble(s.footprint());
        }
    }

    /**
     * Reads footprints written by {@link #write}.
     *
     * @param source names the stream in error messages (a file path)
     * @throws IOException when the stream is not footprints, is of another version, or its sizes disagree
     */
    public static Footprints read(final DataInput in, final String source) throws IOException {
        final int magic = in.readInt();
        if (magic != MAGIC) {
            throw new IOException(source + ": not a BeadStream footprints record (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC) + ")");
        }
        final int version = in.readInt();
        if (version != VERSION) {
            throw new IOException(source + ": footprints record version " + version + ", this build reads "
                    + VERSION);
        }
        final int w = in.readInt();
        final int h = in.readInt();
        final int planes = in.readInt();
        final int n = in.readInt();
        final int nnz = in.readInt();
        final int nnzNp = in.readInt();
        if (w < 1 || h < 1 || planes < 1 || n < 0 || nnz < 0 || nnzNp < 0) {
            throw new IOException(source + ": footprints header is corrupt (" + w + " x " + h + " x " + planes
                    + ", " + n + " ROIs, " + nnz + " pixels, " + nnzNp + " neuropil pixels)");
        }
        final int[] plane = readInts(in, n);
        final int[] offsets = readInts(in, n + 1);
        final int[] indices = readInts(in, nnz);
        final float[] weights = readFloats(in, nnz);
        final int[] npOffsets = readInts(in, n + 1);
        final int[] npIndices = readInts(in, nnzNp);
        final float[] prob = readFloats(in, n);
        final RoiStats[] stats = new RoiStats[n];
        for (int r = 0; r < n; r++) {
            stats[r] = new RoiStats(in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble(), in.readInt(),
                    in.readDouble());
        }
        try {
            return new Footprints(w, h, planes, plane, offsets, indices, weights, npOffsets, npIndices, prob, stats);
        } catch (final IllegalArgumentException e) {
            throw new IOException(source + ": footprints record is inconsistent: " + e.getMessage(), e);
        }
    }

    /**
     * Footprints from their arrays (the {@link Footprints} layout), e.g. as read back from a run's files; validated
     * as the constructor does.
     *
     * @throws IllegalArgumentException naming the inconsistency
     */
    public static Footprints of(final int planeWidth, final int planeHeight, final int planeCount,
            final int[] roiPlane, final int[] pixelOffsets, final int[] pixelIndices, final float[] pixelWeights,
            final int[] neuropilOffsets, final int[] neuropilIndices, final float[] cellProbability,
            final RoiStats[] stats) {
        return new Footprints(planeWidth, planeHeight, planeCount, roiPlane.clone(), pixelOffsets.clone(),
                pixelIndices.clone(), pixelWeights.clone(), neuropilOffsets.clone(), neuropilIndices.clone(),
                cellProbability.clone(), stats.clone());
    }

    /**
     * The ROIs of {@code plane} as a one-plane set (every ROI on plane 0, pixel lists unchanged, ROI order kept): what a
     * worker that registers and extracts a single plane needs. ROI {@code k} of the result is
     * {@code fp.roisOnPlane(plane)[k]}.
     */
    public static Footprints onePlane(final Footprints fp, final int plane) {
        if (plane < 0 || plane >= fp.planeCount()) {
            throw new IllegalArgumentException("plane " + plane + " is outside 0.." + (fp.planeCount() - 1));
        }
        final Footprints sel = fp.select(fp.roisOnPlane(plane));
        return new Footprints(sel.planeWidth(), sel.planeHeight(), 1, new int[sel.roiCount()], sel.pixelOffsets(),
                sel.pixelIndices(), sel.pixelWeights(), sel.neuropilOffsets(), sel.neuropilIndices(),
                sel.cellProbabilities(), statsOf(sel));
    }

    private static RoiStats[] statsOf(final Footprints fp) {
        final RoiStats[] s = new RoiStats[fp.roiCount()];
        for (int r = 0; r < s.length; r++) {
            s[r] = fp.stats(r);
        }
        return s;
    }

    private static int[] readInts(final DataInput in, final int n) throws IOException {
        final int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static float[] readFloats(final DataInput in, final int n) throws IOException {
        final float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
