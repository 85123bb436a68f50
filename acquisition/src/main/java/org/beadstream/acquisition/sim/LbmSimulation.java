package org.beadstream.acquisition.sim;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.beadstream.acquisition.frame.FrameGeometry;

/**
 * A simulated light-beads experiment: the tissue (neurons, neuropil, vessels, background), its activity and motion,
 * the microscope's layout, scan phase and noise, all fixed by {@link SimulationParameters} and its seed. It is the
 * world behind every {@link SimulatedLbmSource} and the ground truth for every accuracy test:
 * <ul>
 *   <li>{@link #neurons()}: positions, shapes, brightness and firing parameters;</li>
 *   <li>{@link #footprints(int)}: per-plane footprints in assembled coordinates, without motion;</li>
 *   <li>{@link #activity(int, int, int)}: true F, dF/F and spike counts per volume;</li>
 *   <li>{@link #rigidShiftPx(long, int)}, {@link #displacementPx(long, int, int, int)}: the motion each frame shows;
 *       {@link #scanPhasePx(int)}, {@link #planeOffsetPx(int)}, {@link #planeDepthUm(int)}, {@link #layout()};</li>
 *   <li>{@link #renderAssembledPlane(long, int, float[], RenderOptions)}: the true assembled plane image;</li>
 *   <li>{@link #writeTruth(Path, long)}: all of it as .npy files and truth.json (docs/simulator.md).</li>
 * </ul>
 * Construction does all the heavy work once (shape library, neuron placement, static scenes, noise table: about a
 * second for config-a); nothing is allocated afterwards on the frame path.
 *
 * <p>Thread-safe: immutable after construction except an internal truth renderer, which is used under this object's
 * lock (so concurrent truth renders serialise).
 */
public final class LbmSimulation {

    private final SimulationParameters params;
    private final LbmLayout layout;
    private final NeuronTable neurons;
    final SomaShapes shapes;
    final ActivityModel activity;
    final MotionModel motion;

    final int planeWidth;
    final int planeHeight;
    final int margin;
    final int pad;
    final int sceneWidth;
    final int sceneHeight;
    final int tileMin;
    final float[][] basisX;
    final float[][] basisY;

    private final double[] planeDepth;
    private final double[] planeOffX;
    private final double[] planeOffY;
    final double[] scanPhase;

    final float[][] staticScene;
    final float[][] neuropilScene;
    final int[][] pairNeuron;
    final int[][] pairShapeBin;
    final int[][] pairCentre;
    final int[] entryOffset;
    final float[] entryWeight;

    final float[] noiseTable;
    final float gain;
    final float offset;
    final float readNoise;
    final float read2;
    private final int noiseRange;

    private final PlaneRenderer truthRenderer;
    private final ActivityCursor truthCursor;

    /** Builds the simulated world; see the class comment for what this computes. */
    public LbmSimulation(final SimulationParameters params) {
        this.params = params;
        this.layout = params.layout();
        this.planeWidth = layout.planeWidth();
        this.planeHeight = layout.planeHeight();
        final int planes = params.planes();
        this.shapes = new SomaShapes(params);

        this.margin = params.sceneMarginPx();
        final int offMax = (int) Math.ceil(params.planeOffsetMaxPx());
        this.pad = margin + shapes.halfExtentPx() + offMax + 2;
        this.sceneWidth = planeWidth + 2 * pad;
        this.sceneHeight = planeHeight + 2 * pad;

        final SplittableRandom rnd = new SplittableRandom(Hash.of(params.seed(), Hash.LAYOUT, 0, 0, 0));
        final int[] order = params.planeOrder();
        planeDepth = new double[planes];
        planeOffX = new double[planes];
        planeOffY = new double[planes];
        for (int c = 0; c < planes; c++) {
            planeDepth[c] = order[c] * params.planeSpacingUm();
            final double ox = params.planeOffsetMaxPx() * (2 * rnd.nextDouble() - 1);
            final double oy = params.planeOffsetMaxPx() * (2 * rnd.nextDouble() - 1);
            planeOffX[c] = order[c] == 0 ? 0 : ox;
            planeOffY[c] = order[c] == 0 ? 0 : oy;
        }
        scanPhase = new double[params.strips()];
        for (int s = 0; s < scanPhase.length; s++) {
            scanPhase[s] = params.scanPhasePx() + params.scanPhaseStripSpreadPx() * (2 * rnd.nextDouble() - 1);
        }

        this.neurons = new NeuronTable(params, shapes, -margin, planeWidth + margin, -margin, planeHeight + margin);
        this.activity = new ActivityModel(params, neurons);
        this.motion = new MotionModel(params, planeWidth, planeHeight);

        // Non-rigid basis tables: x factors per tile, y factors per row.
        this.tileMin = Math.floorDiv(-params.trimLeft(), MotionModel.TILE);
        final int tileMax = Math.floorDiv(planeWidth + params.trimRight(), MotionModel.TILE);
        basisX = new float[MotionModel.TERMS][tileMax - tileMin + 1];
        basisY = new float[MotionModel.TERMS][planeHeight];
        for (int k = 0; k < MotionModel.TERMS; k++) {
            for (int t = tileMin; t <= tileMax; t++) {
                basisX[k][t - tileMin] = (float) motion.basisX(k, MotionModel.tileCentre(t * MotionModel.TILE));
            }
            for (int y = 0; y < planeHeight; y++) {
                basisY[k][y] = (float) motion.basisY(k, y);
            }
        }

        // Footprint entries as offsets on the scene grid.
        entryOffset = new int[shapes.entries()];
        entryWeight = new float[shapes.entries()];
        for (int e = 0; e < entryOffset.length; e++) {
            entryOffset[e] = shapes.dy(e) * sceneWidth + shapes.dx(e);
            entryWeight[e] = shapes.weight(e);
        }

        // Which neurons each plane sees (count, then fill).
        final int[] depthToChannel = new int[planes];
        for (int c = 0; c < planes; c++) {
            depthToChannel[order[c]] = c;
        }
        final int[] perPlane = new int[planes];
        final int n = neurons.count();
        int[][] pn = null;
        int[][] psb = null;
        int[][] pc = null;
        for (int pass = 0; pass < 2; pass++) {
            if (pass == 1) {
                pn = new int[planes][];
                psb = new int[planes][];
                pc = new int[planes][];
                for (int c = 0; c < planes; c++) {
                    pn[c] = new int[perPlane[c]];
                    psb[c] = new int[perPlane[c]];
                    pc[c] = new int[perPlane[c]];
                }
                java.util.Arrays.fill(perPlane, 0);
            }
            for (int i = 0; i < n; i++) {
                final int shape = neurons.shape(i);
                for (int d = neurons.firstDepth(i); d <= neurons.lastDepth(i); d++) {
                    final int c = depthToChannel[d];
                    final int bin = shapes.bin(planeDepth[c] - neurons.zRaw(i));
                    if (bin < 0 || shapes.end(shape, bin) == shapes.start(shape, bin)) {
                        continue;
                    }
                    final int q = perPlane[c]++;
                    if (pass == 1) {
                        final int cx = (int) Math.floor(neurons.xRaw(i) - planeOffX[c]) + pad;
                        final int cy = (int) Math.floor(neurons.yRaw(i) - planeOffY[c]) + pad;
                        pn[c][q] = i;
                        psb[c][q] = shape * shapes.bins() + bin;
                        pc[c][q] = cy * sceneWidth + cx;
                    }
                }
            }
        }
        pairNeuron = pn;
        pairShapeBin = psb;
        pairCentre = pc;

        // Static scenes: background (vignetted, vessels) + resting somata; neuropil texture (vessels).
        final int wx = sceneWidth + 2 * (offMax + 1);
        final int wy = sceneHeight + 2 * (offMax + 1);
        final double worldOriginX = -pad - offMax - 1;
        final double worldOriginY = -pad - offMax - 1;
        final SceneBuilder.Vessel[] vessels = SceneBuilder.vessels(params, worldOriginX, worldOriginX + wx,
                worldOriginY, worldOriginY + wy);
        final float[][] vesselMasks = new float[vessels.length][];
        for (int v = 0; v < vessels.length; v++) {
            vesselMasks[v] = SceneBuilder.vesselMask(vessels[v], params.vesselDarkening(), wx, wy, worldOriginX,
                    worldOriginY);
        }
        final float[][] fields = SceneBuilder.neuropilFields(params, sceneWidth, sceneHeight);
        staticScene = new float[planes][];
        neuropilScene = new float[planes][];
        final double cxp = planeWidth / 2.0;
        final double cyp = planeHeight / 2.0;
        final double r2max = cxp * cxp + cyp * cyp;
        for (int c = 0; c < planes; c++) {
            final float[] st = new float[sceneWidth * sceneHeight];
            final float[] np = new float[sceneWidth * sceneHeight];
            final float[] g = fields[order[c]];
            double mean = 0;
            for (int i = 0; i < g.length; i++) {
                mean += Math.exp(0.5 * g[i]);
            }
            mean /= g.length;
            final int shiftX = (int) Math.round(planeOffX[c]) + offMax + 1;
            final int shiftY = (int) Math.round(planeOffY[c]) + offMax + 1;
            for (int y = 0; y < sceneHeight; y++) {
                final double py = y - pad + 0.5 - cyp;
                for (int x = 0; x < sceneWidth; x++) {
                    final int k = y * sceneWidth + x;
                    float t = 1f;
                    for (int v = 0; v < vessels.length; v++) {
                        if (order[c] >= vessels[v].firstDepth() && order[c] <= vessels[v].lastDepth()) {
                            t = Math.min(t, vesselMasks[v][(y + shiftY) * wx + x + shiftX]);
                        }
                    }
                    final double px = x - pad + 0.5 - cxp;
                    final double vignette = 1 - 0.2 * Math.min(1.5, (px * px + py * py) / r2max);
                    st[k] = (float) (params.backgroundPhotons() * vignette * t);
                    np[k] = (float) (params.neuropilPhotons() * Math.exp(0.5 * g[k]) / mean * t);
                }
            }
            final int[] seen = pairNeuron[c];
            for (int q = 0; q < seen.length; q++) {
                final float f0 = neurons.baselineRaw(seen[q]);
                final int base = pairCentre[c][q];
                final int sb = pairShapeBin[c][q];
                for (int e = shapes.startOf(sb); e < shapes.endOf(sb); e++) {
                    st[base + entryOffset[e]] += f0 * entryWeight[e];
                }
            }
            staticScene[c] = st;
            neuropilScene[c] = np;
        }

        // Noise: a table of standard normal samples read at a random offset per line.
        final int tableLen = 1 << params.noiseTableLog2();
        noiseTable = new float[tableLen];
        final SplittableRandom nr = new SplittableRandom(Hash.of(params.seed(), Hash.NOISE_TABLE, 0, 0, 0));
        for (int i = 0; i < tableLen; i++) {
            noiseTable[i] = (float) nr.nextGaussian();
        }
        noiseRange = tableLen - params.stripWidth();
        gain = (float) params.gainAduPerPhoton();
        offset = (float) params.offsetAdu();
        readNoise = (float) params.readNoiseAdu();
        read2 = readNoise * readNoise;

        truthRenderer = new PlaneRenderer(this);
        truthCursor = new ActivityCursor(activity, n);
    }

    long lineNoiseHash(final long frameIndex, final int pageLine) {
        return Hash.of(params.seed(), Hash.NOISE_LINES, frameIndex, pageLine, 0);
    }

    int noiseOffset(final long h) {
        return (int) ((h >>> 1) % noiseRange);
    }

    float noiseSign(final long h) {
        return (h & 1L) == 0 ? 1f : -1f;
    }

    /** The parameters this world was built from. */
    public SimulationParameters parameters() {
        return params;
    }

    /** The raw page layout (strips, fly-to lines, trim). */
    public LbmLayout layout() {
        return layout;
    }

    /** The raw page geometry. */
    public FrameGeometry frameGeometry() {
        return layout.frameGeometry();
    }

    /** The neurons. */
    public NeuronTable neurons() {
        return neurons;
    }

    /** Depth in micrometres of plane (channel) {@code c}: planeOrder[c] * planeSpacingUm. */
    public double planeDepthUm(final int c) {
        return planeDepth[c];
    }

    /** Depth index (0 = shallowest) of each plane (channel), a copy. */
    public int[] planeOrder() {
        return params.planeOrder();
    }

    /**
     * Lateral calibration offset of plane {@code c} in pixels, {x, y}: the plane's pixel (x, y) sees the world point
     * (x + offset_x, y + offset_y). The shallowest plane has offset 0. Assembly aligns planes by subtracting it.
     */
    public double[] planeOffsetPx(final int c) {
        return new double[] {planeOffX[c], planeOffY[c]};
    }

    /**
     * Scan-phase offset of strip {@code s} in pixels: the content of its odd (reverse) lines appears displaced by this
     * much along +x relative to the even lines (odd(x) = even-content(x - phase)).
     */
    public double scanPhasePx(final int s) {
        return scanPhase[s];
    }

    /** Rigid displacement {x, y} in pixels of frame (volume, plane): frame(x, y) = scene(x - dx, y - dy). */
    public double[] rigidShiftPx(final long volume, final int plane) {
        return new double[] {motion.rigid(volume, plane, 0), motion.rigid(volume, plane, 1)};
    }

    /** Non-rigid coefficients of frame (volume, plane): {x terms..., y terms...} (see docs/simulator.md). */
    public float[] nonrigidCoefficients(final long volume, final int plane) {
        final float[] x = new float[MotionModel.TERMS];
        final float[] y = new float[MotionModel.TERMS];
        motion.nonrigid(volume, plane, 0, x);
        motion.nonrigid(volume, plane, 1, y);
        final float[] out = new float[2 * MotionModel.TERMS];
        System.arraycopy(x, 0, out, 0, MotionModel.TERMS);
        System.arraycopy(y, 0, out, MotionModel.TERMS, MotionModel.TERMS);
        return out;
    }

    /** Total displacement {x, y} (rigid + non-rigid) of assembled pixel (x, y) in frame (volume, plane). */
    public double[] displacementPx(final long volume, final int plane, final int x, final int y) {
        final float[] co = nonrigidCoefficients(volume, plane);
        final int ti = Math.floorDiv(x, MotionModel.TILE) - tileMin;
        float ax = 0f;
        float ay = 0f;
        if (motion.hasNonrigid() && ti >= 0 && ti < basisX[0].length && y >= 0 && y < planeHeight) {
            for (int k = 0; k < MotionModel.TERMS; k++) {
                ax += co[k] * basisY[k][y] * basisX[k][ti];
                ay += co[MotionModel.TERMS + k] * basisY[k][y] * basisX[k][ti];
            }
        }
        final double[] r = rigidShiftPx(volume, plane);
        return new double[] {r[0] + ax, r[1] + ay};
    }

    /** Shared population drive at volume {@code v}, in [-1, 1]. */
    public double populationDrive(final long v) {
        return activity.drive(v);
    }

    /** Neuropil brightness factor at volume {@code v}. */
    public double neuropilLevel(final long v) {
        return activity.neuropilLevel(v);
    }

    /** Photobleaching factor at volume {@code v} (1 at the start). */
    public double bleachFactor(final long v) {
        return activity.bleach(v);
    }

    /** Expected spike count of neuron {@code i} in volume {@code v} (rate x dt x population modulation). */
    public double expectedSpikes(final int i, final long v) {
        return activity.expectedSpikes(i, v);
    }

    /**
     * True activity of neurons {@code [from, to)} over volumes {@code [0, volumes)}.
     *
     * @throws IllegalArgumentException for an empty or out-of-range block, or one too big for Java arrays
     */
    public ActivityTraces activity(final int from, final int to, final int volumes) {
        if (from < 0 || to > neurons.count() || from > to || volumes < 0) {
            throw new IllegalArgumentException("neuron block [" + from + ", " + to + ") over " + volumes
                    + " volumes is out of range (" + neurons.count() + " neurons)");
        }
        final int n = to - from;
        if ((long) n * volumes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " neurons x " + volumes
                    + " volumes do not fit one array; ask for smaller blocks");
        }
        final float[] f = new float[n * volumes];
        final float[] dff = new float[n * volumes];
        final int[] spikes = new int[n * volumes];
        final float[] a = new float[n];
        final float[] b = new float[n];
        final float[] d = new float[n];
        final int[] cnt = new int[n];
        for (int v = 0; v < volumes; v++) {
            activity.step(from, to, v, a, b, d, cnt);
            final float bleach = (float) activity.bleach(v);
            for (int k = 0; k < n; k++) {
                final int idx = k * volumes + v;
                dff[idx] = d[k];
                f[idx] = neurons.baselineRaw(from + k) * (1 + d[k]) * bleach;
                spikes[idx] = cnt[k];
            }
        }
        return new ActivityTraces(from, n, volumes, f, dff, spikes);
    }

    /** The footprints visible on plane (channel) {@code c}, in its assembled coordinates, without motion. */
    public PlaneFootprints footprints(final int c) {
        final int[] pn = pairNeuron[c];
        final int[] rowsNeuron = new int[pn.length];
        final int[] start = new int[pn.length + 1];
        final int[] unclipped = new int[pn.length];
        int nnz = 0;
        for (int q = 0; q < pn.length; q++) {
            nnz += shapes.endOf(pairShapeBin[c][q]) - shapes.startOf(pairShapeBin[c][q]);
        }
        final int[] pix = new int[nnz];
        final float[] w = new float[nnz];
        int rows = 0;
        int e2 = 0;
        // pairs are in increasing neuron order by construction
        for (int q = 0; q < pn.length; q++) {
            final int base = pairCentre[c][q];
            final int cx = base % sceneWidth - pad;
            final int cy = base / sceneWidth - pad;
            final int sb = pairShapeBin[c][q];
            final int first = e2;
            for (int e = shapes.startOf(sb); e < shapes.endOf(sb); e++) {
                final int x = cx + shapes.dx(e);
                final int y = cy + shapes.dy(e);
                if (x >= 0 && y >= 0 && x < planeWidth && y < planeHeight) {
                    pix[e2] = y * planeWidth + x;
                    w[e2] = entryWeight[e];
                    e2++;
                }
            }
            if (e2 > first) {
                rowsNeuron[rows] = pn[q];
                start[rows] = first;
                unclipped[rows] = shapes.endOf(sb) - shapes.startOf(sb);
                rows++;
            }
        }
        start[rows] = e2;
        return new PlaneFootprints(c, planeWidth, planeHeight, java.util.Arrays.copyOf(rowsNeuron, rows),
                java.util.Arrays.copyOf(start, rows + 1), java.util.Arrays.copyOf(pix, e2),
                java.util.Arrays.copyOf(w, e2), java.util.Arrays.copyOf(unclipped, rows));
    }

    /**
     * Renders the true assembled image (planeWidth x planeHeight, row-major, float ADU including the offset) of plane
     * {@code plane} at volume {@code volume}: strips placed side by side and trimmed, no scan phase; motion and noise
     * as {@code options} say. Sequential volumes are cheap (the activity advances one volume); going back restarts the
     * activity from volume 0.
     *
     * @throws IllegalArgumentException if {@code out} is too small or the indices are out of range
     */
    public synchronized void renderAssembledPlane(final long volume, final int plane, final float[] out,
            final RenderOptions options) {
        if (volume < 0 || plane < 0 || plane >= params.planes()) {
            throw new IllegalArgumentException("no plane " + plane + " of volume " + volume + " (planes 0.."
                    + (params.planes() - 1) + ")");
        }
        if (out.length < planeWidth * planeHeight) {
            throw new IllegalArgumentException("output of " + out.length + " floats cannot hold a " + planeWidth
                    + " x " + planeHeight + " plane");
        }
        truthCursor.advanceTo(volume);
        truthRenderer.renderAssembled(volume, plane, truthCursor.dff(), out, options);
    }

    /**
     * Writes the ground truth of the first {@code volumes} volumes to {@code dir} (created if needed): the files and
     * their layout are listed in docs/simulator.md and in the truth.json written there.
     *
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    public void writeTruth(final Path dir, final long volumes) {
        new GroundTruthWriter(this).write(dir, volumes);
    }

    /** Scene padding in pixels on each side of the plane (for tests and the truth file). */
    int pad() {
        return pad;
    }

    /** Resting photons of the static scene of plane c at plane pixel (x, y) (no activity, no bleaching). */
    float staticPhotons(final int c, final int x, final int y) {
        return staticScene[c][(y + pad) * sceneWidth + x + pad];
    }

    @Override
    public String toString() {
        return "LbmSimulation{" + params.preset() + ", seed=" + params.seed() + ", " + neurons.count() + " neurons, "
                + planeWidth + " x " + planeHeight + " x " + params.planes() + "}";
    }
}
