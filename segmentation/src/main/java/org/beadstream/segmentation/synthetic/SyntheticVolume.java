package org.beadstream.segmentation.synthetic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.beadstream.segmentation.evaluate.TruthMask;

/**
 * A synthetic registered volume: one {@link SyntheticPlane} per plane, the somata shared between planes (a soma's
 * {@link TrueCell#id()} is the same in every plane it is visible in).
 *
 * @param parameters     per-plane parameters
 * @param planeSpacingUm axial distance between planes, um
 * @param umPerPixel     lateral pixel size, um
 * @param offsetX        per-plane lateral offset, pixels (assembled plane = world - offset)
 * @param offsetY        per-plane lateral offset, pixels
 * @param planes         the planes, in depth order
 * @param neuronCount    number of somata in the volume (ids 0 .. neuronCount - 1)
 * <p>Immutable by convention (arrays shared: do not modify); thread-safe for reading.
 */
public record SyntheticVolume(SyntheticParameters parameters, double planeSpacingUm, double umPerPixel,
        double[] offsetX, double[] offsetY, List<SyntheticPlane> planes, int neuronCount) {

    /**
     * Ground truth for the evaluator: each neuron's half-peak mask in every plane it reaches; a neuron is counted
     * when it fired and is clearly visible ({@link SyntheticMovies#VISIBLE_WEIGHT}) in at least one plane.
     */
    public List<TruthMask> truthMasks() {
        final Set<Integer> counted = new HashSet<>();
        for (final SyntheticPlane p : planes) {
            for (final TrueCell c : p.cells()) {
                if (c.active() && c.brightness() >= SyntheticMovies.VISIBLE_WEIGHT && c.mask().length > 0) {
                    counted.add(c.id());
                }
            }
        }
        final List<TruthMask> out = new ArrayList<>();
        for (final SyntheticPlane p : planes) {
            for (final TrueCell c : p.cells()) {
                if (c.mask().length > 0) {
                    out.add(new TruthMask(c.id(), c.plane(), c.mask(), counted.contains(c.id())));
                }
            }
        }
        return out;
    }
}
