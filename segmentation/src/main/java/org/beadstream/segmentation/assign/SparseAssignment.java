package org.beadstream.segmentation.assign;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Maximum-weight one-to-one assignment between rows and columns given only the candidate pairs (edges with a
 * positive weight; absent pairs are forbidden). The candidate graph is split into connected components and each
 * component is solved exactly with the Hungarian algorithm (Kuhn-Munkres, O(k^3) for a component of k nodes), so
 * a million ROIs with a few candidates each cost little. Components larger than {@link #MAX_EXACT} nodes fall back
 * to greedy by descending weight (reported by {@link Result#greedyComponents()}).
 *
 * <p>Stateless; thread-safe.
 */
public final class SparseAssignment {

    /** Largest component (rows + columns) solved exactly. */
    public static final int MAX_EXACT = 2000;

    private SparseAssignment() {
    }

    /**
     * An assignment.
     *
     * @param rowToCol         column assigned to each row, or -1
     * @param colToRow         row assigned to each column, or -1
     * @param greedyComponents components too large for the exact solver (solved greedily)
     * <p>Immutable by convention; thread-safe for reading.
     */
    public record Result(int[] rowToCol, int[] colToRow, int greedyComponents) {
    }

    /**
     * Solves the assignment.
     *
     * @param rows    number of rows
     * @param cols    number of columns
     * @param edgeRow row of each candidate pair
     * @param edgeCol column of each candidate pair
     * @param weight  weight of each pair, positive (larger is better)
     */
    public static Result solve(final int rows, final int cols, final int[] edgeRow, final int[] edgeCol,
            final double[] weight) {
        final int e = edgeRow.length;
        if (edgeCol.length != e || weight.length != e) {
            throw new IllegalArgumentException("edge arrays disagree: " + e + " rows, " + edgeCol.length
                    + " columns, " + weight.length + " weights");
        }
        for (int k = 0; k < e; k++) {
            if (edgeRow[k] < 0 || edgeRow[k] >= rows || edgeCol[k] < 0 || edgeCol[k] >= cols) {
                throw new IllegalArgumentException("edge " + k + " (" + edgeRow[k] + ", " + edgeCol[k]
                        + ") outside " + rows + " x " + cols);
            }
            if (!(weight[k] > 0) || !Double.isFinite(weight[k])) {
                throw new IllegalArgumentException("edge " + k + " weight must be positive and finite, was "
                        + weight[k]);
            }
        }
        // union-find over rows [0, rows) and columns [rows, rows + cols)
        final int[] parent = new int[rows + cols];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        for (int k = 0; k < e; k++) {
            union(parent, edgeRow[k], rows + edgeCol[k]);
        }
        final int[] compOfRoot = new int[parent.length];
        Arrays.fill(compOfRoot, -1);
        final List<List<Integer>> compEdges = new ArrayList<>();
        for (int k = 0; k < e; k++) {
            final int root = find(parent, edgeRow[k]);
            if (compOfRoot[root] < 0) {
                compOfRoot[root] = compEdges.size();
                compEdges.add(new ArrayList<>());
            }
            compEdges.get(compOfRoot[root]).add(k);
        }
        final int[] rowToCol = new int[rows];
        final int[] colToRow = new int[cols];
        Arrays.fill(rowToCol, -1);
        Arrays.fill(colToRow, -1);
        int greedy = 0;
        for (final List<Integer> edges : compEdges) {
            // local numbering
            final int[] rIds = edges.stream().mapToInt(k -> edgeRow[k]).distinct().sorted().toArray();
            final int[] cIds = edges.stream().mapToInt(k -> edgeCol[k]).distinct().sorted().toArray();
            if (rIds.length + cIds.length > MAX_EXACT) {
                greedy++;
                final Integer[] order = edges.toArray(new Integer[0]);
                Arrays.sort(order, (a, b) -> Double.compare(weight[b], weight[a]));
                for (final int k : order) {
                    if (rowToCol[edgeRow[k]] < 0 && colToRow[edgeCol[k]] < 0) {
                        rowToCol[edgeRow[k]] = edgeCol[k];
                        colToRow[edgeCol[k]] = edgeRow[k];
                    }
                }
                continue;
            }
            final int n = Math.max(rIds.length, cIds.length);
            final double[][] cost = new double[n][n];
            double maxW = 0;
            for (final int k : edges) {
                maxW = Math.max(maxW, weight[k]);
            }
            // forbidden pairs cost more than any assignment of real pairs can save
            final double forbidden = (maxW + 1) * (n + 1);
            for (final double[] row : cost) {
                Arrays.fill(row, forbidden);
            }
            for (final int k : edges) {
                final int i = Arrays.binarySearch(rIds, edgeRow[k]);
                final int j = Arrays.binarySearch(cIds, edgeCol[k]);
                cost[i][j] = Math.min(cost[i][j], maxW - weight[k]);
            }
            final int[] assign = hungarian(cost);
            for (int i = 0; i < rIds.length; i++) {
                final int j = assign[i];
                if (j >= 0 && j < cIds.length && cost[i][j] < forbidden) {
                    rowToCol[rIds[i]] = cIds[j];
                    colToRow[cIds[j]] = rIds[i];
                }
            }
        }
        return new Result(rowToCol, colToRow, greedy);
    }

    private static int find(final int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(final int[] parent, final int a, final int b) {
        final int ra = find(parent, a);
        final int rb = find(parent, b);
        if (ra != rb) {
            parent[ra] = rb;
        }
    }

    /** Minimum-cost perfect assignment on a square matrix (potentials method); returns column per row. */
    static int[] hungarian(final double[][] a) {
        final int n = a.length;
        final double[] u = new double[n + 1];
        final double[] v = new double[n + 1];
        final int[] p = new int[n + 1];
        final int[] way = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            final double[] minv = new double[n + 1];
            final boolean[] used = new boolean[n + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            do {
                used[j0] = true;
                final int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = 0;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        final double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                final int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        final int[] ans = new int[n];
        for (int j = 1; j <= n; j++) {
            ans[p[j] - 1] = j - 1;
        }
        return ans;
    }
}
