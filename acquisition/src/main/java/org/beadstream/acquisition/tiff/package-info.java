/**
 * Our own reader and writer of TIFF and BigTIFF files, made for streaming raw microscope stacks fast:
 * {@link org.beadstream.acquisition.tiff.TiffReader} indexes every page once at open and reads a page straight into a
 * {@link org.beadstream.acquisition.frame.FrameSlot} (or a caller's buffer) with positional reads and no allocation;
 * {@link org.beadstream.acquisition.tiff.TiffStack} joins the files of a split recording in order;
 * {@link org.beadstream.acquisition.tiff.TiffStackSource} streams a plain multi-page stack (one plane or N interleaved
 * planes) as a {@link org.beadstream.acquisition.frame.FrameSource};
 * {@link org.beadstream.acquisition.tiff.TiffWriter} writes uncompressed int16 pages. Every malformed input becomes a
 * {@link org.beadstream.acquisition.tiff.TiffFormatException} naming the file, the page and the problem.
 *
 * <p>Why not a library: nothing on Maven Central reads BigTIFF fast enough (TwelveMonkeys reads about 0.06 GB/s here,
 * we need 0.3 GB/s sustained); see docs/tiff.md.
 */
package org.beadstream.acquisition.tiff;
