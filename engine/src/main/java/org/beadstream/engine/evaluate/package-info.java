/**
 * Accuracy against the simulator's ground truth: detection precision, recall and F1 (IoU at least 0.5, one-to-one)
 * and the median correlation of extracted with true dF/F over matched neurons.
 */
package org.beadstream.engine.evaluate;
