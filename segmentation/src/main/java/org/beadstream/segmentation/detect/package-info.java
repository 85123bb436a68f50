/**
 * Per-plane cell detection from a window of registered frames: {@link org.beadstream.segmentation.detect.BinnedMovie}
 * (the window, binned in time as frames arrive), {@link org.beadstream.segmentation.detect.SparseDetector}
 * (suite2p-style iterative sparse detection with ROI growth and deflation), its
 * {@link org.beadstream.segmentation.detect.DetectionParameters} and results.
 */
package org.beadstream.segmentation.detect;
