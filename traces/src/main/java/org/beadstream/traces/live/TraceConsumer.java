package org.beadstream.traces.live;

import org.beadstream.traces.sink.VolumeTraces;

/**
 * A live consumer of volume traces, called on its subscription's own thread.
 *
 * <p>The holder belongs to the ring and is reused once the call returns: copy what must be kept. Implementations
 * are called from one thread (their subscription's) and need not be thread-safe.
 */
@FunctionalInterface
public interface TraceConsumer {

    /** Receives one volume (traces and/or lagged spikes). */
    void onTraces(VolumeTraces traces);
}
