/**
 * The per-run report: a self-contained HTML page ({@code report.html}, PNG figures embedded) with the mean and
 * correlation image of every plane with ROI contours, motion traces, example dF/F traces, a raster of all neurons, and
 * throughput and latency over time.
 */
package org.beadstream.engine.report;
