package org.beadstream.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The single schema of every BeadStream parameter, nested by stage. Documentation ({@code docs/configuration.md}), the
 * {@code beadstream config --defaults} output and validation all come from this one list.
 *
 * <p>A configuration file is JSON nested by stage, e.g. {@code {"motion": {"max_shift_px": 12}}}; keys not named here
 * are errors. Command-line options and {@code --set stage.key=value} override the file.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfigSchema {

    /** Version of the schema, written into every resolved configuration; bump on any incompatible change. */
    public static final int VERSION = 1;

    private static final ConfigSchema DEFAULT = new ConfigSchema(defaultParameters());

    private final Map<String, Parameter> byKey;

    private ConfigSchema(final List<Parameter> parameters) {
        final Map<String, Parameter> m = new LinkedHashMap<>();
        for (final Parameter p : parameters) {
            if (m.put(p.key(), p) != null) {
                throw new IllegalArgumentException("duplicate parameter " + p.key());
            }
            if (p.defaultValue() != null) {
                check(p, p.defaultValue(), "the schema's default");
            }
        }
        this.byKey = Collections.unmodifiableMap(m);
    }

    /** The schema of this version of BeadStream. */
    public static ConfigSchema standard() {
        return DEFAULT;
    }

    /** Every parameter in schema order (grouped by stage). */
    public List<Parameter> parameters() {
        return List.copyOf(byKey.values());
    }

    /** The parameter named {@code key}. @throws ConfigException if there is none */
    public Parameter parameter(final String key) {
        final Parameter p = byKey.get(key);
        if (p == null) {
            throw new ConfigException("unknown configuration key '" + key + "'" + suggestion(key));
        }
        return p;
    }

    /** The defaults, resolved. */
    public ResolvedConfig defaults() {
        return resolve(null, Map.of(), "defaults");
    }

    /**
     * Resolves a configuration: defaults, then {@code file} (JSON nested by stage; may be {@code null}), then
     * {@code overrides} (dotted key to text value, from the command line).
     *
     * @throws ConfigException naming the key (and the file) on any unknown key, wrong type or out-of-range value
     */
    public ResolvedConfig resolve(final Path file, final Map<String, String> overrides, final String origin) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final Parameter p : byKey.values()) {
            values.put(p.key(), p.defaultValue());
        }
        if (file != null) {
            final JsonNode root;
            try {
                root = new ObjectMapper().readTree(Files.readString(file));
            } catch (final JsonProcessingException e) {
                throw new ConfigException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": "
                        + e.getOriginalMessage(), e);
            } catch (final IOException e) {
                throw new ConfigException(file + ": cannot read configuration file: " + e.getMessage(), e);
            }
            if (root == null || !root.isObject()) {
                throw new ConfigException(file + ": a configuration file must be a JSON object nested by stage");
            }
            readObject(root, "", file, values);
        }
        for (final Map.Entry<String, String> e : overrides.entrySet()) {
            final Parameter p = parameter(e.getKey());
            values.put(p.key(), parseText(p, e.getValue(), "--set"));
        }
        return new ResolvedConfig(this, values, origin);
    }

    private void readObject(final JsonNode node, final String prefix, final Path file, final Map<String, Object> out) {
        final Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            final Map.Entry<String, JsonNode> e = it.next();
            final String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if ("schema_version".equals(key)) {
                if (!e.getValue().canConvertToInt() || e.getValue().asInt() != VERSION) {
                    throw new ConfigException(file + ": schema_version " + e.getValue() + " is not " + VERSION
                            + " (this BeadStream's schema)");
                }
                continue;
            }
            if (e.getValue().isObject()) {
                if (!hasStage(key)) {
                    throw new ConfigException(file + ": unknown configuration section '" + key + "'" + suggestion(key));
                }
                readObject(e.getValue(), key, file, out);
                continue;
            }
            final Parameter p;
            try {
                p = parameter(key);
            } catch (final ConfigException ex) {
                throw new ConfigException(file + ": " + ex.getMessage(), ex);
            }
            out.put(key, fromJson(p, e.getValue(), file.toString()));
        }
    }

    private boolean hasStage(final String prefix) {
        for (final String k : byKey.keySet()) {
            if (k.startsWith(prefix + ".")) {
                return true;
            }
        }
        return false;
    }

    private String suggestion(final String key) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (final String k : byKey.keySet()) {
            final int d = distance(k, key);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best != null && bestD <= Math.max(2, key.length() / 4) ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(final String a, final String b) {
        final int[] prev = new int[b.length() + 1];
        final int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            System.arraycopy(cur, 0, prev, 0, cur.length);
        }
        return prev[b.length()];
    }

    private static Object fromJson(final Parameter p, final JsonNode v, final String where) {
        final Object value;
        switch (p.type()) {
            case INTEGER:
                if (!v.isIntegralNumber()) {
                    throw wrongType(p, v.toString(), where, "a whole number");
                }
                value = v.asLong();
                break;
            case NUMBER:
                if (!v.isNumber()) {
                    throw wrongType(p, v.toString(), where, "a number");
                }
                value = v.asDouble();
                break;
            case BOOLEAN:
                if (!v.isBoolean()) {
                    throw wrongType(p, v.toString(), where, "true or false");
                }
                value = v.asBoolean();
                break;
            case TEXT:
            case CHOICE:
                if (v.isNull() && p.type() == ParameterType.TEXT) {
                    value = null;
                    break;
                }
                if (!v.isTextual()) {
                    throw wrongType(p, v.toString(), where, "a string");
                }
                value = v.asText();
                break;
            case INTEGER_LIST:
                if (v.isNull()) {
                    value = null;
                    break;
                }
                if (!v.isArray()) {
                    throw wrongType(p, v.toString(), where, "a list of whole numbers");
                }
                final List<Long> list = new ArrayList<>();
                for (final JsonNode x : v) {
                    if (!x.isIntegralNumber()) {
                        throw wrongType(p, v.toString(), where, "a list of whole numbers");
                    }
                    list.add(x.asLong());
                }
                value = List.copyOf(list);
                break;
            default:
                throw new IllegalStateException(p.type().toString());
        }
        if (value != null) {
            check(p, value, where);
        }
        return value;
    }

    /** Parses a command-line text value for {@code p}. */
    static Object parseText(final Parameter p, final String text, final String where) {
        final String t = text.trim();
        final Object value;
        try {
            switch (p.type()) {
                case INTEGER:
                    value = Long.parseLong(t);
                    break;
                case NUMBER:
                    value = Double.parseDouble(t);
                    break;
                case BOOLEAN:
                    if (!t.equalsIgnoreCase("true") && !t.equalsIgnoreCase("false")) {
                        throw wrongType(p, text, where, "true or false");
                    }
                    value = Boolean.parseBoolean(t);
                    break;
                case TEXT:
                case CHOICE:
                    value = t;
                    break;
                case INTEGER_LIST:
                    final List<Long> list = new ArrayList<>();
                    for (final String s : t.replace("[", "").replace("]", "").split(",")) {
                        if (!s.isBlank()) {
                            list.add(Long.parseLong(s.trim()));
                        }
                    }
                    value = List.copyOf(list);
                    break;
                default:
                    throw new IllegalStateException(p.type().toString());
            }
        } catch (final NumberFormatException e) {
            throw wrongType(p, text, where, p.type() == ParameterType.NUMBER ? "a number" : "a whole number");
        }
        check(p, value, where);
        return value;
    }

    private static ConfigException wrongType(final Parameter p, final String got, final String where,
            final String expected) {
        return new ConfigException(where + ": " + p.key() + " must be " + expected + ", was " + got);
    }

    private static void check(final Parameter p, final Object value, final String where) {
        switch (p.type()) {
            case INTEGER:
            case NUMBER:
                final double d = ((Number) value).doubleValue();
                if (Double.isNaN(d) || (p.min() != null && d < p.min()) || (p.max() != null && d > p.max())) {
                    throw new ConfigException(where + ": " + p.key() + " = " + value + " is out of range "
                            + p.rangeText() + (p.unit().isEmpty() ? "" : " " + p.unit()));
                }
                break;
            case CHOICE:
                if (!p.choices().contains(value)) {
                    throw new ConfigException(where + ": " + p.key() + " = " + value + " is not one of "
                            + p.rangeText());
                }
                break;
            case INTEGER_LIST:
                @SuppressWarnings("unchecked")
                final List<Long> list = (List<Long>) value;
                for (final Long x : list) {
                    if ((p.min() != null && x < p.min()) || (p.max() != null && x > p.max())) {
                        throw new ConfigException(where + ": " + p.key() + " element " + x + " is out of range "
                                + p.rangeText());
                    }
                }
                break;
            default:
                break;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The parameters. Keep grouped by stage, in data-flow order.
    // ---------------------------------------------------------------------------------------------------------------

    private static List<Parameter> defaultParameters() {
        final List<Parameter> l = new ArrayList<>();
        // simulation (the embedded default source)
        l.add(choice("simulation.preset", "small", "Simulated LBM geometry: small (tests/demo), config-a (30 planes, "
                + "4 strips, 9.6 Hz), config-b (14 planes, 2 strips, 17 Hz)", "small", "config-a", "config-b"));
        l.add(integer("simulation.neurons", "", 0, 1_000_000, 0,
                "Number of simulated neurons; 0 uses the preset's default density"));
        l.add(integer("simulation.seed", "", 0, 1L << 53, 1, "Random seed; the same seed gives identical data"));
        l.add(number("simulation.seconds", "s", 0.0, 86_400.0, 10.0, "Length of the simulated session"));
        l.add(number("simulation.brightness", "photons", 0.0, 10_000.0, 0.0,
                "Median resting photons per soma pixel per frame (sets the SNR); 0 keeps the simulator's default (6)"));
        // acquisition and the ring
        l.add(number("acquisition.ring_seconds", "s", 0.05, 600.0, 8.0,
                "Ring size in seconds of raw data (rounded up to a power of two slots)"));
        l.add(number("acquisition.processing_lag_fraction", "", 0.1, 0.95, 0.75,
                "Live: processing that falls this far behind (fraction of the ring) skips whole volumes"));
        l.add(integer("acquisition.ring_max_mib", "MiB", 16, 1L << 20, 4096,
                "Upper bound on the ring's off-heap memory"));
        l.add(number("acquisition.read_timeout_s", "s", 0.001, 3600.0, 5.0,
                "A live source that delivers no frame for this long is reported as stalled"));
        l.add(integer("acquisition.planes", "", 1, 1024, 30,
                "Micro-Manager: pages per volume (LBM planes) delivered by the camera in plane order"));
        l.add(new Parameter("acquisition.plane_order", ParameterType.INTEGER_LIST, "", 0.0, 1023.0, List.of(), null,
                "Channel-to-depth order: element d is the acquisition channel imaged at depth d (default: identity)"));
        // recording
        l.add(bool("recording.enabled", true, "Write every raw frame losslessly (BeadStream raw format)"));
        l.add(integer("recording.file_max_mib", "MiB", 64, 1L << 24, 16_384,
                "Start a new raw file after this many MiB"));
        l.add(choice("recording.sync", "close", "When recorded data is forced to disk: at close, every second, or "
                + "after every batch of frames", "close", "every-second", "every-batch"));
        // assembly
        l.add(integer("assembly.trim_px", "px", 0, 64, 0,
                "Extra edge pixels trimmed from each side of every ROI strip (on top of the metadata's)"));
        l.add(integer("assembly.phase_sample_frames", "frames", 1, 100_000, 64,
                "Frames per plane used to estimate the bidirectional scan phase"));
        l.add(bool("assembly.correct_phase", true, "Estimate and correct the bidirectional scan phase per strip"));
        l.add(text("assembly.plane_offsets_file", null,
                "Calibration file of per-plane x/y offsets (docs/scanimage.md); none: no offsets"));
        // motion
        l.add(bool("motion.enabled", true, "Correct brain motion per plane"));
        l.add(bool("motion.nonrigid", true, "Piecewise-rigid correction after rigid"));
        l.add(number("motion.max_shift_fraction", "", 0.01, 0.5, 0.1,
                "Largest rigid shift searched, as a fraction of the plane's smaller side"));
        l.add(integer("motion.block_size_px", "px", 16, 1024, 128, "Block size for piecewise-rigid registration"));
        l.add(number("motion.max_block_shift_px", "px", 0.5, 64, 5.0, "Largest block shift relative to rigid"));
        l.add(integer("motion.template_frames", "frames", 10, 10_000, 200,
                "Frames per plane used to build the reference template"));
        l.add(bool("motion.whitening", true, "Phase correlation (whitened spectrum) rather than plain correlation"));
        l.add(number("motion.smooth_sigma_px", "px", 0.0, 10.0, 1.15,
                "Gaussian smoothing of the cross-correlation before the peak search"));
        // detection
        l.add(number("detection.bootstrap_seconds", "s", 1.0, 3600.0, 60.0,
                "Seconds of data used to build templates and detect cells before extraction starts (live and "
                + "offline alike; the window's own traces are extracted afterwards, nothing is lost). Sparse firers "
                + "need time to show: at moderate SNR 60 s finds 91% of the active cells, 20 s 85% "
                + "(docs/segmentation.md); shorter shows cells sooner at the rig"));
        l.add(integer("detection.bootstrap_max_mib", "MiB", 16, 1L << 20, 3072,
                "Upper bound on the memory of the bootstrap window (fewer volumes are used when it would exceed it)"));
        l.add(number("detection.backlog_seconds", "s", 0.0, 3600.0, 60.0,
                "Live: volumes arriving while the bootstrap detects cells are held (up to this long) and processed "
                + "when it ends; beyond it they are skipped, counted, and stay in the recording"));
        l.add(integer("detection.backlog_max_mib", "MiB", 16, 1L << 20, 2048,
                "Upper bound on the memory of that backlog"));
        l.add(choice("detection.sample", "first", "Volumes of the bootstrap window: the first ones (live and offline "
                + "alike, so their traces agree) or, offline, blocks spread evenly over the whole input (finds cells "
                + "silent at the start of a long session)", "first", "spread"));
        l.add(integer("detection.sample_blocks", "", 1, 1000, 10,
                "detection.sample = spread: blocks of consecutive volumes the window is cut into"));
        l.add(number("detection.cell_diameter_um", "um", 2.0, 100.0, 12.0, "Expected soma diameter"));
        l.add(number("detection.threshold_scaling", "", 0.1, 10.0, 1.0,
                "Detection threshold relative to the noise; higher finds fewer, brighter cells"));
        l.add(number("detection.bin_s", "s", 0.01, 10.0, 0.4,
                "Detection averages the window's frames in bins this long (rounded to whole frames, at least "
                + "detection.min_bins bins): about 0.4 of the indicator's decay, so a transient spans 2-3 bins"));
        l.add(integer("detection.min_bins", "bins", 10, 100_000, 50,
                "Detection bins never leave fewer bins than this: bins are min(bin_s x rate, frames / this) frames"));
        l.add(number("detection.high_pass_s", "s", 0.3, 3600.0, 4.8,
                "Temporal high-pass before detection: a centred running mean this long is subtracted from every "
                + "pixel of the binned window (removes slow neuropil and population swings that would otherwise seed "
                + "false ROIs and swamp sparse cells; suite2p's high_pass of 100 bins is about 100 s)"));
        l.add(number("detection.min_score", "sigma^2", 0.5, 1e6, 10.0,
                "Detection stops when the best remaining peak's event score (sum over bins of the squared excess of "
                + "the matched-filtered movie over the event threshold) is below this; lower finds cells with fewer "
                + "events, and more false ROIs. Given for a window of 150 bins (60 s in 0.4 s bins); a window of N bins "
                + "uses this x sqrt(N / 150), e.g. 5.8 for 20 s"));
        l.add(number("detection.active_sigma", "robust sigma", 0.5, 20.0, 2.0,
                "A growing ROI's footprint is fitted on the bins where its trace exceeds its median by this many "
                + "robust sigmas; lower fits cells with few events on more bins"));
        l.add(integer("detection.max_rois_per_plane", "", 1, 1_000_000, 50_000, "Upper bound on ROIs per plane"));
        l.add(number("detection.iscell_threshold", "", 0.0, 1.0, 0.5,
                "Cell-probability above which an ROI counts as a cell"));
        l.add(number("detection.plane_spacing_um", "um", 0.1, 1000.0, 15.0,
                "Axial distance between adjacent planes (not in ScanImage metadata: supply it)"));
        l.add(number("detection.pixel_size_um", "um", 0.01, 100.0, 1.0, "Lateral pixel size"));
        // extraction and traces
        l.add(number("traces.neuropil_coefficient", "", 0.0, 2.0, 0.7, "r in F - r * Fneu"));
        l.add(choice("traces.baseline", "percentile", "Online F0: sliding-window percentile or maximin",
                "percentile", "maximin"));
        l.add(number("traces.baseline_window_s", "s", 1.0, 3600.0, 60.0, "Baseline window"));
        l.add(number("traces.baseline_percentile", "%", 0.0, 100.0, 8.0, "Percentile for the percentile baseline"));
        l.add(number("traces.tau_s", "s", 0.01, 10.0, 1.0, "Indicator decay time (GCaMP6s ~1.0 s, 6f ~0.4 s)"));
        l.add(number("traces.oasis_lambda", "", 0.0, 100.0, 0.0, "OASIS sparsity penalty"));
        l.add(number("traces.oasis_s_min", "", 0.0, 100.0, 0.0, "OASIS minimum spike size (0: none)"));
        // outputs
        l.add(bool("output.suite2p", true, "Write suite2p-layout .npy files (plane0/, plane1/, ..., combined/)"));
        l.add(bool("output.nwb", true, "Write an NWB 2.x file at the end of the run"));
        l.add(bool("output.report", true, "Write report.html with figures"));
        l.add(text("output.device", null, "OpenCL device: gpu, cpu or a name substring (none: GPU first)"));
        l.add(number("output.live_view_seconds", "s", 0.0, 3600.0, 2.0,
                "Live runs (acquire, demo): redraw OUT/live/index.html (status, cells, traces) this often; 0: off"));
        l.add(number("output.checkpoint_seconds", "s", 0.1, 86_400.0, 10.0,
                "Offline runs: trace files and motion record forced to disk every this much recorded time, so an "
                + "interrupted 'reprocess' resumes from there (--resume)"));
        l.add(bool("output.keep_checkpoint", false,
                "Keep OUT/checkpoint/ (bootstrap state, motion record) after a run completes"));
        return l;
    }

    private static Parameter integer(final String key, final String unit, final long min, final long max,
            final long def, final String d) {
        return new Parameter(key, ParameterType.INTEGER, unit, (double) min, (double) max, null, def, d);
    }

    private static Parameter number(final String key, final String unit, final double min, final double max,
            final double def, final String d) {
        return new Parameter(key, ParameterType.NUMBER, unit, min, max, null, def, d);
    }

    private static Parameter bool(final String key, final boolean def, final String d) {
        return new Parameter(key, ParameterType.BOOLEAN, "", null, null, null, def, d);
    }

    private static Parameter text(final String key, final String def, final String d) {
        return new Parameter(key, ParameterType.TEXT, "", null, null, null, def, d);
    }

    private static Parameter choice(final String key, final String def, final String d, final String... choices) {
        return new Parameter(key, ParameterType.CHOICE, "", null, null, List.of(choices), def, d);
    }
}
