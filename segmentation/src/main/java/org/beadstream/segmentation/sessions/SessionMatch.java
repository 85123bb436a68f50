package org.beadstream.segmentation.sessions;

import java.util.List;

/**
 * The result of matching two sessions.
 *
 * @param transforms  per plane, reference to moving
 * @param matches     cells found in both, one-to-one
 * @param unmatchedA  reference ROIs with no partner (silent, lost or out of field in B), ascending
 * @param unmatchedB  moving ROIs with no partner (new or silent in A), ascending
 * <p>Immutable by convention (arrays shared); thread-safe for reading.
 */
public record SessionMatch(List<SessionTransform> transforms, List<RoiMatch> matches, int[] unmatchedA,
        int[] unmatchedB) {
}
