/**
 * JMH benchmarks of raw-file input: our TIFF reader against a plain {@link java.nio.channels.FileChannel} read of the
 * same bytes, the ScanImage source, and volume assembly. Results and commands: docs/benchmarks/io.md.
 */
package org.beadstream.benchmarks.io;
