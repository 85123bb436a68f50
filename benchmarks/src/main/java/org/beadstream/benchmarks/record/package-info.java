/**
 * JMH benchmarks of the raw recorder beside a plain sequential {@code FileChannel} write of the same bytes. See
 * docs/benchmarks/ring.md.
 */
package org.beadstream.benchmarks.record;
