/**
 * JMH benchmarks of the traces stage: sparse footprint extraction on a config-A volume
 * ({@link org.beadstream.benchmarks.traces.ExtractionBenchmark}) and the per-volume dF/F + online OASIS stage
 * ({@link org.beadstream.benchmarks.traces.TraceStageBenchmark}), for 1e4, 1e5 and 1e6 ROIs. Results:
 * docs/benchmarks/traces.md.
 */
package org.beadstream.benchmarks.traces;
