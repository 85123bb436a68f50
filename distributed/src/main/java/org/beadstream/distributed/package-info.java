/**
 * Offline reprocessing on Apache Spark ({@code reprocess --engine spark}): pass 1 (template, registration of the
 * bootstrap window, summary images, detection) as one task per plane, the cross-plane merge on the driver, pass 2
 * (registration and extraction) as one task per (plane, chunk of volumes) writing its traces to shared storage, and
 * pass 3 (dF/F, OASIS, sinks) on the driver in volume order, so the traces equal the single-machine run's. Entry
 * point: {@link org.beadstream.distributed.SparkReprocess}, found by the command line as the
 * {@link org.beadstream.engine.run.OfflineEngine} named "spark" ({@link org.beadstream.distributed.SparkEngine}).
 */
package org.beadstream.distributed;
