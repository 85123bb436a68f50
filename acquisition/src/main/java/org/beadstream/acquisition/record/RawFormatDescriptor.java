package org.beadstream.acquisition.record;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of a BeadStream raw recording ({@code .bsraw}), version 1. All integers little-endian.
 *
 * <pre>
 *   file = file header | frame record* | [end record: clean close or rollover]
 *
 *   file header                                   frame record header (payload follows)   end record
 *   off size                                      off size                                off size
 *    0   8  magic "BSRAW\r\n\x1a"                   0   4  magic "BSFR"                    0   4  magic "BSEN"
 *    8   2  version (1)                             4   4  payload length (w*h*2)          4   4  0
 *   10   2  fixed part length (64)                  8   8  ring sequence                   8   8  frames in file
 *   12   4  headerLength (multiple of 64)          16   8  volume                         16   8  payload bytes in file
 *   16   4  width                                  24   4  plane                          24   8  closed, ns since epoch
 *   20   4  height                                 28   4  width                          32   4  next file index, -1 last
 *   24   4  planes                                 32   4  height                         36  24  zeros
 *   28   4  bytes per pixel (2)                    36   4  CRC32C of payload              60   4  CRC32C of [0, 60)
 *   32   8  volume rate Hz (float64)               40   8  timestamp ns
 *   40   8  created, ns since epoch                48   8  source frame number
 *   48   8  first frame index in the recording     56   4  reserved (0)
 *   56   4  file index                             60   4  CRC32C of [0, 60)
 *   60   4  json length n                          64   .  payload: int16 LE, row-major
 *   64   n  JSON metadata (UTF-8)
 *  64+n  4  CRC32C of [0, 64+n)
 *           zero padding to headerLength
 * </pre>
 *
 * <p>Stateless; the static helpers are thread-safe (callers own the buffers and the {@link CRC32C}).
 */
public final class RawFormatDescriptor {

    /** File magic: {@code BSRAW\r\n\x1a} (the PNG trick: CR LF and ^Z catch text-mode transfers). */
    public static final byte[] FILE_MAGIC = {'B', 'S', 'R', 'A', 'W', '\r', '\n', 0x1a};
    /** Format version written by this code. */
    public static final short VERSION = 1;
    /** File name extension. */
    public static final String EXTENSION = ".bsraw";

    /** Length of the fixed part of the file header. */
    public static final int FILE_HEADER_FIXED_LENGTH = 64;
    /** The file header (fixed part + JSON + CRC) is zero-padded to a multiple of this. */
    public static final int FILE_HEADER_ALIGNMENT = 64;
    /** Largest metadata JSON accepted (a corrupt length must not allocate gigabytes). */
    public static final int MAX_JSON_LENGTH = 1 << 20;

    /** Offsets in the file header. */
    public static final int VERSION_OFFSET = 8;
    public static final int FIXED_LENGTH_OFFSET = 10;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int WIDTH_OFFSET = 16;
    public static final int HEIGHT_OFFSET = 20;
    public static final int PLANES_OFFSET = 24;
    public static final int BYTES_PER_PIXEL_OFFSET = 28;
    public static final int VOLUME_RATE_OFFSET = 32;
    public static final int CREATED_OFFSET = 40;
    public static final int FIRST_FRAME_INDEX_OFFSET = 48;
    public static final int FILE_INDEX_OFFSET = 56;
    public static final int JSON_LENGTH_OFFSET = 60;

    /** Length of a frame record header and of the end record. */
    public static final int RECORD_HEADER_LENGTH = 64;
    /** Frame record magic {@code "BSFR"} as a little-endian int. */
    public static final int FRAME_MAGIC = magic("BSFR");
    /** End record magic {@code "BSEN"} as a little-endian int. */
    public static final int END_MAGIC = magic("BSEN");

    /** Offsets in a frame record header. */
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int VOLUME_OFFSET = 16;
    public static final int PLANE_OFFSET = 24;
    public static final int FRAME_WIDTH_OFFSET = 28;
    public static final int FRAME_HEIGHT_OFFSET = 32;
    public static final int PAYLOAD_CRC_OFFSET = 36;
    public static final int TIMESTAMP_OFFSET = 40;
    public static final int SOURCE_FRAME_OFFSET = 48;
    public static final int RESERVED_OFFSET = 56;
    /** Offset of the header's own CRC32C (over bytes [0, 60)), in frame and end records. */
    public static final int HEADER_CRC_OFFSET = 60;

    /** Offsets in the end record. */
    public static final int END_FRAMES_OFFSET = 8;
    public static final int END_PAYLOAD_BYTES_OFFSET = 16;
    public static final int END_CLOSED_OFFSET = 24;
    public static final int END_NEXT_FILE_OFFSET = 32;

    private RawFormatDescriptor() {
    }

    private static int magic(final String s) {
        final byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xff) << 24;
    }

    /** The name of file {@code index} of recording {@code baseName}: {@code <base>-<index, 5 digits>.bsraw}. */
    public static String fileName(final String baseName, final int index) {
        return baseName + "-" + String.format(java.util.Locale.ROOT, "%05d", index) + EXTENSION;
    }

    /** Total file header length for a JSON of {@code jsonLength} bytes (fixed + JSON + CRC, padded). */
    public static int headerLength(final int jsonLength) {
        final int raw = FILE_HEADER_FIXED_LENGTH + jsonLength + 4;
        return (raw + FILE_HEADER_ALIGNMENT - 1) / FILE_HEADER_ALIGNMENT * FILE_HEADER_ALIGNMENT;
    }

    /**
     * CRC32C of bytes {@code [from, to)} of {@code buffer} (absolute indices; the buffer's position and limit are
     * restored). No allocation.
     */
    public static int crc(final CRC32C crc, final ByteBuffer buffer, final int from, final int to) {
        final int position = buffer.position();
        final int limit = buffer.limit();
        buffer.limit(to).position(from);
        crc.reset();
        crc.update(buffer);
        buffer.limit(limit).position(position);
        return (int) crc.getValue();
    }

    /**
     * Writes a frame record header into {@code h} at index 0..63 (absolute puts; little-endian buffer expected), with
     * its own CRC.
     */
    public static void putFrameHeader(final ByteBuffer h, final int base, final CRC32C crc, final int payloadLength,
            final long sequence, final long volume, final int plane, final int width, final int height,
            final int payloadCrc, final long timestampNanos, final long sourceFrameNumber) {
        h.putInt(base, FRAME_MAGIC);
        h.putInt(base + PAYLOAD_LENGTH_OFFSET, payloadLength);
        h.putLong(base + SEQUENCE_OFFSET, sequence);
        h.putLong(base + VOLUME_OFFSET, volume);
        h.putInt(base + PLANE_OFFSET, plane);
        h.putInt(base + FRAME_WIDTH_OFFSET, width);
        h.putInt(base + FRAME_HEIGHT_OFFSET, height);
        h.putInt(base + PAYLOAD_CRC_OFFSET, payloadCrc);
        h.putLong(base + TIMESTAMP_OFFSET, timestampNanos);
        h.putLong(base + SOURCE_FRAME_OFFSET, sourceFrameNumber);
        h.putInt(base + RESERVED_OFFSET, 0);
        h.putInt(base + HEADER_CRC_OFFSET, crc(crc, h, base, base + HEADER_CRC_OFFSET));
    }

    /** Writes an end record into {@code h} at {@code base} with its CRC. */
    public static void putEndRecord(final ByteBuffer h, final int base, final CRC32C crc, final long frames,
            final long payloadBytes, final long closedEpochNanos, final int nextFile) {
        for (int i = 0; i < RECORD_HEADER_LENGTH; i += 4) {
            h.putInt(base + i, 0);
        }
        h.putInt(base, END_MAGIC);
        h.putLong(base + END_FRAMES_OFFSET, frames);
        h.putLong(base + END_PAYLOAD_BYTES_OFFSET, payloadBytes);
        h.putLong(base + END_CLOSED_OFFSET, closedEpochNanos);
        h.putInt(base + END_NEXT_FILE_OFFSET, nextFile);
        h.putInt(base + HEADER_CRC_OFFSET, crc(crc, h, base, base + HEADER_CRC_OFFSET));
    }

    /** True when the 64-byte record header at {@code base} has a matching own CRC. */
    public static boolean headerCrcMatches(final ByteBuffer h, final int base, final CRC32C crc) {
        return h.getInt(base + HEADER_CRC_OFFSET) == crc(crc, h, base, base + HEADER_CRC_OFFSET);
    }

    /** A little-endian direct buffer of {@code n} bytes (for headers; made once). */
    public static ByteBuffer directBuffer(final int n) {
        return ByteBuffer.allocateDirect(n).order(ByteOrder.LITTLE_ENDIAN);
    }
}
