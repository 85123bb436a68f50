/**
 * Per-plane summary images on the device (mean, standard deviation, maximum and the local correlation image) from
 * a stream of frames, one pass: {@link org.beadstream.gpu.kernels.summary.SummaryMomentsKernel} accumulates
 * per-pixel moments and neighbour products chunk by chunk, {@link org.beadstream.gpu.kernels.summary.CorrelationImageKernel}
 * turns them into images, {@link org.beadstream.gpu.kernels.summary.DeviceSummaryImages} drives both with buffers
 * made once, and {@link org.beadstream.gpu.kernels.summary.SummaryReference} is the plain-Java reference of both
 * kernels.
 */
package org.beadstream.gpu.kernels.summary;
