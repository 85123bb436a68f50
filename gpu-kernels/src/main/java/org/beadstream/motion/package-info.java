/**
 * Motion correction (registration) of calcium-imaging frames: the role {@link org.beadstream.motion.MotionCorrector},
 * its OpenCL implementation {@link org.beadstream.motion.PhaseCorrelationCorrector} (rigid + piecewise-rigid phase
 * correlation, as suite2p), its parameters {@link org.beadstream.motion.MotionSettings}, per-frame results
 * {@link org.beadstream.motion.MotionResult} with {@link org.beadstream.motion.MotionFlags}, template building
 * ({@link org.beadstream.motion.TemplateBuilder}), and a synthetic movie with known motion for tests and benchmarks
 * ({@link org.beadstream.motion.SyntheticMotionMovie}).
 *
 * <pre>{@code
 * try (OpenClRuntime cl = OpenClRuntime.create((String) null);
 *      PhaseCorrelationCorrector mc = new PhaseCorrelationCorrector(cl, MotionSettings.defaults(512, 512))) {
 *     TemplateBuilder.defaults().build(mc, 0, sampleFrames, sampleCount);   // per plane, once
 *     MotionResult r = mc.newResult(batch);
 *     mc.correct(0, frames, batch, corrected, r);                          // r.dy(i), r.dx(i), r.flags(i) ...
 * }
 * }</pre>
 */
package org.beadstream.motion;
