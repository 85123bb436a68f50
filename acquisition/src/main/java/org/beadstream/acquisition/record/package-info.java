/**
 * Lossless raw recording: {@link org.beadstream.acquisition.record.RawRecorder} (a ring consumer that writes every
 * frame with its header and a CRC32C to {@code .bsraw} files, batched, with optional rollover) and
 * {@link org.beadstream.acquisition.record.RawRecordingSource} (reads a recording back as an offline
 * {@link org.beadstream.acquisition.frame.FrameSource}, verifying checksums and tolerating the torn tail a crash
 * leaves). The byte layout is {@link org.beadstream.acquisition.record.RawFormatDescriptor}; docs/raw-format.md has
 * the specification with a hex dump.
 */
package org.beadstream.acquisition.record;
