/**
 * One-to-one assignment (maximum-weight bipartite matching) on sparse candidate pairs: used to score detections
 * against ground truth and to match ROIs across sessions.
 */
package org.beadstream.segmentation.assign;
