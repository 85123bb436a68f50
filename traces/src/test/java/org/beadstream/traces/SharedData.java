package org.beadstream.traces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Finds the read-only shared test data and reads the spikefinder CSV files. */
public final class SharedData {

    private SharedData() {
    }

    /** The shared data folder: system property beadstream.shared.data, else ../shared/data from the repo root. */
    public static Path root() {
        final String prop = System.getProperty("beadstream.shared.data");
        if (prop != null && Files.isDirectory(Paths.get(prop))) {
            return Paths.get(prop);
        }
        for (final String candidate : new String[] {"../shared/data", "../../shared/data"}) {
            final Path p = Paths.get(candidate).toAbsolutePath().normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        throw new IllegalStateException("shared data folder not found (set -Dbeadstream.shared.data)");
    }

    /**
     * Reads a spikefinder CSV (header line of column numbers, rows at 100 Hz, NaN padding) as columns with the NaN
     * tail cut off.
     */
    public static List<float[]> spikefinderColumns(final String file) {
        final List<String> lines;
        try {
            lines = Files.readAllLines(root().resolve("spikefinder").resolve(file));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read spikefinder/" + file, e);
        }
        final int cols = lines.get(0).split(",").length;
        final float[][] data = new float[cols][lines.size() - 1];
        final int[] length = new int[cols];
        for (int row = 1; row < lines.size(); row++) {
            final String[] cells = lines.get(row).split(",", -1);
            for (int c = 0; c < cols; c++) {
                final String s = c < cells.length ? cells[c].trim() : "";
                final float v = s.isEmpty() ? Float.NaN : Float.parseFloat(s);
                data[c][row - 1] = v;
                if (!Float.isNaN(v)) {
                    length[c] = row;
                }
            }
        }
        final List<float[]> out = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            out.add(java.util.Arrays.copyOf(data[c], length[c]));
        }
        return out;
    }

    /** Pearson correlation of two equally long arrays. */
    public static double pearson(final float[] a, final float[] b) {
        final int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= n;
        mb /= n;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            final double da = a[i] - ma;
            final double db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return sab / Math.sqrt(saa * sbb);
    }

    /** Median of a copy of the values. */
    public static double median(final double[] values) {
        final double[] s = values.clone();
        java.util.Arrays.sort(s);
        final int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
