/**
 * JMH benchmarks of the frame ring: frames through one producer and two consumers beside a plain memory copy of the
 * same bytes, and the allocation on the frame path (run with {@code -prof gc}). See docs/benchmarks/ring.md.
 */
package org.beadstream.benchmarks.ring;
