/**
 * The OpenCL runtime every kernel in BeadStream uses: device choice ({@link org.beadstream.gpu.runtime.DeviceSelector}:
 * GPU first, CPU otherwise, overridable by option, {@code -Dbeadstream.opencl.device} or the environment variable
 * {@code BEADSTREAM_OPENCL_DEVICE} = {@code gpu | cpu | #N | name substring}), one context and in-order queue per
 * device ({@link org.beadstream.gpu.runtime.OpenClRuntime}), programs built at start-up and cached by (source,
 * defines, device) with {@code #include "x.cl"} resolved from the classpath, every status code checked by
 * {@link org.beadstream.gpu.runtime.OpenClStatus} into a typed
 * {@link org.beadstream.gpu.runtime.OpenClException} (call, error name, device; build log on build failure), and
 * {@link org.beadstream.gpu.runtime.DeviceBuffer}s that are {@code AutoCloseable} with named transfers
 * ({@code upload}, {@code download}).
 *
 * <h2>Adding a kernel in five lines</h2>
 * <pre>{@code
 * // 1. gpu-kernels/src/main/resources/org/beadstream/gpu/kernels/my_scale.cl  (kernel name = file stem):
 * //      __kernel void my_scale(__global float* x, const float k, const int n) { int i = get_global_id(0);
 * //                                                                             if (i < n) x[i] *= k; }
 * // 2. A typed wrapper, one per kernel, in org.beadstream.<your area> (or org.beadstream.gpu.kernels):
 * public final class MyScaleKernel {
 *     private final ClKernel k;
 *     public MyScaleKernel(OpenClRuntime cl) { k = cl.kernel("my_scale", Defines.NONE); }   // built at start-up
 *     public void run(CommandQueue q, DeviceBuffer x, float scale, int n) {
 *         k.arg(0, x).arg(1, scale).arg(2, n).launch(q, roundUp(n, 64), 64); }                // no per-call garbage
 * }
 * // 3. A plain-Java reference (MyScaleReference.apply(float[] x, float k)) and a JUnit test comparing the two
 * //    within a stated float32 tolerance on random and simulated inputs; share one OpenClRuntime per test class.
 * }</pre>
 *
 * <p>Specialise kernels with {@link org.beadstream.gpu.runtime.Defines} ({@code -D N=512}), not runtime branches.
 * Allocate buffers once per session; launches and transfers allocate nothing on the Java heap after warm-up.
 */
package org.beadstream.gpu.runtime;
