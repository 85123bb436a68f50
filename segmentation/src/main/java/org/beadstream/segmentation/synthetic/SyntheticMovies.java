package org.beadstream.segmentation.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Plane-level synthetic registered movies with known somata, for detection accuracy tables, tests and benchmarks.
 * Unlike the LBM simulator of the acquisition module (which makes raw ScanImage-like pages), these are already
 * assembled and registered float planes, the exact input of the detector, with the true footprints and activity.
 *
 * <p>Model: elliptical somata with a soft edge (half height at the nominal radius), a baseline brighter than the
 * neuropil plus Poisson spikes convolved with an exponential calcium kernel; a smooth neuropil field with a slow
 * shared fluctuation; Gaussian noise of sigma 1. Volumes place somata in 3D: a soma's brightness in a plane falls
 * off as a Gaussian of its axial distance (sigma 13 um: somata span 2-3 planes 15 um apart) and planes are
 * laterally offset. Sessions re-render the same somata shifted and rotated, with new activity and some silent.
 *
 * <p>Stateless; thread-safe.
 */
public final class SyntheticMovies {

    /** Axial sigma of a soma's brightness profile, um. */
    public static final double AXIAL_SIGMA_UM = 13.0;
    /** A soma is counted as visible in a plane when its axial weight is at least this. */
    public static final double VISIBLE_WEIGHT = 0.3;

    private static final double NEUROPIL_LEVEL = 4.0;
    private static final double CELL_BASELINE = 2.0;

    private SyntheticMovies() {
    }

    /** One plane with its ground truth. */
    public static SyntheticPlane plane(final SyntheticParameters p) {
        Objects.requireNonNull(p, "parameters");
        final SplittableRandom rnd = new SplittableRandom(p.seed());
        final List<Soma> somata = placeSomata(p, rnd, p.width(), p.height(), 0);
        final float[][] calcium = activity(p, somata.size(), p.silentFraction(), rnd);
        final List<Placed> placed = new ArrayList<>();
        for (final Soma s : somata) {
            placed.add(new Placed(s, s.x, s.y, s.angle, 1.0, 1.0));
        }
        return render(p, placed, calcium, rnd, 0);
    }

    /**
     * The same somata as {@code reference}, moved by a rotation of {@code rotationDegrees} about the plane centre
     * followed by a shift ({@code dx}, {@code dy}) pixels, with new activity (seed {@code activitySeed}) in which a
     * fraction {@code silentFraction} of cells never fires. Truth ids are the reference's ids; cells moved out of
     * the field are left out.
     */
    public static SyntheticPlane session(final SyntheticPlane reference, final double dx, final double dy,
            final double rotationDegrees, final double silentFraction, final long activitySeed) {
        final SyntheticParameters p = reference.parameters().withSeed(activitySeed).withSilentFraction(silentFraction);
        final SplittableRandom rnd = new SplittableRandom(activitySeed);
        final double th = Math.toRadians(rotationDegrees);
        final double cx0 = (p.width() - 1) / 2.0;
        final double cy0 = (p.height() - 1) / 2.0;
        final List<Placed> placed = new ArrayList<>();
        for (final TrueCell c : reference.cells()) {
            final Soma s = c.soma();
            final double rx = cx0 + Math.cos(th) * (s.x - cx0) - Math.sin(th) * (s.y - cy0) + dx;
            final double ry = cy0 + Math.sin(th) * (s.x - cx0) + Math.cos(th) * (s.y - cy0) + dy;
            if (rx < s.a + 1 || ry < s.a + 1 || rx > p.width() - s.a - 2 || ry > p.height() - s.a - 2) {
                continue;
            }
            placed.add(new Placed(s, rx, ry, s.angle + th, 1.0, 1.0));
        }
        final float[][] calcium = activity(p, placed.size(), silentFraction, rnd);
        return render(p, placed, calcium, rnd, 0);
    }

    /**
     * A volume of {@code planes} planes {@code planeSpacingUm} apart, pixels of {@code umPerPixel}, plane k seen
     * laterally offset by ({@code offsetX[k]}, {@code offsetY[k]}) pixels (assembled = world - offset). Density is
     * per plane-equivalent: the soma count is density x area x planes.
     */
    public static SyntheticVolume volume(final SyntheticParameters p, final int planes, final double planeSpacingUm,
            final double umPerPixel, final double[] offsetX, final double[] offsetY) {
        if (planes < 1 || offsetX.length != planes || offsetY.length != planes) {
            throw new IllegalArgumentException("volume needs at least 1 plane and one x and y offset per plane, got "
                    + planes + " planes, " + offsetX.length + " x offsets, " + offsetY.length + " y offsets");
        }
        if (!(planeSpacingUm > 0) || !(umPerPixel > 0)) {
            throw new IllegalArgumentException("plane spacing and pixel size must be positive, were "
                    + planeSpacingUm + " and " + umPerPixel + " um");
        }
        final SplittableRandom rnd = new SplittableRandom(p.seed());
        final double depth = planes * planeSpacingUm;
        final List<Soma> somata = new ArrayList<>();
        for (int k = 0; k < planes; k++) {
            somata.addAll(placeSomata(p, rnd, p.width(), p.height(), somata.size()));
        }
        for (final Soma s : somata) {
            s.z = rnd.nextDouble(-planeSpacingUm / 2, depth - planeSpacingUm / 2);
        }
        final float[][] calcium = activity(p, somata.size(), p.silentFraction(), rnd);
        final List<SyntheticPlane> out = new ArrayList<>();
        for (int k = 0; k < planes; k++) {
            final double zk = k * planeSpacingUm;
            final List<Placed> placed = new ArrayList<>();
            final List<float[]> cal = new ArrayList<>();
            for (int i = 0; i < somata.size(); i++) {
                final Soma s = somata.get(i);
                final double w = Math.exp(-(s.z - zk) * (s.z - zk) / (2 * AXIAL_SIGMA_UM * AXIAL_SIGMA_UM));
                if (w < 0.05) {
                    continue;
                }
                final double px = s.x - offsetX[k];
                final double py = s.y - offsetY[k];
                if (px < 0 || py < 0 || px > p.width() - 1 || py > p.height() - 1) {
                    continue;
                }
                placed.add(new Placed(s, px, py, s.angle, w, Math.sqrt(Math.max(0.5, w))));
                cal.add(calcium[i]);
            }
            out.add(render(p.withSeed(p.seed() * 31 + k), placed, cal.toArray(new float[0][]),
                    new SplittableRandom(p.seed() * 131 + k), k));
        }
        return new SyntheticVolume(p, planeSpacingUm, umPerPixel, offsetX.clone(), offsetY.clone(), out,
                somata.size());
    }

    private static List<Soma> placeSomata(final SyntheticParameters p, final SplittableRandom rnd, final int w,
            final int h, final int firstId) {
        final int n = (int) Math.round(p.cellsPer10kPixels() * w * h / 10000.0);
        final List<Soma> out = new ArrayList<>();
        final double r = p.cellRadiusPixels();
        int tries = 0;
        while (out.size() < n && tries < n * 200) {
            tries++;
            final double a = r * (1 + 0.12 * clamp(rnd.nextGaussian(), -2, 2));
            final double b = a * rnd.nextDouble(0.75, 1.0);
            final double x = rnd.nextDouble(a + 1, w - a - 2);
            final double y = rnd.nextDouble(a + 1, h - a - 2);
            boolean ok = true;
            for (final Soma o : out) {
                // somata may touch but not overlap by more than a little (centres at least 1.6 radii apart)
                if (Math.hypot(o.x - x, o.y - y) < 0.8 * (o.a + a)) {
                    ok = false;
                    break;
                }
            }
            if (ok) {
                out.add(new Soma(firstId + out.size(), x, y, a, b, rnd.nextDouble(0, Math.PI)));
            }
        }
        return out;
    }

    private static double clamp(final double v, final double lo, final double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static float[][] activity(final SyntheticParameters p, final int n, final double silentFraction,
            final SplittableRandom rnd) {
        final int t = p.frames();
        final double dt = 1.0 / p.frameRateHz();
        final double decay = Math.exp(-dt / p.decaySeconds());
        final float[][] out = new float[n][t];
        for (int i = 0; i < n; i++) {
            if (rnd.nextDouble() < silentFraction) {
                continue;
            }
            // rate varies across cells (log-normal around the mean), so some active cells are dim and sparse
            final double rate = p.spikeRateHz() * Math.exp(0.5 * clamp(rnd.nextGaussian(), -2, 2));
            double c = 0;
            for (int k = 0; k < t; k++) {
                c *= decay;
                final double lambda = rate * dt;
                // Poisson spike count
                double l = Math.exp(-lambda);
                double prod = rnd.nextDouble();
                int spikes = 0;
                while (prod > l && spikes < 10) {
                    spikes++;
                    prod *= rnd.nextDouble();
                }
                c += spikes;
                out[i][k] = (float) c;
            }
        }
        return out;
    }

    private static SyntheticPlane render(final SyntheticParameters p, final List<Placed> placed,
            final float[][] calcium, final SplittableRandom rnd, final int plane) {
        final int w = p.width();
        final int h = p.height();
        final int t = p.frames();
        final int hw = w * h;
        final float[] movie = new float[(int) Math.min(Integer.MAX_VALUE - 8, (long) t * hw)];
        if ((long) t * hw > movie.length) {
            throw new IllegalArgumentException("synthetic movie of " + t + " x " + h + " x " + w
                    + " does not fit one float array");
        }
        // neuropil: smooth spatial field times a slow shared fluctuation
        final float[] field = new float[hw];
        final double fx = rnd.nextDouble(1, 3) * 2 * Math.PI / w;
        final double fy = rnd.nextDouble(1, 3) * 2 * Math.PI / h;
        final double ph = rnd.nextDouble(0, 2 * Math.PI);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                field[y * w + x] = (float) (NEUROPIL_LEVEL * (1 + 0.25 * Math.sin(fx * x + ph) * Math.cos(fy * y)));
            }
        }
        final float[] shared = new float[t];
        double walk = 0;
        for (int k = 0; k < t; k++) {
            walk = 0.97 * walk + 0.03 * rnd.nextGaussian();
            shared[k] = (float) (1 + 0.5 * walk);
        }
        for (int k = 0; k < t; k++) {
            final int off = k * hw;
            final float s = shared[k];
            for (int i = 0; i < hw; i++) {
                movie[off + i] = field[i] * s + (float) rnd.nextGaussian();
            }
        }
        final List<TrueCell> cells = new ArrayList<>();
        for (int c = 0; c < placed.size(); c++) {
            final Placed pl = placed.get(c);
            final Soma s = pl.soma;
            final double a = s.a * pl.radiusScale;
            final double b = s.b * pl.radiusScale;
            final int x0 = Math.max(0, (int) Math.floor(pl.x - 1.8 * a));
            final int x1 = Math.min(w - 1, (int) Math.ceil(pl.x + 1.8 * a));
            final int y0 = Math.max(0, (int) Math.floor(pl.y - 1.8 * a));
            final int y1 = Math.min(h - 1, (int) Math.ceil(pl.y + 1.8 * a));
            final List<int[]> pix = new ArrayList<>();
            final List<Float> val = new ArrayList<>();
            final double ca = Math.cos(pl.angle);
            final double sa = Math.sin(pl.angle);
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    final double u = (x - pl.x) * ca + (y - pl.y) * sa;
                    final double v = -(x - pl.x) * sa + (y - pl.y) * ca;
                    final double rho = Math.sqrt(u * u / (a * a) + v * v / (b * b));
                    final double shape = 1 / (1 + Math.exp((rho - 1) / 0.1));
                    if (shape > 0.02) {
                        pix.add(new int[] {y * w + x});
                        val.add((float) shape);
                    }
                }
            }
            final int n = pix.size();
            final int[] idx = new int[n];
            final float[] shp = new float[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                idx[i] = pix.get(i)[0];
                shp[i] = val.get(i);
                if (shp[i] >= 0.5) {
                    m++;
                }
            }
            final int[] mask = new int[m];
            m = 0;
            for (int i = 0; i < n; i++) {
                if (shp[i] >= 0.5) {
                    mask[m++] = idx[i];
                }
            }
            final float[] ca2 = calcium[c];
            final double amp = p.snr() * pl.brightness;
            final double base = CELL_BASELINE * pl.brightness;
            for (int k = 0; k < t; k++) {
                final int off = k * hw;
                final float level = (float) (base + amp * ca2[k]);
                for (int i = 0; i < n; i++) {
                    movie[off + idx[i]] += shp[i] * level;
                }
            }
            boolean active = false;
            for (final float v : ca2) {
                if (v > 0) {
                    active = true;
                    break;
                }
            }
            cells.add(new TrueCell(s.id(), plane, pl.x, pl.y, mask, idx, shp, ca2.clone(), active, pl.brightness, s));
        }
        return new SyntheticPlane(p, movie, cells);
    }

    private record Placed(Soma soma, double x, double y, double angle, double brightness, double radiusScale) {
    }

}
