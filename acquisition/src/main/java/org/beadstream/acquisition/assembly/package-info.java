/**
 * Light-beads volume assembly: from raw pages (planes interleaved as channels, ROI strips stacked with fly-to lines)
 * to per-depth float32 planes ready for registration. {@link org.beadstream.acquisition.assembly.AssemblyLayout} says
 * where strips lie and where they go, {@link org.beadstream.acquisition.assembly.PlaneCalibration} the rig's
 * channel-to-depth order and per-plane offsets, {@link org.beadstream.acquisition.assembly.ScanPhaseEstimator}
 * measures the bidirectional scan phase of each strip with subpixel precision, and
 * {@link org.beadstream.acquisition.assembly.VolumeAssembler} does the work into a preallocated
 * {@link org.beadstream.acquisition.assembly.AssembledVolume} without allocating per frame. Method and formats:
 * docs/scanimage.md.
 */
package org.beadstream.acquisition.assembly;
