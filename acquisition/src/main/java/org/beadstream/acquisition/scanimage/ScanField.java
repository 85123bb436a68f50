package org.beadstream.acquisition.scanimage;

/**
 * One imaging ROI's scanfield from ScanImage's ROI-group JSON ({@code RoiGroups.imagingRoiGroup.rois[i].scanfields}):
 * where it lies in scan-angle degrees and how many pixels it has. In a page, the ROIs are stacked top to bottom in
 * the order of the JSON, with fly-to lines between them.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name    the ROI's name (may be empty)
 * @param centerX centre x in reference-space degrees ({@code centerXY[0]})
 * @param centerY centre y ({@code centerXY[1]})
 * @param sizeX   width in degrees ({@code sizeXY[0]})
 * @param sizeY   height in degrees ({@code sizeXY[1]})
 * @param pixelsX pixels per line ({@code pixelResolutionXY[0]})
 * @param pixelsY lines ({@code pixelResolutionXY[1]})
 */
public record ScanField(String name, double centerX, double centerY, double sizeX, double sizeY, int pixelsX,
        int pixelsY) {

    /** Validates the pixel resolution. */
    public ScanField {
        if (pixelsX < 1 || pixelsY < 1) {
            throw new IllegalArgumentException("scanfield '" + name + "' has a pixel resolution of " + pixelsX + " x "
                    + pixelsY + "; both must be at least 1");
        }
    }
}
