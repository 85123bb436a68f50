/**
 * What every run leaves behind besides its data: {@link org.beadstream.engine.run.RunSummary} ({@code run.json}: counts,
 * throughput, latency, accuracy against ground truth) and the live status line printed while running.
 */
package org.beadstream.engine.run;
