/**
 * Cross-session identity: {@link org.beadstream.segmentation.sessions.SessionRegistration} registers two sessions'
 * mean images (rigid phase correlation, then block-wise phase correlation summarised by an affine fit that captures
 * a slight rotation), and {@link org.beadstream.segmentation.sessions.SessionMatcher} matches the ROIs one-to-one
 * with a confidence per match and the unmatched cells of both sides.
 */
package org.beadstream.segmentation.sessions;
