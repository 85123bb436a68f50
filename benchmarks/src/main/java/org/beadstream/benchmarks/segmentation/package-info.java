/**
 * Segmentation measurements: JMH benchmarks of detection and summary images
 * ({@link org.beadstream.benchmarks.segmentation.DetectionBenchmark},
 * {@link org.beadstream.benchmarks.segmentation.SummaryImagesBenchmark}) and documented runs that produce the
 * figures of docs/segmentation.md: the accuracy table ({@link org.beadstream.benchmarks.segmentation.AccuracyTable}),
 * the config-A scale run ({@link org.beadstream.benchmarks.segmentation.ScaleRun}), the real-data picture
 * ({@link org.beadstream.benchmarks.segmentation.ThunderPicture}) and the classifier training
 * ({@link org.beadstream.benchmarks.segmentation.ClassifierTraining}).
 */
package org.beadstream.benchmarks.segmentation;
