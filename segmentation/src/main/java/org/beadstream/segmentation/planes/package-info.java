/**
 * Cross-plane identity: a soma 10-20 um tall shows up in 2-3 planes about 15 um apart;
 * {@link org.beadstream.segmentation.planes.CrossPlaneMerger} joins such detections into one neuron, keeps the
 * best plane and records every merge ({@link org.beadstream.segmentation.planes.MergeRecord}).
 */
package org.beadstream.segmentation.planes;
