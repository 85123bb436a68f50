/**
 * JMH benchmarks of motion correction ({@link org.beadstream.benchmarks.motion.MotionCorrectionBenchmark}: batch
 * throughput of {@code PhaseCorrelationCorrector}, rigid and piecewise-rigid, several frame sizes).
 */
package org.beadstream.benchmarks.motion;
