/**
 * Footprints: the compact, device-friendly description of every ROI of a volume, handed from segmentation to the
 * traces module. {@link org.beadstream.segmentation.footprint.Footprints} is immutable and thread-safe;
 * {@link org.beadstream.segmentation.footprint.FootprintsBuilder} makes one (neuropil annuli, statistics and cell
 * probability included).
 */
package org.beadstream.segmentation.footprint;
