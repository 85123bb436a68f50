package org.beadstream.acquisition.ring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ring's counters at one moment, for a live display and for {@code run.json}. Taken with
 * {@link FrameRing#snapshot()} from any thread while the ring runs (each counter is read atomically; the set is not a
 * single atomic cut).
 *
 * <p>Immutable and thread-safe.
 *
 * @param policy            the ring's policy
 * @param ringSize          slots in the ring
 * @param elapsedNanos      nanoseconds since {@link FrameRing#start()} (until the end, once finished)
 * @param framesProduced    frames the producer published
 * @param bytesProduced     page bytes published
 * @param framesRecorded    frames the recorder consumed (0 without a recorder)
 * @param bytesRecorded     page bytes the recorder consumed
 * @param framesDropped     frames read from a live source that could not be stored because the ring was full in
 *                          front of the recorder (any non-zero value fails the run)
 * @param framesLostAtSource frames the source itself reported lost (camera buffer overflow, frame-number gaps)
 * @param ringFill          published frames not yet released by the slowest gating consumer
 * @param consumers         per-consumer counters, in registration order
 * @param running           true while the ring's threads run
 * @param failures          one line per failure so far
 */
public record RingSnapshot(RingPolicy policy, int ringSize, long elapsedNanos, long framesProduced,
        long bytesProduced, long framesRecorded, long bytesRecorded, long framesDropped, long framesLostAtSource,
        long ringFill, List<ConsumerSnapshot> consumers, boolean running, List<String> failures) {

    /** Copies the lists. */
    public RingSnapshot {
        consumers = List.copyOf(consumers);
        failures = List.copyOf(failures);
    }

    /** Whole volumes skipped, summed over processing consumers. */
    public long volumesSkipped() {
        long sum = 0;
        for (final ConsumerSnapshot c : consumers) {
            sum += c.volumesSkipped();
        }
        return sum;
    }

    /** Seconds since start. */
    public double seconds() {
        return elapsedNanos / 1e9;
    }

    /** Produced page data rate in MB/s (10^6 bytes per second) since start; 0 before any time has passed. */
    public double megabytesPerSecond() {
        return elapsedNanos > 0 ? bytesProduced * 1e3 / elapsedNanos : 0;
    }

    /** Ring fill as a fraction of the ring size (0..1). */
    public double fillFraction() {
        return (double) ringFill / ringSize;
    }

    /**
     * The counters as an ordered map with snake_case keys (frames_produced, frames_recorded, frames_dropped,
     * volumes_skipped, bytes_recorded, seconds, mb_per_s, ...), ready for a JSON writer. Per-consumer counters are
     * under {@code consumers}.
     */
    public Map<String, Object> toMap() {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("policy", policy.name().toLowerCase(java.util.Locale.ROOT));
        map.put("ring_size", ringSize);
        map.put("frames_produced", framesProduced);
        map.put("frames_recorded", framesRecorded);
        map.put("frames_dropped", framesDropped);
        map.put("frames_lost_at_source", framesLostAtSource);
        map.put("volumes_skipped", volumesSkipped());
        map.put("bytes_produced", bytesProduced);
        map.put("bytes_recorded", bytesRecorded);
        map.put("ring_fill", ringFill);
        map.put("seconds", seconds());
        map.put("mb_per_s", megabytesPerSecond());
        final List<Map<String, Object>> list = new ArrayList<>();
        for (final ConsumerSnapshot c : consumers) {
            final Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("role", c.role().name().toLowerCase(java.util.Locale.ROOT));
            m.put("frames", c.frames());
            m.put("bytes", c.bytes());
            m.put("volumes_skipped", c.volumesSkipped());
            m.put("frames_skipped", c.framesSkipped());
            m.put("overwrites_detected", c.overwritesDetected());
            m.put("lag", c.lag());
            m.put("state", c.state().name().toLowerCase(java.util.Locale.ROOT));
            list.add(m);
        }
        map.put("consumers", list);
        map.put("failures", failures);
        return map;
    }
}
