package org.beadstream.acquisition.ring;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * The ring's preallocated Agrona counters: one single-writer counter per quantity, readable from any thread.
 *
 * <p>Made once per ring; each counter has one writer thread (the producer or its consumer) and any number of readers.
 */
final class RingCounters {

    private final CountersManager manager;

    final AtomicCounter framesProduced;
    final AtomicCounter bytesProduced;
    final AtomicCounter framesDropped;

    RingCounters(final int consumers) {
        final int count = 3 + 5 * consumers;
        final int valuesLength = count * CountersReader.COUNTER_LENGTH;
        final UnsafeBuffer values = new UnsafeBuffer(ByteBuffer.allocateDirect(valuesLength));
        final UnsafeBuffer meta = new UnsafeBuffer(ByteBuffer.allocateDirect(count * CountersReader.METADATA_LENGTH));
        this.manager = new CountersManager(meta, values);
        this.framesProduced = manager.newCounter("frames_produced");
        this.bytesProduced = manager.newCounter("bytes_produced");
        this.framesDropped = manager.newCounter("frames_dropped");
    }

    AtomicCounter newCounter(final String label) {
        return manager.newCounter(label);
    }

    CountersReader reader() {
        return manager;
    }
}
