/**
 * ScanImage files: {@link org.beadstream.acquisition.scanimage.ScanImageMetadata} (the SI.* / state.* header and the
 * multi-ROI JSON, with what we derive from them: version, planes, rates, strips and fly-to lines),
 * {@link org.beadstream.acquisition.scanimage.FrameDescription} (allocation-free parsing of per-frame descriptions),
 * {@link org.beadstream.acquisition.scanimage.ScanImageSource} (an offline
 * {@link org.beadstream.acquisition.frame.FrameSource} over a recording's files) and
 * {@link org.beadstream.acquisition.scanimage.ScanImageWriter} (writes ScanImage-format BigTIFF, for tests and the
 * simulator). The format is described in docs/scanimage.md.
 */
package org.beadstream.acquisition.scanimage;
