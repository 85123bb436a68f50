package org.beadstream.benchmarks.segmentation;

import java.util.ArrayList;
import java.util.List;

import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.acquisition.sim.PlaneFootprints;
import org.beadstream.acquisition.sim.RenderOptions;
import org.beadstream.segmentation.detect.BinnedMovie;
import org.beadstream.segmentation.evaluate.TruthMask;

/**
 * Helpers shared by the runs on the acquisition module's LBM simulator: binned registered windows of every plane,
 * and the truth as evaluator masks (half-peak mask per neuron and plane; a neuron counts when it fires in the window
 * and its footprint weight reaches 0.3, as {@code beadstream evaluate} does). Stateless; thread-safe.
 */
final class LbmTruth {

    private LbmTruth() {
    }

    /** Renders volumes [0, volumes) of every plane without motion, with noise, binned by {@code bin}. */
    static List<BinnedMovie> binnedWindows(final LbmSimulation sim, final int volumes, final int bin) {
        final int planes = sim.parameters().planes();
        final int w = sim.layout().planeWidth();
        final int h = sim.layout().planeHeight();
        final List<BinnedMovie> binned = new ArrayList<>();
        for (int c = 0; c < planes; c++) {
            binned.add(new BinnedMovie(w, h, bin, volumes / bin, sim.parameters().volumeRateHz()));
        }
        final float[] frame = new float[w * h];
        final RenderOptions noisy = new RenderOptions(false, true);
        for (int v = 0; v < volumes / bin * bin; v++) {
            for (int c = 0; c < planes; c++) {
                sim.renderAssembledPlane(v, c, frame, noisy);
                binned.get(c).addFrame(frame, 0);
            }
        }
        return binned;
    }

    /** Spikes per neuron in volumes [0, volumes). */
    static int[] spikeCounts(final LbmSimulation sim, final int volumes) {
        final int n = sim.neurons().count();
        final int[] count = new int[n];
        final var act = sim.activity(0, n, volumes);
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < volumes; v++) {
                count[i] += act.spikes(i, v);
            }
        }
        return count;
    }

    /** The truth masks, planes numbered as the simulator's channels (identity order in the presets used here). */
    static List<TruthMask> masks(final LbmSimulation sim, final int[] spikeCounts) {
        final int planes = sim.parameters().planes();
        final double[] peak = new double[sim.neurons().count()];
        final List<PlaneFootprints> fps = new ArrayList<>();
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = sim.footprints(c);
            fps.add(f);
            for (int k = 0; k < f.count(); k++) {
                for (int e = f.start(k); e < f.end(k); e++) {
                    peak[f.neuron(k)] = Math.max(peak[f.neuron(k)], f.weight(e));
                }
            }
        }
        final List<TruthMask> truth = new ArrayList<>();
        for (int c = 0; c < planes; c++) {
            final PlaneFootprints f = fps.get(c);
            for (int k = 0; k < f.count(); k++) {
                float max = 0;
                for (int e = f.start(k); e < f.end(k); e++) {
                    max = Math.max(max, f.weight(e));
                }
                final List<Integer> px = new ArrayList<>();
                for (int e = f.start(k); e < f.end(k); e++) {
                    if (f.weight(e) >= 0.5f * max) {
                        px.add(f.pixel(e));
                    }
                }
                final int n = f.neuron(k);
                truth.add(new TruthMask(n, c, px.stream().mapToInt(Integer::intValue).toArray(),
                        spikeCounts[n] > 0 && peak[n] >= 0.3));
            }
        }
        return truth;
    }
}
