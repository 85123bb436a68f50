package org.beadstream.acquisition.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The ground-truth neurons of a simulation, one row per neuron, stored as parallel primitive arrays (about 50 bytes a
 * neuron, so a million fit in 50 MB): centre, soma shape (radii and orientation from the shape library), the depths
 * it reaches, resting brightness and firing parameters.
 *
 * <p>Coordinates: x and y are <em>world</em> pixels (column and line of the reference plane, before the per-plane
 * calibration offsets and before motion; pixel {@code i} spans [i, i + 1), so a centre at a pixel's middle is
 * {@code i + 0.5}); z is depth in micrometres below the shallowest plane (depth index 0 lies at z = 0, depth index
 * {@code d} at {@code d * planeSpacingUm}). Lateral centres lie at pixel middles.
 *
 * <p>Immutable after construction and thread-safe.
 */
public final class NeuronTable {

    private final int count;
    private final double pixelSizeUm;
    private final float[] xPx;
    private final float[] yPx;
    private final float[] zUm;
    private final int[] shape;
    private final float[] baseline;
    private final float[] rateHz;
    private final float[] coupling;
    private final float[] tauDecayS;
    private final short[] firstDepth;
    private final short[] lastDepth;
    private final int crowded;
    private final SomaShapes shapes;

    /**
     * Places {@code p.neurons()} neurons uniformly in the world box, trying to keep {@code minNeuronDistanceUm}
     * between centres (up to 24 tries each; a neuron that finds no room is placed anyway and counted as crowded).
     */
    NeuronTable(final SimulationParameters p, final SomaShapes shapes, final double x0, final double x1,
            final double y0, final double y1) {
        this.count = p.neurons();
        this.pixelSizeUm = p.pixelSizeUm();
        this.shapes = shapes;
        xPx = new float[count];
        yPx = new float[count];
        zUm = new float[count];
        shape = new int[count];
        baseline = new float[count];
        rateHz = new float[count];
        coupling = new float[count];
        tauDecayS = new float[count];
        firstDepth = new short[count];
        lastDepth = new short[count];
        final SplittableRandom rnd = new SplittableRandom(Hash.of(p.seed(), Hash.NEURONS, 0, 0, 0));
        final double dz = p.planeSpacingUm();
        final double z0 = -dz / 2;
        final double z1 = (p.planes() - 1) * dz + dz / 2;
        final double ps = p.pixelSizeUm();
        // Grid hash over the box in micrometres for the minimum-distance test.
        final double minD = p.minNeuronDistanceUm();
        final double cell = Math.max(minD, 1e-3);
        final int gx = Math.max(1, (int) Math.ceil((x1 - x0) * ps / cell));
        final int gy = Math.max(1, (int) Math.ceil((y1 - y0) * ps / cell));
        final int gz = Math.max(1, (int) Math.ceil((z1 - z0) / cell));
        final boolean useGrid = minD > 0 && (long) gx * gy * gz <= 50_000_000L;
        final int[] head = useGrid ? new int[gx * gy * gz] : new int[0];
        Arrays.fill(head, -1);
        final int[] next = useGrid ? new int[count] : new int[0];
        int crowdedCount = 0;
        boolean giveUp = !useGrid;
        for (int i = 0; i < count; i++) {
            double x = 0;
            double y = 0;
            double z = 0;
            boolean ok = false;
            final int tries = giveUp ? 1 : 24;
            for (int t = 0; t < tries && !ok; t++) {
                x = Math.floor(x0 + rnd.nextDouble() * (x1 - x0)) + 0.5;
                y = Math.floor(y0 + rnd.nextDouble() * (y1 - y0)) + 0.5;
                z = z0 + rnd.nextDouble() * (z1 - z0);
                ok = giveUp || isFree(x, y, z, head, next, gx, gy, gz, x0, y0, z0, ps, cell, minD, i);
            }
            if (!ok) {
                crowdedCount++;
                // Dense packings cannot honour the distance: stop trying once a tenth of the neurons failed.
                if (crowdedCount > 100 && crowdedCount > i / 10) {
                    giveUp = true;
                }
            }
            xPx[i] = (float) x;
            yPx[i] = (float) y;
            zUm[i] = (float) z;
            if (useGrid) {
                final int c = cellOf(x, y, z, gx, gy, gz, x0, y0, z0, ps, cell);
                next[i] = head[c];
                head[c] = i;
            }
            shape[i] = rnd.nextInt(shapes.shapes());
            baseline[i] = (float) (p.baselinePhotons() * Math.exp(p.baselineSigma() * rnd.nextGaussian()));
            final boolean silent = rnd.nextDouble() < p.silentFraction();
            final double rate = p.spikeRateMedianHz() * Math.exp(p.spikeRateSigma() * rnd.nextGaussian());
            rateHz[i] = silent ? 0f : (float) Math.min(rate, p.volumeRateHz() * 5);
            coupling[i] = (float) (p.populationCoupling() * rnd.nextDouble());
            tauDecayS[i] = (float) (p.tauDecayMinS() + rnd.nextDouble() * (p.tauDecayMaxS() - p.tauDecayMinS()));
            final double reach = shapes.reachUm();
            firstDepth[i] = (short) Math.max(0, Math.ceil((z - reach) / dz));
            lastDepth[i] = (short) Math.min(p.planes() - 1, Math.floor((z + reach) / dz));
        }
        this.crowded = crowdedCount;
    }

    private static int cellOf(final double x, final double y, final double z, final int gx, final int gy,
            final int gz, final double x0, final double y0, final double z0, final double ps, final double cell) {
        final int cx = Math.min(gx - 1, Math.max(0, (int) ((x - x0) * ps / cell)));
        final int cy = Math.min(gy - 1, Math.max(0, (int) ((y - y0) * ps / cell)));
        final int cz = Math.min(gz - 1, Math.max(0, (int) ((z - z0) / cell)));
        return (cz * gy + cy) * gx + cx;
    }

    private boolean isFree(final double x, final double y, final double z, final int[] head, final int[] next,
            final int gx, final int gy, final int gz, final double x0, final double y0, final double z0,
            final double ps, final double cell, final double minD, final int placed) {
        final int cx = Math.min(gx - 1, Math.max(0, (int) ((x - x0) * ps / cell)));
        final int cy = Math.min(gy - 1, Math.max(0, (int) ((y - y0) * ps / cell)));
        final int cz = Math.min(gz - 1, Math.max(0, (int) ((z - z0) / cell)));
        final double min2 = minD * minD;
        for (int iz = Math.max(0, cz - 1); iz <= Math.min(gz - 1, cz + 1); iz++) {
            for (int iy = Math.max(0, cy - 1); iy <= Math.min(gy - 1, cy + 1); iy++) {
                for (int ix = Math.max(0, cx - 1); ix <= Math.min(gx - 1, cx + 1); ix++) {
                    for (int j = head[(iz * gy + iy) * gx + ix]; j >= 0; j = next[j]) {
                        final double ddx = (xPx[j] - x) * ps;
                        final double ddy = (yPx[j] - y) * ps;
                        final double ddz = zUm[j] - z;
                        if (ddx * ddx + ddy * ddy + ddz * ddz < min2) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    /** Number of neurons. */
    public int count() {
        return count;
    }

    /** Neurons placed closer than the minimum distance because the volume was too crowded. */
    public int crowdedPlacements() {
        return crowded;
    }

    /** Centre x in world pixels (a pixel middle, i + 0.5). */
    public double xPx(final int i) {
        return xPx[i];
    }

    /** Centre y in world pixels. */
    public double yPx(final int i) {
        return yPx[i];
    }

    /** Centre x in micrometres (x px times the pixel size). */
    public double xUm(final int i) {
        return xPx[i] * pixelSizeUm;
    }

    /** Centre y in micrometres. */
    public double yUm(final int i) {
        return yPx[i] * pixelSizeUm;
    }

    /** Centre depth in micrometres below depth index 0. */
    public double zUm(final int i) {
        return zUm[i];
    }

    /** Soma semi-axis {@code axis} (0, 1, 2, body frame) in micrometres. */
    public double radiusUm(final int i, final int axis) {
        return shapes.radiusUm(shape[i], axis);
    }

    /** Orientation quaternion component {@code c} (0 = w, 1 = x, 2 = y, 3 = z) rotating body axes to the world. */
    public double orientation(final int i, final int c) {
        return shapes.quaternion(shape[i], c);
    }

    /** Index of the neuron's shape in the library. */
    public int shape(final int i) {
        return shape[i];
    }

    /** First depth index whose plane can see the soma (the footprint may still be empty there). */
    public int firstDepth(final int i) {
        return firstDepth[i];
    }

    /** Last depth index whose plane can see the soma. */
    public int lastDepth(final int i) {
        return lastDepth[i];
    }

    /** Resting brightness F0 in photons per pixel per frame at footprint weight 1. */
    public double baselinePhotons(final int i) {
        return baseline[i];
    }

    /** Mean firing rate in Hz before population modulation (0 for silent cells). */
    public double spikeRateHz(final int i) {
        return rateHz[i];
    }

    /** Coupling to the shared population drive (rates scale by exp(coupling * drive)). */
    public double coupling(final int i) {
        return coupling[i];
    }

    /** Calcium decay time constant in seconds. */
    public double tauDecayS(final int i) {
        return tauDecayS[i];
    }

    float baselineRaw(final int i) {
        return baseline[i];
    }

    float rateRaw(final int i) {
        return rateHz[i];
    }

    float couplingRaw(final int i) {
        return coupling[i];
    }

    float tauDecayRaw(final int i) {
        return tauDecayS[i];
    }

    float xRaw(final int i) {
        return xPx[i];
    }

    float yRaw(final int i) {
        return yPx[i];
    }

    float zRaw(final int i) {
        return zUm[i];
    }
}
