package org.beadstream.segmentation.synthetic;

/**
 * A soma's geometry (world coordinates for volumes): centre, semi-axes, orientation, depth. Its depth is set once while
 * a volume is made; afterwards it is read-only and thread-safe for reading.
 */
public final class Soma {
    private final int id;
    final double x;
    final double y;
    final double a;
    final double b;
    final double angle;
    double z;

    Soma(final int id, final double x, final double y, final double a, final double b, final double angle) {
        this.id = id;
        this.x = x;
        this.y = y;
        this.a = a;
        this.b = b;
        this.angle = angle;
    }

    /** Neuron id (shared by all planes and sessions). */
    public int id() {
        return id;
    }

    /** Centre column (world / plane-0 coordinates), pixels. */
    public double x() {
        return x;
    }

    /** Centre row, pixels. */
    public double y() {
        return y;
    }

    /** Major semi-axis, pixels. */
    public double radius() {
        return a;
    }

    /** Depth of the soma centre, um (0 = plane 0; 0 for single planes). */
    public double z() {
        return z;
    }

    @Override
    public String toString() {
        return "Soma[" + id + " at " + x + ", " + y + ", z " + z + "]";
    }
}
