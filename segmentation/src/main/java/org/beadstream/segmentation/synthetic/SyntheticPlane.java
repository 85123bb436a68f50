package org.beadstream.segmentation.synthetic;

import java.util.ArrayList;
import java.util.List;

import org.beadstream.segmentation.evaluate.TruthMask;

/**
 * One synthetic registered plane movie and its ground truth.
 *
 * @param parameters how it was made
 * @param movie      frames x height x width float32, frame-major (frame t, row y, column x at
 *                   {@code (t * height + y) * width + x})
 * @param cells      the true cells of this plane (active and silent)
 * <p>Immutable by convention (the arrays are shared, not copied: do not modify them); thread-safe for reading.
 */
public record SyntheticPlane(SyntheticParameters parameters, float[] movie, List<TrueCell> cells) {

    /** Width, pixels. */
    public int width() {
        return parameters.width();
    }

    /** Height, pixels. */
    public int height() {
        return parameters.height();
    }

    /** Frames. */
    public int frames() {
        return parameters.frames();
    }

    /** Ground truth for the evaluator: every cell's half-peak mask, counted when the cell fired. */
    public List<TruthMask> truthMasks() {
        final List<TruthMask> out = new ArrayList<>();
        for (final TrueCell c : cells) {
            out.add(new TruthMask(c.id(), c.plane(), c.mask(), c.active() && c.mask().length > 0));
        }
        return out;
    }
}
