package org.beadstream.segmentation.summary;

import java.util.Objects;

import org.beadstream.gpu.kernels.summary.DeviceSummaryImages;
import org.beadstream.gpu.kernels.summary.SummaryReference;

/**
 * Computes {@link SummaryImages} for a plane movie ({@code frames x height x width}, frame-major), on the device
 * (through a {@link DeviceSummaryImages} made once per plane size) or with the plain-Java reference. The enhanced
 * mean is one 2-D filter of one image per plane and runs on the host in both cases.
 *
 * <p>Stateless apart from the device helper it is given; not thread-safe when it holds one (one per thread).
 */
public final class SummaryImageCalculator {

    private final DeviceSummaryImages device;
    private final double cellDiameterPixels;

    private SummaryImageCalculator(final DeviceSummaryImages device, final double cellDiameterPixels) {
        if (!(cellDiameterPixels > 0)) {
            throw new IllegalArgumentException("cell diameter must be positive, was " + cellDiameterPixels);
        }
        this.device = device;
        this.cellDiameterPixels = cellDiameterPixels;
    }

    /** A calculator on the device helper {@code device} (its plane size must be the movies'). */
    public static SummaryImageCalculator onDevice(final DeviceSummaryImages device, final double cellDiameterPixels) {
        return new SummaryImageCalculator(Objects.requireNonNull(device, "device"), cellDiameterPixels);
    }

    /** A calculator with the plain-Java reference. */
    public static SummaryImageCalculator onHost(final double cellDiameterPixels) {
        return new SummaryImageCalculator(null, cellDiameterPixels);
    }

    /** Summary images of a plane movie. */
    public SummaryImages compute(final float[] movie, final int frames, final int width, final int height) {
        final float[] planes;
        if (device == null) {
            planes = SummaryReference.compute(movie, frames, width, height);
        } else {
            planes = new float[4 * width * height];
            device.reset();
            device.add(movie, 0, frames);
            device.finish(planes);
        }
        return SummaryImages.fromPlanes(planes, width, height, frames, cellDiameterPixels);
    }
}
