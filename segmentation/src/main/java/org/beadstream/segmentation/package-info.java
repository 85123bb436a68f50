/**
 * Source extraction I: from a window of registered frames to cell footprints with identity.
 *
 * <p>Sub-packages, in the order data flows through them:
 * <ul>
 *   <li>{@link org.beadstream.segmentation.summary} - per-plane summary images (mean, max, std, local correlation,
 *       enhanced mean), plain-Java reference of the device kernels;</li>
 *   <li>{@link org.beadstream.segmentation.detect} - per-plane cell detection (suite2p-style iterative sparse
 *       detection with ROI growth and deflation) and its parameters;</li>
 *   <li>{@link org.beadstream.segmentation.footprint} - {@link org.beadstream.segmentation.footprint.Footprints},
 *       the hand-over to the traces module: compact sparse weighted pixel lists, neuropil annuli, per-ROI statistics,
 *       cell probability;</li>
 *   <li>{@link org.beadstream.segmentation.planes} - merging one neuron's detections across adjacent planes;</li>
 *   <li>{@link org.beadstream.segmentation.sessions} - registering two sessions and matching their ROIs;</li>
 *   <li>{@link org.beadstream.segmentation.evaluate} - precision / recall / F1 against ground truth;</li>
 *   <li>{@link org.beadstream.segmentation.synthetic} - small plane-level synthetic movies with known footprints.</li>
 * </ul>
 */
package org.beadstream.segmentation;
