/**
 * Scoring a run against ground truth: detection precision, recall and F1 at IoU at least 0.5 with one-to-one
 * assignment, duplicates across planes, and trace accuracy (median Pearson r over matched neurons). In-memory API
 * ({@link org.beadstream.segmentation.evaluate.DetectionEvaluator}); the {@code beadstream evaluate} command reads
 * the files.
 */
package org.beadstream.segmentation.evaluate;
