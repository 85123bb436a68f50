package org.beadstream.traces.sink;

import java.io.IOException;

/**
 * A destination for traces, fed once per volume by the trace pipeline's thread.
 *
 * <p>Implementations: {@link Suite2pLayoutSink} (files), {@link org.beadstream.traces.live.LiveTraceStream}
 * (in-process consumers). A sink must not block the pipeline for long: file sinks write sequentially, live sinks drop
 * and count when a consumer is slow.
 *
 * <p>Called from one thread; implementations need not be thread-safe unless they say so.
 */
public interface TraceSink extends AutoCloseable {

    /**
     * Takes one volume's traces (and/or lagged spikes). The holder is reused: copy before returning.
     *
     * @throws IOException when the sink cannot store them (the pipeline stops and reports it)
     */
    void onVolume(VolumeTraces traces) throws IOException;

    /** Finishes the sink (final headers, flush). Idempotent. */
    @Override
    void close() throws IOException;
}
