package org.beadstream.acquisition.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.beadstream.acquisition.io.Npy;

/**
 * Writes a simulation's ground truth to a folder: .npy arrays (C order, little-endian) and one truth.json describing
 * the parameters, the models and every file (name, shape, dtype, units). Large matrices (F, dF/F) are streamed block
 * by block of neurons, so a million neurons never need their traces in memory at once.
 *
 * <p>Not thread-safe; one writer per call.
 */
final class GroundTruthWriter {

    /** Version of the truth folder layout; bump when files change. */
    static final int FORMAT_VERSION = 1;

    private static final int BLOCK_ELEMENTS = 1 << 22;

    private final LbmSimulation sim;
    private final List<Map<String, Object>> files = new ArrayList<>();

    GroundTruthWriter(final LbmSimulation sim) {
        this.sim = sim;
    }

    void write(final Path dir, final long volumesLong) {
        if (volumesLong < 0 || volumesLong > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot write truth for " + volumesLong + " volumes");
        }
        final int volumes = (int) volumesLong;
        try {
            Files.createDirectories(dir);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create truth folder " + dir + ": " + e.getMessage(), e);
        }
        final SimulationParameters p = sim.parameters();
        final LbmLayout lay = sim.layout();
        final int planes = p.planes();
        final NeuronTable nt = sim.neurons();
        final int n = nt.count();

        // neurons
        final String[] cols = {"id", "x_px", "y_px", "z_um", "x_um", "y_um", "radius0_um", "radius1_um",
            "radius2_um", "q_w", "q_x", "q_y", "q_z", "first_depth", "last_depth", "baseline_photons",
            "spike_rate_hz", "tau_decay_s", "coupling", "z_depth"};
        final double[] table = new double[n * cols.length];
        for (int i = 0; i < n; i++) {
            final double[] row = {i, nt.xPx(i), nt.yPx(i), nt.zUm(i), nt.xUm(i), nt.yUm(i), nt.radiusUm(i, 0),
                nt.radiusUm(i, 1), nt.radiusUm(i, 2), nt.orientation(i, 0), nt.orientation(i, 1),
                nt.orientation(i, 2), nt.orientation(i, 3), nt.firstDepth(i), nt.lastDepth(i),
                nt.baselinePhotons(i), nt.spikeRateHz(i), nt.tauDecayS(i), nt.coupling(i),
                nt.zUm(i) / p.planeSpacingUm()};
            System.arraycopy(row, 0, table, i * cols.length, cols.length);
        }
        Npy.write(dir.resolve("neurons.npy"), table, n, cols.length);
        file("neurons.npy", new long[] {n, cols.length}, "float64", "see columns",
                "one row per neuron; columns: " + String.join(", ", cols)
                        + " (x/y in world pixels of the shallowest plane, pixel i spans [i, i+1); z below depth 0;"
                        + " radii are the soma semi-axes in its body frame, rotated by quaternion q; depths are"
                        + " depth indices, see plane_order.npy; z_depth is z in plane spacings, the axial analogue of"
                        + " x_px)");

        // footprints
        long nnz = 0;
        final PlaneFootprints[] fps = new PlaneFootprints[planes];
        for (int c = 0; c < planes; c++) {
            fps[c] = sim.footprints(c);
            nnz += fps[c].nonZeros();
        }
        try (Npy.Writer idx = new Npy.Writer(dir.resolve("footprints_index.npy"), Npy.DType.INT32, nnz, 4);
                Npy.Writer wts = new Npy.Writer(dir.resolve("footprints_weight.npy"), Npy.DType.FLOAT32, nnz)) {
            final int[] quad = new int[4];
            final float[] one = new float[1];
            for (int c = 0; c < planes; c++) {
                final PlaneFootprints f = fps[c];
                for (int k = 0; k < f.count(); k++) {
                    for (int e = f.start(k); e < f.end(k); e++) {
                        quad[0] = f.neuron(k);
                        quad[1] = c;
                        quad[2] = f.pixel(e) / f.width();
                        quad[3] = f.pixel(e) % f.width();
                        idx.write(quad, 0, 4);
                        one[0] = f.weight(e);
                        wts.write(one, 0, 1);
                    }
                }
            }
        }
        file("footprints_index.npy", new long[] {nnz, 4}, "int32", "neuron id, plane, y px, x px",
                "sparse footprints (COO): one row per (neuron, plane, pixel) in the plane's assembled coordinates,"
                        + " without motion");
        file("footprints_weight.npy", new long[] {nnz}, "float32", "fraction (0..1]",
                "weight of each footprints_index row: a pixel's soma signal is F times this weight");

        // traces, streamed by neuron blocks
        final int block = Math.max(1, volumes == 0 ? n : Math.min(n, BLOCK_ELEMENTS / volumes));
        long events = 0;
        final double[] drive = new double[volumes];
        for (int v = 0; v < volumes; v++) {
            drive[v] = sim.activity.drive(v);
        }
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < volumes; v++) {
                if (sim.activity.spikes(i, v, drive[v]) > 0) {
                    events++;
                }
            }
        }
        try (Npy.Writer fw = new Npy.Writer(dir.resolve("F.npy"), Npy.DType.FLOAT32, n, volumes);
                Npy.Writer dw = new Npy.Writer(dir.resolve("dff.npy"), Npy.DType.FLOAT32, n, volumes);
                Npy.Writer sw = new Npy.Writer(dir.resolve("spikes.npy"), Npy.DType.INT32, events, 3)) {
            final int[] triple = new int[3];
            for (int from = 0; from < n; from += block) {
                final int to = Math.min(n, from + block);
                final ActivityTraces t = sim.activity(from, to, volumes);
                fw.write(t.fluorescence(), 0, t.fluorescence().length);
                dw.write(t.dff(), 0, t.dff().length);
                for (int k = 0; k < t.neurons(); k++) {
                    for (int v = 0; v < volumes; v++) {
                        final int cnt = t.spikes(k, v);
                        if (cnt > 0) {
                            triple[0] = from + k;
                            triple[1] = v;
                            triple[2] = cnt;
                            sw.write(triple, 0, 3);
                        }
                    }
                }
            }
        }
        file("F.npy", new long[] {n, volumes}, "float32", "photons per pixel per frame at footprint weight 1",
                "true fluorescence F = F0 (1 + dF/F) bleach(volume); ADU = gain x F x weight (suite2p F.npy layout)");
        file("dff.npy", new long[] {n, volumes}, "float32", "dimensionless",
                "true dF/F from activity alone (no bleaching, no neuropil)");
        file("spikes.npy", new long[] {events, 3}, "int32", "neuron id, volume, spike count",
                "every (neuron, volume) with at least one spike, sorted by neuron then volume");

        // motion
        final float[] shifts = new float[volumes * planes * 2];
        final float[] coeffs = new float[volumes * planes * 2 * MotionModel.TERMS];
        final double[] population = new double[volumes * 3];
        for (int v = 0; v < volumes; v++) {
            for (int c = 0; c < planes; c++) {
                final double[] r = sim.rigidShiftPx(v, c);
                shifts[(v * planes + c) * 2] = (float) r[0];
                shifts[(v * planes + c) * 2 + 1] = (float) r[1];
                final float[] co = sim.nonrigidCoefficients(v, c);
                System.arraycopy(co, 0, coeffs, (v * planes + c) * 2 * MotionModel.TERMS, co.length);
            }
            population[v * 3] = sim.populationDrive(v);
            population[v * 3 + 1] = sim.neuropilLevel(v);
            population[v * 3 + 2] = sim.bleachFactor(v);
        }
        Npy.write(dir.resolve("rigid_shifts.npy"), shifts, volumes, planes, 2);
        file("rigid_shifts.npy", new long[] {volumes, planes, 2}, "float32", "pixels (x, y)",
                "rigid displacement of the tissue in each frame: frame(x, y) = scene(x - dx, y - dy);"
                        + " register by shifting the frame by (-dx, -dy)");
        Npy.write(dir.resolve("nonrigid_coeffs.npy"), coeffs, volumes, planes, 2, MotionModel.TERMS);
        file("nonrigid_coeffs.npy", new long[] {volumes, planes, 2, MotionModel.TERMS}, "float32", "pixels",
                "non-rigid coefficients a[axis][k]; displacement u_axis(x, y) = sum_k a[axis][k]"
                        + " cos(pi kx (xc + 0.5) / W) cos(pi ky (y + 0.5) / H), xc = 16 floor(x / 16) + 7.5,"
                        + " (kx, ky) from truth.json motion.nonrigid.basis; added to the rigid displacement");
        Npy.write(dir.resolve("population.npy"), population, volumes, 3);
        file("population.npy", new long[] {volumes, 3}, "float64", "dimensionless",
                "per volume: shared population drive in [-1, 1], neuropil level, photobleaching factor");

        // planes and strips
        final double[] phase = new double[p.strips()];
        for (int s = 0; s < phase.length; s++) {
            phase[s] = sim.scanPhasePx(s);
        }
        Npy.write(dir.resolve("scan_phase.npy"), phase, phase.length);
        file("scan_phase.npy", new long[] {phase.length}, "float64", "pixels",
                "per strip: odd (reverse) lines show the content displaced by +phase along x");
        final int[] order = sim.planeOrder();
        Npy.write(dir.resolve("plane_order.npy"), order, planes);
        file("plane_order.npy", new long[] {planes}, "int32", "depth index",
                "depth index (0 = shallowest) of each plane in acquisition (channel) order");
        final double[] offsets = new double[planes * 2];
        final double[] depths = new double[planes];
        for (int c = 0; c < planes; c++) {
            final double[] o = sim.planeOffsetPx(c);
            offsets[2 * c] = o[0];
            offsets[2 * c + 1] = o[1];
            depths[c] = sim.planeDepthUm(c);
        }
        Npy.write(dir.resolve("plane_offsets.npy"), offsets, planes, 2);
        file("plane_offsets.npy", new long[] {planes, 2}, "float64", "pixels (x, y)",
                "calibration offset of each plane: its pixel (x, y) sees world point (x + ox, y + oy)");
        Npy.write(dir.resolve("plane_depth_um.npy"), depths, planes);
        file("plane_depth_um.npy", new long[] {planes}, "float64", "micrometres", "depth of each plane (channel)");

        final int pw = lay.planeWidth();
        final int ph = lay.planeHeight();
        try (Npy.Writer rw = new Npy.Writer(dir.resolve("resting_planes.npy"), Npy.DType.FLOAT32, planes, ph, pw)) {
            final float[] img = new float[pw * ph];
            for (int c = 0; c < planes; c++) {
                final float[] st = sim.staticScene[c];
                final float[] np = sim.neuropilScene[c];
                for (int y = 0; y < ph; y++) {
                    for (int x = 0; x < pw; x++) {
                        final int k = (y + sim.pad) * sim.sceneWidth + x + sim.pad;
                        img[y * pw + x] = sim.offset + sim.gain * (st[k] + np[k]);
                    }
                }
                rw.write(img, 0, img.length);
            }
        }
        file("resting_planes.npy", new long[] {planes, ph, pw}, "float32", "ADU",
                "each plane at rest: offset + gain (background + neuropil + resting somata), no activity, motion,"
                        + " bleaching or noise");

        writeJson(dir, volumes);
    }

    private void file(final String name, final long[] shape, final String dtype, final String units,
            final String description) {
        final Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("shape", shape);
        m.put("dtype", dtype);
        m.put("units", units);
        m.put("description", description);
        files.add(m);
    }

    private void writeJson(final Path dir, final int volumes) {
        final SimulationParameters p = sim.parameters();
        final LbmLayout lay = sim.layout();
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "beadstream-sim-truth");
        root.put("format_version", FORMAT_VERSION);
        root.put("volumes", volumes);
        root.put("neurons", sim.neurons().count());
        root.put("crowded_placements", sim.neurons().crowdedPlacements());
        root.put("parameters", p);

        final Map<String, Object> geometry = new LinkedHashMap<>();
        geometry.put("page_width", lay.pageWidth());
        geometry.put("page_height", lay.pageHeight());
        geometry.put("plane_width", lay.planeWidth());
        geometry.put("plane_height", lay.planeHeight());
        geometry.put("planes", lay.planes());
        geometry.put("interleaving", "page k = volume k / planes, plane k % planes (plane-fastest)");
        geometry.put("fly_to_lines", lay.flyToLines());
        geometry.put("trim_left", lay.trimLeft());
        geometry.put("trim_right", lay.trimRight());
        geometry.put("reverse_lines", "odd rows r of each strip (r % 2 == 1) carry the scan phase");
        final List<Map<String, Object>> strips = new ArrayList<>();
        for (int s = 0; s < lay.strips(); s++) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", s);
            m.put("first_line", lay.stripFirstLine(s));
            m.put("lines", lay.stripHeight());
            m.put("kept_columns", new int[] {lay.trimLeft(), lay.stripWidth() - lay.trimRight()});
            m.put("assembled_first_column", s * lay.usefulWidth());
            m.put("scan_phase_px", sim.scanPhasePx(s));
            strips.add(m);
        }
        geometry.put("strips", strips);
        root.put("geometry", geometry);

        final List<Map<String, Object>> planes = new ArrayList<>();
        for (int c = 0; c < p.planes(); c++) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("plane", c);
            m.put("depth_index", sim.planeOrder()[c]);
            m.put("depth_um", sim.planeDepthUm(c));
            m.put("offset_px", sim.planeOffsetPx(c));
            planes.add(m);
        }
        root.put("planes", planes);

        final Map<String, Object> units = new LinkedHashMap<>();
        units.put("lateral", p.pixelSizeUm() + " um per pixel");
        units.put("axial", "depth in um below the shallowest plane; planes " + p.planeSpacingUm() + " um apart");
        units.put("time", "volume v starts at t = v / volumeRateHz s; plane c of it at (v + c / planes) / volumeRateHz");
        units.put("brightness", "photons per pixel per frame; ADU = offsetAdu + gainAduPerPhoton x photons (+ noise)");
        root.put("units", units);

        final Map<String, Object> motion = new LinkedHashMap<>();
        motion.put("convention", "frame(x, y) = scene(x - ux(x, y), y - uy(x, y)); u = rigid + non-rigid");
        final Map<String, Object> rigid = new LinkedHashMap<>();
        rigid.put("formula", "u_axis(t) = amplitude sum_k w_k sin(2 pi t / T_k + phi_k) + jitter, jitter ~ N(0, sd)"
                + " clipped at 4 sd, t = (v + c / planes) / rate");
        rigid.put("periods_s_x_then_y", sim.motion.rigidPeriods());
        rigid.put("phases_rad_x_then_y", sim.motion.rigidPhases());
        rigid.put("weights_x_then_y", sim.motion.rigidWeights());
        motion.put("rigid", rigid);
        final Map<String, Object> nonrigid = new LinkedHashMap<>();
        nonrigid.put("formula", "u_axis(x, y) = sum_k a[axis][k] cos(pi kx (xc + 0.5) / W) cos(pi ky (y + 0.5) / H);"
                + " a[axis][k](t) = amplitude / K sin(2 pi t / T + phi); xc = 16 floor(x / 16) + 7.5");
        nonrigid.put("basis", MotionModel.BASIS);
        nonrigid.put("tile_px", MotionModel.TILE);
        nonrigid.put("periods_s_x_then_y", sim.motion.nonrigidPeriods());
        nonrigid.put("phases_rad_x_then_y", sim.motion.nonrigidPhases());
        motion.put("nonrigid", nonrigid);
        root.put("motion", motion);

        final Map<String, Object> activity = new LinkedHashMap<>();
        activity.put("spikes", "Poisson(rate dt exp(coupling drive(v))) per volume");
        activity.put("calcium", "a = rho_d (a + n), b = rho_r (b + n), c = (a - b) / peak; one spike peaks at 1");
        activity.put("indicator", "dF/F = dffMax c^h / (c^h + K^h)");
        activity.put("fluorescence", "F = F0 (1 + dF/F) bleach(v); bleach = 1 - f + f exp(-t / tau)");
        activity.put("drive", "sum_k w_k sin(2 pi t / T_k + phi_k)");
        activity.put("drive_periods_s", sim.activity.drivePeriods());
        activity.put("drive_phases_rad", sim.activity.drivePhases());
        activity.put("drive_weights", sim.activity.driveWeights());
        activity.put("neuropil", "neuropil photons x (1 + neuropilModulation drive(v)) x bleach(v)");
        root.put("activity", activity);

        final Map<String, Object> noise = new LinkedHashMap<>();
        noise.put("model", "ADU = offset + g x + sqrt(g^2 x + read^2) z, x = photons, z ~ N(0, 1):"
                + " Gaussian approximation of Poisson shot noise (exact mean and variance) plus read noise;"
                + " rounded to nearest and clipped to int16");
        noise.put("table", "2^" + p.noiseTableLog2() + " float32 N(0,1) samples; each page line reads a run at a"
                + " uniform random offset with a random sign (hash of seed, frame index, line)");
        noise.put("fly_to_lines", "offset + read noise only");
        root.put("noise", noise);
        root.put("files", files);

        final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        try {
            mapper.writeValue(dir.resolve("truth.json").toFile(), root);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("truth.json") + ": " + e.getMessage(), e);
        }
    }
}
