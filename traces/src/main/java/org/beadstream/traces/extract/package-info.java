/**
 * Trace extraction: F and neuropil of every ROI of a volume as sparse footprint products, on an OpenCL device
 * ({@link org.beadstream.traces.extract.OpenClTraceExtractor}) or in plain Java
 * ({@link org.beadstream.traces.extract.CpuTraceExtractor}), from footprints packed once at start-up
 * ({@link org.beadstream.traces.extract.PackedFootprints}: 4 bytes per cell pixel, 4 bytes per neuropil run).
 */
package org.beadstream.traces.extract;
