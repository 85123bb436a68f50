package org.beadstream.segmentation.sessions;

/**
 * Where the reference session's pixels are in the moving session: {@code x' = a11 x + a12 y + a13},
 * {@code y' = a21 x + a22 y + a23} (reference to moving), fitted to block-wise shifts; plus the rigid shift and fit
 * quality.
 *
 * @param a11         affine coefficient
 * @param a12         affine coefficient
 * @param a13         affine coefficient (x translation, pixels)
 * @param a21         affine coefficient
 * @param a22         affine coefficient
 * @param a23         affine coefficient (y translation, pixels)
 * @param rigidDx     whole-image shift in x, pixels
 * @param rigidDy     whole-image shift in y, pixels
 * @param blocksUsed  blocks whose shift entered the affine fit (0 when the transform is rigid only)
 * @param residualPixels RMS distance between block shifts and the fitted transform, pixels
 * <p>Immutable and thread-safe.
 */
public record SessionTransform(double a11, double a12, double a13, double a21, double a22, double a23,
        double rigidDx, double rigidDy, int blocksUsed, double residualPixels) {

    /** A pure translation. */
    public static SessionTransform rigid(final double dx, final double dy) {
        return new SessionTransform(1, 0, dx, 0, 1, dy, dx, dy, 0, 0);
    }

    /** Reference to moving, x. */
    public double forwardX(final double x, final double y) {
        return a11 * x + a12 * y + a13;
    }

    /** Reference to moving, y. */
    public double forwardY(final double x, final double y) {
        return a21 * x + a22 * y + a23;
    }

    /** Moving to reference, x. */
    public double inverseX(final double x, final double y) {
        final double det = a11 * a22 - a12 * a21;
        return (a22 * (x - a13) - a12 * (y - a23)) / det;
    }

    /** Moving to reference, y. */
    public double inverseY(final double x, final double y) {
        final double det = a11 * a22 - a12 * a21;
        return (-a21 * (x - a13) + a11 * (y - a23)) / det;
    }

    /** Rotation of the fitted transform, degrees (counter-clockwise in image coordinates, y down). */
    public double rotationDegrees() {
        return Math.toDegrees(Math.atan2(a21 - a12, a11 + a22));
    }
}
