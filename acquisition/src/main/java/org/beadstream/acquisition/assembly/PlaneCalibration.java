package org.beadstream.acquisition.assembly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A rig's plane calibration: which depth each ScanImage channel images (the two laser cavities of a light-beads
 * microscope interleave the beads, so the order is never simply 0, 1, 2, ...) and the lateral offset of each depth's
 * plane relative to the reference, measured once with a calibration sample.
 *
 * <h2>File format (JSON)</h2>
 * <pre>
 * {
 *   "channelToDepth": [0, 2, 4, 1, 3, 5],          // channel (0-based page order in a volume) -> depth (0 = top)
 *   "offsetsPx": [[0, 0], [1.5, -2], ...]           // per DEPTH: [dx, dy] in pixels
 * }
 * </pre>
 * An offset {@code (dx, dy)} means the plane's pixel {@code (x, y)} images the reference plane's point
 * {@code (x + dx, y + dy)} (the simulator's convention); assembly aligns the plane to the reference with
 * {@code out(x, y) = in(x - dx, y - dy)} (bilinear for fractional offsets; pixels that come from outside the plane
 * are 0). Both fields are optional (identity order, zero offsets).
 *
 * <p>Immutable and thread-safe (accessors return copies).
 */
public final class PlaneCalibration {

    private final int[] channelToDepth;
    private final double[] dx;
    private final double[] dy;

    /**
     * @param channelToDepth depth of each channel: a permutation of 0..planes-1
     * @param dx             per depth: x offset in pixels (finite)
     * @param dy             per depth: y offset in pixels (finite)
     */
    public PlaneCalibration(final int[] channelToDepth, final double[] dx, final double[] dy) {
        final int n = channelToDepth.length;
        if (n < 1) {
            throw new IllegalArgumentException("channelToDepth must list at least one channel");
        }
        if (dx.length != n || dy.length != n) {
            throw new IllegalArgumentException("offsets must list one [dx, dy] per depth: " + n + " planes but "
                    + dx.length + " x offsets and " + dy.length + " y offsets");
        }
        final boolean[] seen = new boolean[n];
        for (int c = 0; c < n; c++) {
            final int d = channelToDepth[c];
            if (d < 0 || d >= n || seen[d]) {
                throw new IllegalArgumentException("channelToDepth must be a permutation of 0.." + (n - 1)
                        + ", was " + Arrays.toString(channelToDepth));
            }
            seen[d] = true;
        }
        for (int d = 0; d < n; d++) {
            if (!Double.isFinite(dx[d]) || !Double.isFinite(dy[d]) || Math.abs(dx[d]) > 1e4
                    || Math.abs(dy[d]) > 1e4) {
                throw new IllegalArgumentException("offset of depth " + d + " must be finite and within 10000 px, was ["
                        + dx[d] + ", " + dy[d] + "]");
            }
        }
        this.channelToDepth = channelToDepth.clone();
        this.dx = dx.clone();
        this.dy = dy.clone();
    }

    /** Channels in depth order and no offsets. */
    public static PlaneCalibration identity(final int planes) {
        final int[] order = new int[planes];
        for (int i = 0; i < planes; i++) {
            order[i] = i;
        }
        return new PlaneCalibration(order, new double[planes], new double[planes]);
    }

    /**
     * Reads a calibration file (format above) for {@code planes} planes.
     *
     * @throws IllegalArgumentException naming the file and what is wrong
     */
    public static PlaneCalibration read(final Path file, final int planes) {
        final JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read calibration: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": calibration must be a JSON object");
        }
        try {
            final int[] order = new int[planes];
            final JsonNode o = root.path("channelToDepth");
            if (o.isMissingNode()) {
                for (int i = 0; i < planes; i++) {
                    order[i] = i;
                }
            } else {
                if (!o.isArray() || o.size() != planes) {
                    throw new IllegalArgumentException("channelToDepth must be an array of " + planes + " depths, was "
                            + o);
                }
                for (int i = 0; i < planes; i++) {
                    if (!o.get(i).canConvertToInt() || !o.get(i).isIntegralNumber()) {
                        throw new IllegalArgumentException("channelToDepth[" + i + "] is not an integer: " + o.get(i));
                    }
                    order[i] = o.get(i).asInt();
                }
            }
            final double[] x = new double[planes];
            final double[] y = new double[planes];
            final JsonNode off = root.path("offsetsPx");
            if (!off.isMissingNode()) {
                if (!off.isArray() || off.size() != planes) {
                    throw new IllegalArgumentException("offsetsPx must be an array of " + planes + " [dx, dy] pairs");
                }
                for (int d = 0; d < planes; d++) {
                    final JsonNode p = off.get(d);
                    if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber() || !p.get(1).isNumber()) {
                        throw new IllegalArgumentException("offsetsPx[" + d + "] must be [dx, dy], was " + p);
                    }
                    x[d] = p.get(0).asDouble();
                    y[d] = p.get(1).asDouble();
                }
            }
            return new PlaneCalibration(order, x, y);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Writes this calibration to {@code file} in the format above. */
    public void write(final Path file) throws IOException {
        final ObjectMapper om = new ObjectMapper();
        final ObjectNode root = om.createObjectNode();
        final ArrayNode o = root.putArray("channelToDepth");
        for (final int d : channelToDepth) {
            o.add(d);
        }
        final ArrayNode off = root.putArray("offsetsPx");
        for (int d = 0; d < dx.length; d++) {
            off.addArray().add(dx[d]).add(dy[d]);
        }
        Files.writeString(file, om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /** Number of planes. */
    public int planes() {
        return channelToDepth.length;
    }

    /** Depth of channel {@code channel} (0-based page order). */
    public int depthOf(final int channel) {
        return channelToDepth[channel];
    }

    /** The channel-to-depth order (a copy). */
    public int[] channelToDepth() {
        return channelToDepth.clone();
    }

    /** x offset of depth {@code depth} in pixels. */
    public double dx(final int depth) {
        return dx[depth];
    }

    /** y offset of depth {@code depth} in pixels. */
    public double dy(final int depth) {
        return dy[depth];
    }

    @Override
    public String toString() {
        return "PlaneCalibration{order=" + Arrays.toString(channelToDepth) + ", dx=" + Arrays.toString(dx) + ", dy="
                + Arrays.toString(dy) + "}";
    }
}
