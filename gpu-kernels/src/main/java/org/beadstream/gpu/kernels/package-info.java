/**
 * Typed wrappers of the OpenCL kernels used for motion correction, each beside its plain-Java CPU reference
 * ({@code *Reference}): {@code fft_lines} ({@link org.beadstream.gpu.kernels.FftLinesKernel},
 * {@link org.beadstream.gpu.kernels.Fft2d}), {@code taper_pack}, {@code cross_power}, {@code correlation_peak},
 * {@code shift_warp} and {@code frame_correlation}. Kernel sources live in
 * {@code src/main/resources/org/beadstream/gpu/kernels/<name>.cl}; see {@link org.beadstream.gpu.runtime} for how to
 * add one. Wrappers are not thread-safe (one per stage thread); references are stateless.
 */
package org.beadstream.gpu.kernels;
