/**
 * Per-plane summary images ({@link org.beadstream.segmentation.summary.SummaryImages}: mean, max, standard deviation,
 * local correlation, enhanced mean) computed on the device or by the plain-Java reference
 * ({@link org.beadstream.segmentation.summary.SummaryImageCalculator}), plane filters shared by detection, and
 * {@link org.beadstream.segmentation.summary.RoiPicture} (PNG of an image with ROI contours).
 */
package org.beadstream.segmentation.summary;
