/**
 * Kernels of trace extraction (sparse footprint products), each with its typed wrapper and plain-Java reference:
 * {@link org.beadstream.gpu.kernels.extraction.ExtractTracesKernel} /
 * {@link org.beadstream.gpu.kernels.extraction.ExtractTracesReference}. The packed footprint layout they read is
 * described in {@link org.beadstream.gpu.kernels.extraction.ExtractTracesReference}; the traces module builds it.
 */
package org.beadstream.gpu.kernels.extraction;
