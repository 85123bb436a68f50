/**
 * JMH benchmarks of the light-beads simulator: unpaced page generation per preset (frames/s, MB/s) and the truth
 * renderer; run with {@code -prof gc} to see the frame path allocate nothing. See docs/benchmarks/simulator.md.
 */
package org.beadstream.benchmarks.sim;
