package org.beadstream.acquisition.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;

/**
 * Reads any frame of a raw recording by its index, without scanning the frames before it: frame records have a fixed
 * size within a recording, and every file's header gives its first frame's index, so frame {@code k} of file {@code i}
 * starts at {@code headerLength_i + (k - firstFrame_i) * (64 + payload)}. Each read checks the record's magic, header
 * checksum and payload checksum. For workers that read one plane's frames of a recording (the distributed engine).
 *
 * <p>Frames are counted up to each file's last complete record (a torn tail is left out, as {@link RawRecordingSource}
 * does). Reads allocate nothing. Not thread-safe: one reader per thread.
 */
public final class RawFrameReader implements AutoCloseable {

    private final String name;
    private final List<Path> files;
    private final FrameGeometry geometry;
    private final FileChannel[] channels;
    private final long[] firstFrame;
    private final long[] framesInFile;
    private final int[] headerLength;
    private final long recordBytes;
    private final long frames;
    private final ByteBuffer header = RawFormatDescriptor.directBuffer(RawFormatDescriptor.RECORD_HEADER_LENGTH);
    private final CRC32C crc = new CRC32C();

    /**
     * Opens the recording at {@code path} (one of its files or its directory) and indexes its files.
     *
     * @throws FrameSourceException naming the file when the recording cannot be read or is not one
     */
    public RawFrameReader(final Path path) {
        this.name = "raw:" + path;
        try (RawRecordingSource source = new RawRecordingSource(path)) {
            source.open(); // resolves and checks the files, reads the geometry
            this.files = source.files();
            this.geometry = source.geometry();
        }
        this.recordBytes = RawFormatDescriptor.RECORD_HEADER_LENGTH + (long) geometry.bytesPerPage();
        final int n = files.size();
        this.channels = new FileChannel[n];
        this.firstFrame = new long[n];
        this.framesInFile = new long[n];
        this.headerLength = new int[n];
        final ByteBuffer fixed = ByteBuffer.allocate(RawFormatDescriptor.FILE_HEADER_FIXED_LENGTH)
                .order(ByteOrder.LITTLE_ENDIAN);
        long total = 0;
        try {
            for (int i = 0; i < n; i++) {
                final Path f = files.get(i);
                channels[i] = FileChannel.open(f, StandardOpenOption.READ);
                fixed.clear();
                readFully(channels[i], fixed, 0, f);
                headerLength[i] = fixed.getInt(RawFormatDescriptor.HEADER_LENGTH_OFFSET);
                firstFrame[i] = fixed.getLong(RawFormatDescriptor.FIRST_FRAME_INDEX_OFFSET);
                if (firstFrame[i] != total) {
                    throw new FrameSourceException(name, f + " starts at frame " + firstFrame[i] + " but the files "
                            + "before it hold " + total + " frames");
                }
                framesInFile[i] = Math.max(0, (channels[i].size() - headerLength[i]) / recordBytes);
                total += framesInFile[i];
            }
        } catch (final IOException | RuntimeException e) {
            close();
            if (e instanceof FrameSourceException fse) {
                throw fse;
            }
            throw new FrameSourceException(name, "cannot index the recording: " + e.getMessage(), e);
        }
        this.frames = total;
    }

    /** The recording's page geometry. */
    public FrameGeometry geometry() {
        return geometry;
    }

    /** Frames (pages) that can be read. */
    public long pageCount() {
        return frames;
    }

    /** The recording's files, in order. */
    public List<Path> files() {
        return files;
    }

    /** Index in {@link #files()} of the file holding {@code page}. */
    public int fileIndexOf(final long page) {
        if (page < 0 || page >= frames) {
            throw new IllegalArgumentException(name + ": frame " + page + " is outside 0.." + (frames - 1));
        }
        int lo = 0;
        int hi = files.size() - 1;
        while (lo < hi) {
            final int mid = (lo + hi + 1) >>> 1;
            if (firstFrame[mid] <= page) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Reads frame {@code page} into {@code slot} (pixels and header: volume, plane, timestamp, source frame number).
     *
     * @throws FrameSourceException naming the file, frame and offset when the record is damaged
     */
    public void readPage(final long page, final FrameSlot slot) {
        final int i = fileIndexOf(page);
        final Path f = files.get(i);
        final long at = headerLength[i] + (page - firstFrame[i]) * recordBytes;
        header.clear();
        readFully(channels[i], header, at, f);
        if (header.getInt(0) != RawFormatDescriptor.FRAME_MAGIC
                || !RawFormatDescriptor.headerCrcMatches(header, 0, crc)) {
            throw new FrameSourceException(name, f + ": the record of frame " + page + " at offset " + at
                    + " is corrupt (bad magic or header checksum)");
        }
        slot.setShape(geometry.width(), geometry.height());
        final ByteBuffer data = slot.dataForWrite();
        data.clear().limit(geometry.bytesPerPage());
        readFully(channels[i], data, at + RawFormatDescriptor.RECORD_HEADER_LENGTH, f);
        data.position(0);
        crc.reset();
        crc.update(data);
        data.clear();
        if ((int) crc.getValue() != header.getInt(RawFormatDescriptor.PAYLOAD_CRC_OFFSET)) {
            throw new FrameSourceException(name, f + ": frame " + page + " at offset " + at
                    + ": payload checksum mismatch");
        }
        slot.setHeader(header.getLong(RawFormatDescriptor.VOLUME_OFFSET), header.getInt(RawFormatDescriptor.PLANE_OFFSET),
                header.getLong(RawFormatDescriptor.TIMESTAMP_OFFSET),
                header.getLong(RawFormatDescriptor.SOURCE_FRAME_OFFSET));
    }

    private void readFully(final FileChannel ch, final ByteBuffer buf, final long at, final Path file) {
        long p = at;
        try {
            while (buf.hasRemaining()) {
                final int n = ch.read(buf, p);
                if (n < 0) {
                    throw new FrameSourceException(name, file + ": unexpected end of file at offset " + p);
                }
                p += n;
            }
        } catch (final IOException e) {
            throw new FrameSourceException(name, "cannot read " + file + " at offset " + at + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (channels == null) {
            return;
        }
        for (final FileChannel c : channels) {
            if (c != null) {
                try {
                    c.close();
                } catch (final IOException ignored) {
                    // read-only channel: nothing was written that closing could lose
                }
            }
        }
    }
}
