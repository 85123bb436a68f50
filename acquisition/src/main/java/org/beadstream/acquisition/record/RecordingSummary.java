package org.beadstream.acquisition.record;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.beadstream.acquisition.frame.FrameGeometry;

/**
 * What a raw recording holds: its files, geometry and metadata, how many complete frames and volumes, whether it was
 * closed cleanly, and how many bytes of a torn tail (an interrupted last write) were discarded.
 *
 * <p>Immutable and thread-safe.
 *
 * @param files           the recording's files in order
 * @param geometry        page geometry from the file header
 * @param metadata        the file header's JSON metadata
 * @param frames          complete frames (readable; checksums verified when the scan verified them)
 * @param volumes         distinct volumes among those frames
 * @param firstSequence   ring sequence of the first frame, -1 if none
 * @param lastSequence    ring sequence of the last complete frame, -1 if none
 * @param payloadBytes    page bytes of the complete frames
 * @param tornTailBytes   bytes after the last complete frame that were discarded (0 when none)
 * @param closedCleanly   true when the last file ends with an end record
 * @param checksumsVerified true when every payload checksum was verified
 * @param warnings        human-readable warnings (torn tail, missing end record), each naming the file
 */
public record RecordingSummary(List<Path> files, FrameGeometry geometry, Map<String, Object> metadata, long frames,
        long volumes, long firstSequence, long lastSequence, long payloadBytes, long tornTailBytes,
        boolean closedCleanly, boolean checksumsVerified, List<String> warnings) {

    /** Copies the collections. */
    public RecordingSummary {
        files = List.copyOf(files);
        metadata = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metadata));
        warnings = List.copyOf(warnings);
    }

    /** One line for logs and the CLI. */
    public String describe() {
        return frames + " frames (" + volumes + " volumes of " + geometry.planes() + " planes, " + geometry.width()
                + " x " + geometry.height() + ") in " + files.size() + " file(s)"
                + (closedCleanly ? ", closed cleanly" : ", not closed cleanly")
                + (tornTailBytes > 0 ? ", torn tail of " + tornTailBytes + " bytes discarded" : "")
                + (checksumsVerified ? ", checksums verified" : "");
    }
}
