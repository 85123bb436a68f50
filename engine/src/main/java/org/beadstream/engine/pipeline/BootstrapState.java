package org.beadstream.engine.pipeline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsCodec;
import org.beadstream.segmentation.summary.SummaryImages;

/**
 * Everything pass 1 (the bootstrap) decides and pass 2 needs: per-plane templates, the footprints after the
 * cross-plane merge, the scan phase, the bootstrap window's volumes and motion, the summary images, the geometry and
 * the rate. A run saves it as {@code checkpoint/bootstrap.bin} so that an interrupted offline run resumes without
 * redoing pass 1, and the distributed engine hands it to its workers through shared storage.
 *
 * <p>File: magic {@code BSBS}, version, the fields in declaration order (big-endian), the footprints
 * ({@link FootprintsCodec}), then a CRC32C of everything before it; written to a temporary name and renamed, so a
 * reader sees a whole file or none. Immutable by convention (arrays shared: do not modify); thread-safe for reading.
 */
public final class BootstrapState {

    /** File name inside the checkpoint folder. */
    public static final String FILE = "bootstrap.bin";

    private static final int MAGIC = 0x42534253; // "BSBS"
    private static final int VERSION = 1;

    private final int planes;
    private final int width;
    private final int height;
    private final double volumeRateHz;
    private final long[] windowVolumes;
    private final double[] scanPhase;
    private final float[][] templates;
    private final float[][] dx;
    private final float[][] dy;
    private final float[][] correlation;
    private final SummaryImages[] summaries;
    private final Footprints footprints;

    /**
     * @param planes        planes per volume
     * @param width         plane width, px
     * @param height        plane height, px
     * @param volumeRateHz  volumes per second
     * @param windowVolumes volume index of every frame of the bootstrap window, ascending
     * @param scanPhase     scan phase per strip used for assembly, px (empty when not corrected)
     * @param templates     per plane; entries {@code null} when motion correction is off
     * @param dx            per plane, rigid x shift of every window volume, px
     * @param dy            per plane, rigid y shift of every window volume, px
     * @param correlation   per plane, correlation with the template of every window volume
     * @param summaries     per plane, summary images of the registered window
     * @param footprints    the footprints after the cross-plane merge
     */
    public BootstrapState(final int planes, final int width, final int height, final double volumeRateHz,
            final long[] windowVolumes, final double[] scanPhase, final float[][] templates, final float[][] dx,
            final float[][] dy, final float[][] correlation, final SummaryImages[] summaries,
            final Footprints footprints) {
        if (planes < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("volume of " + planes + " planes of " + width + " x " + height
                    + " is empty");
        }
        if (!(volumeRateHz > 0) || Double.isInfinite(volumeRateHz)) {
            throw new IllegalArgumentException("volume rate must be finite and > 0 Hz, was " + volumeRateHz);
        }
        final int n = windowVolumes.length;
        if (n < 1) {
            throw new IllegalArgumentException("the bootstrap window is empty");
        }
        for (final Object[] a : new Object[][] {templates, dx, dy, correlation, summaries}) {
            if (a.length != planes) {
                throw new IllegalArgumentException("per-plane array of " + a.length + " entries for " + planes
                        + " planes");
            }
        }
        for (int p = 0; p < planes; p++) {
            if (dx[p].length != n || dy[p].length != n || correlation[p].length != n) {
                throw new IllegalArgumentException("plane " + p + " has motion for " + dx[p].length + " / "
                        + dy[p].length + " / " + correlation[p].length + " window volumes, the window has " + n);
            }
            if (templates[p] != null && templates[p].length != width * height) {
                throw new IllegalArgumentException("template of plane " + p + " has " + templates[p].length
                        + " pixels, planes have " + width * height);
            }
            if (summaries[p].width() != width || summaries[p].height() != height) {
                throw new IllegalArgumentException("summary images of plane " + p + " are " + summaries[p].width()
                        + " x " + summaries[p].height() + ", planes are " + width + " x " + height);
            }
        }
        if (footprints.planeCount() != planes || footprints.planeWidth() != width
                || footprints.planeHeight() != height) {
            throw new IllegalArgumentException("footprints are for " + footprints.planeCount() + " planes of "
                    + footprints.planeWidth() + " x " + footprints.planeHeight() + ", the volume has " + planes
                    + " of " + width + " x " + height);
        }
        this.planes = planes;
        this.width = width;
        this.height = height;
        this.volumeRateHz = volumeRateHz;
        this.windowVolumes = windowVolumes;
        this.scanPhase = Objects.requireNonNull(scanPhase, "scanPhase");
        this.templates = templates;
        this.dx = dx;
        this.dy = dy;
        this.correlation = correlation;
        this.summaries = summaries;
        this.footprints = footprints;
    }

    /**
     * The state of a bootstrap done plane by plane: per-plane results (any order) and the footprints their merge gave.
     */
    public static BootstrapState of(final List<PlaneBootstrap.Result> results, final Footprints footprints,
            final int width, final int height, final double volumeRateHz, final long[] windowVolumes,
            final double[] scanPhase) {
        final int planes = results.size();
        final float[][] t = new float[planes][];
        final float[][] x = new float[planes][];
        final float[][] y = new float[planes][];
        final float[][] c = new float[planes][];
        final SummaryImages[] s = new SummaryImages[planes];
        for (final PlaneBootstrap.Result r : results) {
            if (r.plane() < 0 || r.plane() >= planes || s[r.plane()] != null) {
                throw new IllegalArgumentException("plane results must cover planes 0.." + (planes - 1)
                        + " once each; got plane " + r.plane() + " again or out of range");
            }
            t[r.plane()] = r.template();
            x[r.plane()] = r.dx();
            y[r.plane()] = r.dy();
            c[r.plane()] = r.correlation();
            s[r.plane()] = r.summary();
        }
        return new BootstrapState(planes, width, height, volumeRateHz, windowVolumes, scanPhase, t, x, y, c, s,
                footprints);
    }

    /** Planes per volume. */
    public int planes() {
        return planes;
    }

    /** Plane width, px. */
    public int width() {
        return width;
    }

    /** Plane height, px. */
    public int height() {
        return height;
    }

    /** Volumes per second. */
    public double volumeRateHz() {
        return volumeRateHz;
    }

    /** Index of the first volume of the run (the window's first). */
    public long firstVolume() {
        return windowVolumes[0];
    }

    /** Volume index of every frame of the bootstrap window, ascending (shared: do not modify). */
    public long[] windowVolumes() {
        return windowVolumes;
    }

    /** Scan phase per strip used for assembly, px (shared: do not modify). */
    public double[] scanPhase() {
        return scanPhase;
    }

    /** The registration template of {@code plane}, or {@code null} when motion correction is off. */
    public float[] template(final int plane) {
        return templates[plane];
    }

    /** Rigid x shifts of the window volumes on {@code plane}, px. */
    public float[] windowDx(final int plane) {
        return dx[plane];
    }

    /** Rigid y shifts of the window volumes on {@code plane}, px. */
    public float[] windowDy(final int plane) {
        return dy[plane];
    }

    /** Correlation with the template of the window volumes on {@code plane}. */
    public float[] windowCorrelation(final int plane) {
        return correlation[plane];
    }

    /** Summary images of every plane (shared: do not modify). */
    public SummaryImages[] summaries() {
        return summaries;
    }

    /** The footprints after the cross-plane merge. */
    public Footprints footprints() {
        return footprints;
    }

    /** Writes {@code dir/bootstrap.bin} (the folder is created), atomically. */
    public Path write(final Path dir) throws IOException {
        Files.createDirectories(dir);
        final Path file = dir.resolve(FILE);
        final Path tmp = dir.resolve(FILE + ".tmp");
        final CRC32C crc = new CRC32C();
        try (OutputStream raw = Files.newOutputStream(tmp);
                CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
                DataOutputStream out = new DataOutputStream(checked)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(planes);
            out.writeInt(width);
            out.writeInt(height);
            out.writeDouble(volumeRateHz);
            out.writeInt(windowVolumes.length);
            for (final long v : windowVolumes) {
                out.writeLong(v);
            }
            out.writeInt(scanPhase.length);
            for (final double v : scanPhase) {
                out.writeDouble(v);
            }
            for (int p = 0; p < planes; p++) {
                out.writeBoolean(templates[p] != null);
                if (templates[p] != null) {
                    writeFloats(out, templates[p]);
                }
                writeFloats(out, dx[p]);
                writeFloats(out, dy[p]);
                writeFloats(out, correlation[p]);
                final SummaryImages s = summaries[p];
                out.writeInt(s.frames());
                writeFloats(out, s.mean());
                writeFloats(out, s.max());
                writeFloats(out, s.std());
                writeFloats(out, s.correlation());
                writeFloats(out, s.enhancedMean());
            }
            FootprintsCodec.write(footprints, out);
            out.flush();
            final long sum = crc.getValue();
            new DataOutputStream(raw).writeLong(sum);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }

    /**
     * Reads {@code dir/bootstrap.bin}.
     *
     * @throws IOException naming the file when it is missing, cut short, corrupt (checksum) or of another version
     */
    public static BootstrapState read(final Path dir) throws IOException {
        final Path file = dir.resolve(FILE);
        final CRC32C crc = new CRC32C();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            final CheckedInputStream checked = new CheckedInputStream(raw, crc);
            final DataInputStream in = new DataInputStream(checked);
            if (in.readInt() != MAGIC) {
                throw new IOException(file + ": not a BeadStream bootstrap checkpoint (bad magic)");
            }
            final int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(file + ": bootstrap checkpoint version " + version + ", this build reads "
                        + VERSION);
            }
            final int planes = in.readInt();
            final int width = in.readInt();
            final int height = in.readInt();
            final double rate = in.readDouble();
            if (planes < 1 || width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE) {
                throw new IOException(file + ": corrupt geometry " + planes + " x " + width + " x " + height);
            }
            final int n = in.readInt();
            if (n < 1) {
                throw new IOException(file + ": corrupt window length " + n);
            }
            final long[] window = new long[n];
            for (int i = 0; i < n; i++) {
                window[i] = in.readLong();
            }
            final int strips = in.readInt();
            if (strips < 0 || strips > 1024) {
                throw new IOException(file + ": corrupt scan-phase length " + strips);
            }
            final double[] phase = new double[strips];
            for (int i = 0; i < strips; i++) {
                phase[i] = in.readDouble();
            }
            final float[][] t = new float[planes][];
            final float[][] x = new float[planes][];
            final float[][] y = new float[planes][];
            final float[][] c = new float[planes][];
            final SummaryImages[] s = new SummaryImages[planes];
            final int px = width * height;
            for (int p = 0; p < planes; p++) {
                if (in.readBoolean()) {
                    t[p] = readFloats(in, file, px);
                }
                x[p] = readFloats(in, file, n);
                y[p] = readFloats(in, file, n);
                c[p] = readFloats(in, file, n);
                final int frames = in.readInt();
                s[p] = new SummaryImages(width, height, frames, readFloats(in, file, px), readFloats(in, file, px),
                        readFloats(in, file, px), readFloats(in, file, px), readFloats(in, file, px));
            }
            final Footprints fp = FootprintsCodec.read(in, file.toString());
            final long expected = crc.getValue();
            final long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IOException(file + ": checksum mismatch (stored " + Long.toHexString(stored)
                        + ", computed " + Long.toHexString(expected) + "): the checkpoint is corrupt");
            }
            try {
                return new BootstrapState(planes, width, height, rate, window, phase, t, x, y, c, s, fp);
            } catch (final IllegalArgumentException e) {
                throw new IOException(file + ": inconsistent checkpoint: " + e.getMessage(), e);
            }
        } catch (final NoSuchFileException e) {
            throw new IOException(file + ": no bootstrap checkpoint there", e);
        } catch (final EOFException e) {
            throw new IOException(file + ": bootstrap checkpoint is cut short", e);
        }
    }

    private static void writeFloats(final DataOutputStream out, final float[] a) throws IOException {
        out.writeInt(a.length);
        for (final float v : a) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(final DataInputStream in, final Path file, final int expected)
            throws IOException {
        final int n = in.readInt();
        if (n != expected) {
            throw new IOException(file + ": array of " + n + " values where " + expected + " belong");
        }
        final float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
