package org.beadstream.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionBenchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code beadstream bench motion}: times rigid + piecewise-rigid motion correction of a simulated int16 movie with
 * known motion on the chosen OpenCL device and prints frames/s, the RMS shift errors against the truth and the
 * device (and writes them as JSON with {@code --json}). Not thread-safe; one instance per invocation.
 */
@Command(name = "motion", mixinStandardHelpOptions = true,
        description = "Benchmark motion correction (OpenCL phase correlation) on a simulated movie with known motion.")
public final class BenchMotionCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--size", defaultValue = "512", paramLabel = "N|HxW",
            description = "Frame size: a side N (square) or HEIGHTxWIDTH, e.g. 576x600 (default: ${DEFAULT-VALUE}).")
    private String size;

    @Option(names = "--frames", defaultValue = "256", description = "Frames in the movie (default: ${DEFAULT-VALUE}).")
    private int frames;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Timed passes over the movie; the median is reported (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--batch", defaultValue = "16", description = "Frames per device launch (default: ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--block-size", defaultValue = "128",
            description = "Block side for piecewise-rigid registration (default: ${DEFAULT-VALUE}).")
    private int blockSize;

    @Option(names = "--rigid-only", description = "Rigid registration only (no blocks).")
    private boolean rigidOnly;

    @Option(names = "--ideal-template",
            description = "Register to the noise-free scene instead of a template built from the movie.")
    private boolean idealTemplate;

    @Option(names = "--motion", defaultValue = "8",
            description = "Rigid motion of the movie, +- pixels per axis (default: ${DEFAULT-VALUE}).")
    private double motion;

    @Option(names = "--warp", defaultValue = "1.5",
            description = "Amplitude of the movie's smooth non-rigid motion, pixels (default: ${DEFAULT-VALUE}).")
    private double warp;

    @Option(names = "--photons", defaultValue = "10",
            description = "Photons per pixel at a neuron's peak (sets the shot-noise SNR; default: ${DEFAULT-VALUE}).")
    private double photons;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed of the movie (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--device", paramLabel = "SELECTOR",
            description = "OpenCL device: gpu, cpu, #N or a name substring (default: env BEADSTREAM_OPENCL_DEVICE,"
                    + " else GPU first, CPU otherwise).")
    private String device;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    private Path json;

    @Override
    public Integer call() throws IOException {
        final int[] hw = parseSize(size);
        final MotionBenchmark.Config c = new MotionBenchmark.Config(hw[0], hw[1], frames, repeats, !rigidOnly, blockSize,
                batch, motion, warp, photons, !idealTemplate, seed);
        final PrintWriter out = spec.commandLine().getOut();
        final MotionBenchmark.Report r;
        try (OpenClRuntime cl = OpenClRuntime.create(device)) {
            out.printf("bench motion: %d frames of %d x %d int16, %s, batch %d, on %s%n", frames, hw[0], hw[1],
                    rigidOnly ? "rigid" : "rigid + piecewise-rigid (" + blockSize + "-px blocks)", batch,
                    cl.device().describe());
            out.flush();
            r = MotionBenchmark.run(cl, c);
        }
        out.printf("frames/s          %.1f (median of %d; each: %s)%n", r.framesPerSecond(), repeats,
                fmt(r.perRepeatFps()));
        out.printf("cpu-bound frames/s %.1f (frames / (process CPU time / %d cores): the rate without other load)%n",
                r.cpuBoundFps(), r.cores());
        out.printf("rigid RMS error   %.3f px per axis%n", r.rigidRmsPx());
        if (!rigidOnly) {
            out.printf("block RMS error   %.3f px per axis%n", r.blockRmsPx());
            out.printf("field RMS error   %.3f px per axis (applied shift field vs truth, interior pixels)%n",
                    r.fieldRmsPx());
        }
        out.printf("mean correlation  %.3f with the template; %d frames flagged%n", r.meanCorrelation(),
                r.flaggedFrames());
        out.printf("setup %.2f s, template %.2f s (%s), device %s, load average %.1f%n", r.setupSeconds(),
                r.templateSeconds(), idealTemplate ? "noise-free scene" : "built from the first frames", r.device(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        if (json != null) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("benchmark", "motion");
            m.put("device", r.device());
            m.put("frames_per_second", r.framesPerSecond());
            m.put("per_repeat_frames_per_second", r.perRepeatFps());
            m.put("cpu_bound_frames_per_second", r.cpuBoundFps());
            m.put("cores", r.cores());
            m.put("load_average_at_end", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
            m.put("rigid_rms_error_px", r.rigidRmsPx());
            m.put("block_rms_error_px", rigidOnly ? null : r.blockRmsPx());
            m.put("field_rms_error_px", rigidOnly ? null : r.fieldRmsPx());
            m.put("mean_correlation", r.meanCorrelation());
            m.put("flagged_frames", r.flaggedFrames());
            m.put("setup_seconds", r.setupSeconds());
            m.put("template_seconds", r.templateSeconds());
            m.put("config", c);
            if (json.getParent() != null) {
                Files.createDirectories(json.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), m);
            out.println("wrote " + json);
        }
        return 0;
    }

    private static int[] parseSize(final String s) {
        final String[] p = s.trim().toLowerCase(java.util.Locale.ROOT).split("x");
        try {
            if (p.length == 1) {
                final int n = Integer.parseInt(p[0]);
                return new int[] {n, n};
            }
            if (p.length == 2) {
                return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])};
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--size must be N or HEIGHTxWIDTH (e.g. 512 or 576x600), was '" + s + "'");
    }

    private static String fmt(final double[] v) {
        final StringBuilder sb = new StringBuilder();
        for (double d : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format("%.1f", d));
        }
        return sb.toString();
    }
}
