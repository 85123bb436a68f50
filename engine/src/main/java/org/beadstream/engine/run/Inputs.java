package org.beadstream.engine.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.record.RawRecordingSource;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.tiff.TiffReader;
import org.beadstream.acquisition.tiff.TiffStackSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.pipeline.Pipelines;

/**
 * Opens what {@code reprocess} is given: a BeadStream raw recording ({@code .bsraw} files or their folder), ScanImage
 * (Big)TIFF files (planes, rates and ROI strips from the metadata), or plain TIFF stacks from any microscope (planes
 * and volume rate from the options), and works out how its pages assemble into planes. Stateless and thread-safe.
 */
public final class Inputs {

    /** Raw-recording metadata keys that carry the page layout and the rig's calibration. */
    static final String STRIPS = "strips";
    static final String STRIP_HEIGHT = "strip_height";
    static final String FLY_TO = "fly_to_lines";
    static final String TRIM_LEFT = "trim_left";
    static final String TRIM_RIGHT = "trim_right";
    static final String CHANNEL_TO_DEPTH = "channel_to_depth";
    static final String OFFSET_X = "plane_offset_x_px";
    static final String OFFSET_Y = "plane_offset_y_px";

    /**
     * An opened input.
     *
     * @param source      the open source (the caller closes it)
     * @param layout      where the strips lie in its pages
     * @param calibration channel-to-depth order and per-plane offsets
     * @param kind        "raw", "scanimage" or "tiff"
     * @param frames      pages in the input, or -1 when unknown
     */
    public record Input(FrameSource source, AssemblyLayout layout, PlaneCalibration calibration, String kind,
            long frames) {
    }

    private Inputs() {
    }

    /** The metadata a raw recording of this simulation carries so that it can be reprocessed on its own. */
    public static Map<String, Object> recordingMetadata(final LbmSimulation sim) {
        final Map<String, Object> m = new LinkedHashMap<>();
        final var l = sim.layout();
        m.put(STRIPS, l.strips());
        m.put(STRIP_HEIGHT, l.stripHeight());
        m.put(FLY_TO, l.flyToLines());
        m.put(TRIM_LEFT, l.trimLeft());
        m.put(TRIM_RIGHT, l.trimRight());
        final PlaneCalibration c = Pipelines.calibrationOf(sim);
        m.put(CHANNEL_TO_DEPTH, toList(c.channelToDepth()));
        final List<Double> dx = new ArrayList<>();
        final List<Double> dy = new ArrayList<>();
        for (int d = 0; d < c.planes(); d++) {
            dx.add(c.dx(d));
            dy.add(c.dy(d));
        }
        m.put(OFFSET_X, dx);
        m.put(OFFSET_Y, dy);
        return m;
    }

    /**
     * Opens {@code paths}.
     *
     * @param planes planes per volume for plain TIFF stacks (0: 1, or ScanImage's channels)
     * @param rateHz volume rate for plain TIFF stacks (0: unknown, an error for TIFF without metadata)
     * @throws IllegalArgumentException naming the path and what is wrong
     */
    public static Input open(final List<Path> paths, final ResolvedConfig cfg, final int planes, final double rateHz) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no input given");
        }
        for (final Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException(p + ": no such file or folder");
            }
        }
        final Path first = paths.get(0);
        if (isRaw(first)) {
            return openRaw(first, cfg);
        }
        final List<Path> files = new ArrayList<>();
        for (final Path p : paths) {
            if (Files.isDirectory(p)) {
                files.addAll(tiffsIn(p));
            } else {
                files.add(p);
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(first + ": holds no .tif/.tiff files and no .bsraw recording");
        }
        final boolean scanImage;
        try (TiffReader r = TiffReader.open(files.get(0))) {
            scanImage = ScanImageMetadata.isScanImage(r);
        }
        if (scanImage) {
            final ScanImageSource s = new ScanImageSource(files, planes);
            s.open();
            try {
                final FrameGeometry g = s.geometry();
                final int trim = cfg.getInt("assembly.trim_px");
                final AssemblyLayout layout = s.metadata().scanFields().size() > 1
                        ? AssemblyLayout.of(s.metadata(), g, trim, trim)
                        : AssemblyLayout.uniform(1, g.width(), g.height(), 0, trim, trim);
                if (!(g.volumeRateHz() > 0) && !(rateHz > 0)) {
                    throw new IllegalArgumentException(files.get(0) + ": the ScanImage header gives no volume rate;"
                            + " give --rate");
                }
                return new Input(s, layout, calibration(cfg, g.planes(), null), "scanimage", s.pageCount());
            } catch (final RuntimeException e) {
                s.close();
                throw e;
            }
        }
        if (!(rateHz > 0)) {
            throw new IllegalArgumentException(files.get(0) + ": a plain TIFF stack carries no volume rate; give "
                    + "--rate HZ (and --planes N when planes are interleaved)");
        }
        final TiffStackSource s = new TiffStackSource(files, Math.max(1, planes), rateHz);
        s.open();
        final FrameGeometry g = s.geometry();
        final int trim = cfg.getInt("assembly.trim_px");
        return new Input(s, AssemblyLayout.uniform(1, g.width(), g.height(), 0, trim, trim),
                calibration(cfg, g.planes(), null), "tiff", s.pageCount());
    }

    private static Input openRaw(final Path path, final ResolvedConfig cfg) {
        final RawRecordingSource s = new RawRecordingSource(path);
        s.open();
        try {
            final FrameGeometry g = s.geometry();
            final Map<String, Object> m = s.metadata();
            final int strips = intOr(m, STRIPS, 1);
            final int stripHeight = intOr(m, STRIP_HEIGHT, g.height());
            final int trim = cfg.getInt("assembly.trim_px");
            final AssemblyLayout layout = AssemblyLayout.uniform(strips, g.width(), stripHeight, intOr(m, FLY_TO, 0),
                    intOr(m, TRIM_LEFT, 0) + trim, intOr(m, TRIM_RIGHT, 0) + trim);
            PlaneCalibration recorded = null;
            if (m.get(CHANNEL_TO_DEPTH) instanceof List<?> order && m.get(OFFSET_X) instanceof List<?> dx
                    && m.get(OFFSET_Y) instanceof List<?> dy) {
                recorded = new PlaneCalibration(order.stream().mapToInt(o -> ((Number) o).intValue()).toArray(),
                        dx.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray(),
                        dy.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray());
            }
            final long frames = RawRecordingSource.scan(path, false).frames();
            return new Input(s, layout, calibration(cfg, g.planes(), recorded), "raw", frames);
        } catch (final RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * The calibration: the file named by {@code assembly.plane_offsets_file} if any, else the one recorded with the
     * data, else {@code acquisition.plane_order} (or identity) without offsets.
     */
    static PlaneCalibration calibration(final ResolvedConfig cfg, final int planes, final PlaneCalibration recorded) {
        final String file = cfg.getText("assembly.plane_offsets_file");
        if (file != null && !file.isBlank()) {
            return PlaneCalibration.read(Path.of(file), planes);
        }
        if (recorded != null) {
            return recorded;
        }
        final int[] order = cfg.getIntList("acquisition.plane_order");
        if (order == null) {
            return PlaneCalibration.identity(planes);
        }
        if (order.length != planes) {
            throw new IllegalArgumentException("acquisition.plane_order lists " + order.length + " channels but the "
                    + "input has " + planes + " planes");
        }
        return new PlaneCalibration(order, new double[planes], new double[planes]);
    }

    private static boolean isRaw(final Path p) {
        if (p.getFileName() != null && p.getFileName().toString().endsWith(".bsraw")) {
            return true;
        }
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".bsraw"));
        } catch (final IOException e) {
            throw new UncheckedIOException(p + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    private static List<Path> tiffsIn(final Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> {
                final String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".tif") || n.endsWith(".tiff");
            }).sorted().toList();
        } catch (final IOException e) {
            throw new UncheckedIOException(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    private static int intOr(final Map<String, Object> m, final String key, final int fallback) {
        return m.get(key) instanceof Number n ? n.intValue() : fallback;
    }

    private static List<Integer> toList(final int[] a) {
        final List<Integer> l = new ArrayList<>();
        for (final int x : a) {
            l.add(x);
        }
        return l;
    }
}
