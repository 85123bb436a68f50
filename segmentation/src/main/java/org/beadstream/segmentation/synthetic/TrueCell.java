package org.beadstream.segmentation.synthetic;

import java.util.Arrays;

/**
 * One true cell as seen in one plane.
 *
 * @param id          neuron id (same across planes and sessions)
 * @param plane       plane index
 * @param x           centre column in the plane, pixels
 * @param y           centre row, pixels
 * @param mask        pixels where the soma's shape is at least half its peak (ascending index), for IoU
 * @param pixels      all pixels the soma touches (ascending index)
 * @param shape       the soma's spatial profile on {@code pixels}, peak 1
 * @param calcium     the calcium trace (spike count units, before scaling by SNR)
 * @param active      whether the cell fired at least once
 * @param brightness  axial weight in this plane (1 for single planes)
 * @param soma        the soma's geometry
 * <p>Immutable by convention (arrays shared: do not modify); thread-safe for reading.
 */
public record TrueCell(int id, int plane, double x, double y, int[] mask, int[] pixels, float[] shape,
        float[] calcium, boolean active, double brightness, Soma soma) {

    @Override
    public String toString() {
        return "TrueCell[" + id + " plane " + plane + " at " + x + ", " + y + ", " + mask.length + " px, active "
                + active + "]";
    }

    /** Equal when id, plane and mask agree. */
    @Override
    public boolean equals(final Object o) {
        return o instanceof TrueCell c && c.id == id && c.plane == plane && Arrays.equals(c.mask, mask);
    }

    @Override
    public int hashCode() {
        return 31 * id + plane;
    }
}
