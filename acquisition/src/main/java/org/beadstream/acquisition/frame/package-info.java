/**
 * The frame model shared by every source, the ring and every consumer: {@link org.beadstream.acquisition.frame.FrameSlot}
 * (one preallocated off-heap int16 page with its header), {@link org.beadstream.acquisition.frame.FrameGeometry}
 * (the shape of a stream's pages) and the {@link org.beadstream.acquisition.frame.FrameSource} role.
 *
 * <p>Nothing in this package allocates per frame: slots are made once and refilled.
 */
package org.beadstream.acquisition.frame;
