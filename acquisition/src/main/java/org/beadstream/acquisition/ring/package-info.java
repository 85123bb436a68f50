/**
 * The frame ring: an LMAX Disruptor over preallocated {@link org.beadstream.acquisition.frame.FrameSlot}s with one
 * producer thread pulling from a {@link org.beadstream.acquisition.frame.FrameSource} and one named thread per
 * {@link org.beadstream.acquisition.ring.FrameConsumer}.
 *
 * <p>Two policies ({@link org.beadstream.acquisition.ring.RingPolicy}): <b>live</b> (the camera is never blocked; the
 * recorder alone gates slot reuse; processing consumers that fall behind skip whole volumes and count them; a ring
 * that fills up in front of the recorder is a loud failure) and <b>offline</b> (back-pressure: every consumer gates,
 * nothing is skipped). Counters are exported live through {@link org.beadstream.acquisition.ring.RingSnapshot}.
 * See docs/ring.md.
 *
 * <p>Nothing on the frame path allocates: slots are made once; counters are preallocated Agrona counters.
 */
package org.beadstream.acquisition.ring;
