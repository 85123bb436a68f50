/**
 * Live traces for in-process consumers (closed-loop experiments, displays):
 * {@link org.beadstream.traces.live.LiveTraceStream} is a {@link org.beadstream.traces.sink.TraceSink} that copies
 * each volume into a bounded ring of preallocated holders per subscriber; a slow subscriber loses volumes (counted),
 * never the pipeline.
 */
package org.beadstream.traces.live;
