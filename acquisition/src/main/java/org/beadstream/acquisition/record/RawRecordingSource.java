package org.beadstream.acquisition.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;

/**
 * Reads a raw recording written by {@link RawRecorder} back as an offline {@link FrameSource}: every complete frame,
 * in order, across rolled-over files, with each payload's CRC32C verified.
 *
 * <h2>Crashes and corruption</h2>
 * A recording cut short by a crash (kill -9, power loss) ends in a torn tail: an incomplete record header, a record
 * whose payload is short, or a zero-filled tail. Everything up to the last complete frame reads back; the tail is
 * discarded with a warning naming the file and the bytes discarded (logged, and in {@link #summary()}). Anything else
 * that does not match the format (a bad checksum, a bad record header in the middle, a missing file) is a
 * {@link FrameSourceException} naming the file, the frame index and the byte offset.
 *
 * <h2>Threads</h2>
 * One thread reads; {@link #stop()} may be called from another. {@link #summary()} is meant for the reading thread
 * (or after the reader finished).
 */
public final class RawRecordingSource implements FrameSource {

    private static final System.Logger LOG = System.getLogger(RawRecordingSource.class.getName());
    private static final Pattern FILE_NAME = Pattern.compile("(.+)-(\\d{5})" + Pattern.quote(
            RawFormatDescriptor.EXTENSION));

    private final Path path;
    private final String name;
    private final ByteBuffer header = RawFormatDescriptor.directBuffer(RawFormatDescriptor.RECORD_HEADER_LENGTH);
    private final CRC32C crc = new CRC32C();
    private final List<String> warnings = new ArrayList<>();

    private List<Path> files;
    private FrameGeometry geometry;
    private Map<String, Object> metadata;
    private int fileIndex;
    private FileChannel channel;
    private long position;
    private long fileSize;
    private boolean sawEndRecord;
    private boolean opened;
    private boolean started;
    private boolean ended;
    private volatile boolean stopped;

    private long frames;
    private long framesInFile;
    private long volumes;
    private long lastVolume = Long.MIN_VALUE;
    private long firstSequence = -1;
    private long lastSequence = -1;
    private long payloadBytes;
    private long tornTailBytes;
    private boolean closedCleanly;
    private boolean verifyChecksums = true;

    /**
     * A reader for the recording at {@code path}: one of its {@code .bsraw} files (the whole recording is read, from
     * file 0), or the directory holding exactly one recording.
     */
    public RawRecordingSource(final Path path) {
        this.path = path;
        this.name = "raw:" + path;
    }

    /**
     * Reads the whole recording at {@code path} without delivering frames and returns what it holds.
     *
     * @param verifyChecksums also read every payload and check its CRC32C (slower: reads all the data)
     * @throws FrameSourceException if the recording is corrupt (a torn tail is not corruption)
     */
    public static RecordingSummary scan(final Path path, final boolean verifyChecksums) {
        try (RawRecordingSource source = new RawRecordingSource(path)) {
            source.verifyChecksums = verifyChecksums;
            source.open();
            source.start();
            final ByteBuffer scratch = verifyChecksums
                    ? ByteBuffer.allocateDirect(source.geometry.bytesPerPage()).order(ByteOrder.LITTLE_ENDIAN) : null;
            while (source.next(null, scratch) == ReadStatus.FRAME) {
                // counting only
            }
            return source.summary();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** Always false: a recording can wait, so the ring applies back-pressure. */
    @Override
    public boolean isLive() {
        return false;
    }

    @Override
    public void open() {
        if (opened) {
            throw new IllegalStateException(name + " is already open");
        }
        this.files = resolveFiles();
        openFile(0);
        opened = true;
    }

    @Override
    public FrameGeometry geometry() {
        if (!opened) {
            throw new IllegalStateException(name + " is not open");
        }
        return geometry;
    }

    /** The JSON metadata of the first file's header (source, plane order, rates...). Valid after {@link #open()}. */
    public Map<String, Object> metadata() {
        if (!opened) {
            throw new IllegalStateException(name + " is not open");
        }
        return metadata;
    }

    /** The recording's files, in order. Valid after {@link #open()}. */
    public List<Path> files() {
        return List.copyOf(files);
    }

    @Override
    public void start() {
        if (!opened) {
            throw new IllegalStateException(name + " is not open");
        }
        if (started) {
            throw new IllegalStateException(name + " is already started");
        }
        started = true;
    }

    @Override
    public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
        if (!started) {
            throw new IllegalStateException(name + " is not started");
        }
        return next(slot, null);
    }

    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void close() {
        stopped = true;
        closeChannel();
    }

    /** What was read so far; after the last frame, the whole recording. */
    public RecordingSummary summary() {
        return new RecordingSummary(files == null ? List.of() : files, geometry, metadata == null ? Map.of() : metadata,
                frames, volumes, firstSequence, lastSequence, payloadBytes, tornTailBytes, closedCleanly,
                verifyChecksums, warnings);
    }

    /**
     * Moves past the next {@code count} frames reading only their 64-byte record headers (each checked), not their
     * pixels: how a resumed run gets back to where it stopped without reading the finished part's data again. Before
     * or after {@link #start()}.
     *
     * @return frames skipped (fewer when the recording ends first)
     */
    public long skip(final long count) {
        if (!opened) {
            throw new IllegalStateException(name + " is not open");
        }
        if (count < 0) {
            throw new IllegalArgumentException("frames to skip must be >= 0, was " + count);
        }
        long n = 0;
        while (n < count && next(null, null) == ReadStatus.FRAME) {
            n++;
        }
        return n;
    }

    /** Warnings so far (torn tail, missing end record), each naming the file. */
    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    // -------------------------------------------------------------------------------------------------- reading

    /** Reads the next record: into {@code slot} if given, else into {@code scratch} if given, else skips the data. */
    private ReadStatus next(final FrameSlot slot, final ByteBuffer scratch) {
        while (true) {
            if (ended || stopped) {
                return ReadStatus.END_OF_STREAM;
            }
            final long remaining = fileSize - position;
            final Path file = files.get(fileIndex);
            if (remaining == 0) {
                if (fileIndex + 1 < files.size()) {
                    if (!sawEndRecord) {
                        warn(file + ": no end record although " + files.get(fileIndex + 1).getFileName()
                                + " follows; reading on");
                    }
                    closeChannel();
                    openFile(fileIndex + 1);
                    continue;
                }
                if (!sawEndRecord) {
                    warn(file + ": the recording was not closed cleanly (no end record), but it ends on a complete"
                            + " frame; all " + frames + " frames are readable");
                }
                closedCleanly = sawEndRecord;
                ended = true;
                return ReadStatus.END_OF_STREAM;
            }
            if (remaining < RawFormatDescriptor.RECORD_HEADER_LENGTH) {
                torn(file, remaining, "an incomplete frame header (" + remaining + " of "
                        + RawFormatDescriptor.RECORD_HEADER_LENGTH + " bytes)");
                return ReadStatus.END_OF_STREAM;
            }
            header.clear();
            readFully(header, position, file);
            final int magic = header.getInt(0);
            final boolean headerOk = RawFormatDescriptor.headerCrcMatches(header, 0, crc);
            if (magic == RawFormatDescriptor.END_MAGIC && headerOk) {
                endRecord(file);
                continue;
            }
            if (magic != RawFormatDescriptor.FRAME_MAGIC || !headerOk) {
                if (fileIndex == files.size() - 1 && allZero(position, fileSize, file)) {
                    torn(file, remaining, "a zero-filled tail");
                    return ReadStatus.END_OF_STREAM;
                }
                throw corrupt(file, "frame header of frame index " + frames + " at offset " + position + " is corrupt ("
                        + (magic != RawFormatDescriptor.FRAME_MAGIC ? String.format("bad magic 0x%08x", magic)
                        : "header checksum mismatch") + ")");
            }
            final int payload = header.getInt(RawFormatDescriptor.PAYLOAD_LENGTH_OFFSET);
            final int width = header.getInt(RawFormatDescriptor.FRAME_WIDTH_OFFSET);
            final int height = header.getInt(RawFormatDescriptor.FRAME_HEIGHT_OFFSET);
            if (width != geometry.width() || height != geometry.height() || payload != geometry.bytesPerPage()) {
                throw corrupt(file, "frame index " + frames + " at offset " + position + " is " + width + " x " + height
                        + " pixels (" + payload + " bytes), but the file holds " + geometry.width() + " x "
                        + geometry.height() + " int16 pages");
            }
            if (remaining < RawFormatDescriptor.RECORD_HEADER_LENGTH + (long) payload) {
                torn(file, remaining, "frame index " + frames + " with only "
                        + (remaining - RawFormatDescriptor.RECORD_HEADER_LENGTH) + " of its " + payload
                        + " payload bytes");
                return ReadStatus.END_OF_STREAM;
            }
            final long payloadAt = position + RawFormatDescriptor.RECORD_HEADER_LENGTH;
            final ByteBuffer target;
            if (slot != null) {
                slot.setShape(width, height);
                target = slot.dataForWrite();
            } else {
                target = scratch;
                if (target != null) {
                    target.clear().limit(payload);
                }
            }
            if (target != null) {
                readFully(target, payloadAt, file);
                target.position(0);
                crc.reset();
                crc.update(target);
                target.clear();
                final int stored = header.getInt(RawFormatDescriptor.PAYLOAD_CRC_OFFSET);
                final int computed = (int) crc.getValue();
                if (stored != computed) {
                    throw corrupt(file, "frame index " + frames + " (sequence "
                            + header.getLong(RawFormatDescriptor.SEQUENCE_OFFSET) + ", volume "
                            + header.getLong(RawFormatDescriptor.VOLUME_OFFSET) + ", plane "
                            + header.getInt(RawFormatDescriptor.PLANE_OFFSET) + ") at offset " + position
                            + ": payload checksum mismatch (stored " + String.format("0x%08x", stored) + ", computed "
                            + String.format("0x%08x", computed) + ")");
                }
            }
            final long volume = header.getLong(RawFormatDescriptor.VOLUME_OFFSET);
            final long sequence = header.getLong(RawFormatDescriptor.SEQUENCE_OFFSET);
            if (slot != null) {
                slot.setHeader(volume, header.getInt(RawFormatDescriptor.PLANE_OFFSET),
                        header.getLong(RawFormatDescriptor.TIMESTAMP_OFFSET),
                        header.getLong(RawFormatDescriptor.SOURCE_FRAME_OFFSET));
            }
            if (volume != lastVolume) {
                volumes++;
                lastVolume = volume;
            }
            if (firstSequence < 0) {
                firstSequence = sequence;
            }
            lastSequence = sequence;
            frames++;
            framesInFile++;
            payloadBytes += payload;
            position = payloadAt + payload;
            return ReadStatus.FRAME;
        }
    }

    private void endRecord(final Path file) {
        final long stated = header.getLong(RawFormatDescriptor.END_FRAMES_OFFSET);
        if (stated != framesInFile) {
            throw corrupt(file, "end record at offset " + position + " states " + stated + " frames but the file holds "
                    + framesInFile);
        }
        sawEndRecord = true;
        position += RawFormatDescriptor.RECORD_HEADER_LENGTH;
        if (position != fileSize) {
            throw corrupt(file, (fileSize - position) + " unexpected bytes after the end record at offset "
                    + (position - RawFormatDescriptor.RECORD_HEADER_LENGTH));
        }
        final int next = header.getInt(RawFormatDescriptor.END_NEXT_FILE_OFFSET);
        if (next >= 0 && next != fileIndex + 1) {
            throw corrupt(file, "end record names file index " + next + " as the next file, expected "
                    + (fileIndex + 1));
        }
        if (next >= 0 && fileIndex + 1 >= files.size()) {
            throw new FrameSourceException(name, file + " says the recording continues in "
                    + RawFormatDescriptor.fileName(baseName(file), next) + ", which is missing");
        }
    }

    private void torn(final Path file, final long bytes, final String what) {
        if (fileIndex != files.size() - 1) {
            throw corrupt(file, "ends at offset " + position + " in " + what + ", but later file "
                    + files.get(fileIndex + 1).getFileName() + " exists");
        }
        tornTailBytes = bytes;
        closedCleanly = false;
        ended = true;
        warn(file + ": torn tail at offset " + position + ": " + what + "; " + bytes + " bytes discarded; the "
                + frames + " complete frames before it are readable (the recording was interrupted)");
    }

    private void warn(final String message) {
        warnings.add(message);
        LOG.log(System.Logger.Level.WARNING, message);
    }

    private boolean allZero(final long from, final long to, final Path file) {
        final ByteBuffer buf = header;
        long p = from;
        while (p < to) {
            final int n = (int) Math.min(buf.capacity(), to - p);
            buf.clear().limit(n);
            readFully(buf, p, file);
            for (int i = 0; i < n; i++) {
                if (buf.get(i) != 0) {
                    return false;
                }
            }
            p += n;
        }
        return true;
    }

    private void readFully(final ByteBuffer buf, final long at, final Path file) {
        long p = at;
        try {
            while (buf.hasRemaining()) {
                final int n = channel.read(buf, p);
                if (n < 0) {
                    throw corrupt(file, "unexpected end of file at offset " + p);
                }
                p += n;
            }
        } catch (final IOException e) {
            throw new FrameSourceException(name, "cannot read " + file + " at offset " + at + ": " + e.getMessage(), e);
        }
    }

    // -------------------------------------------------------------------------------------------------- files

    private List<Path> resolveFiles() {
        final Path dir;
        String base = null;
        if (Files.isDirectory(path)) {
            dir = path;
        } else if (Files.isRegularFile(path)) {
            final Matcher m = FILE_NAME.matcher(path.getFileName().toString());
            if (!m.matches()) {
                return List.of(path);
            }
            dir = path.toAbsolutePath().getParent();
            base = m.group(1);
        } else {
            throw new FrameSourceException(name, "no such file or directory");
        }
        final Map<String, TreeMap<Integer, Path>> byBase = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + RawFormatDescriptor.EXTENSION)) {
            for (final Path p : stream) {
                final Matcher m = FILE_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    byBase.computeIfAbsent(m.group(1), k -> new TreeMap<>()).put(Integer.parseInt(m.group(2)), p);
                }
            }
        } catch (final IOException e) {
            throw new FrameSourceException(name, "cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (base == null) {
            if (byBase.isEmpty()) {
                throw new FrameSourceException(name, "directory holds no " + RawFormatDescriptor.EXTENSION
                        + " recording (files named <base>-00000" + RawFormatDescriptor.EXTENSION + ")");
            }
            if (byBase.size() > 1) {
                throw new FrameSourceException(name, "directory holds several recordings " + byBase.keySet()
                        + "; name one of their files");
            }
            base = byBase.keySet().iterator().next();
        }
        final TreeMap<Integer, Path> indexed = byBase.get(base);
        final List<Path> list = new ArrayList<>();
        int expected = 0;
        for (final Map.Entry<Integer, Path> e : indexed.entrySet()) {
            if (e.getKey() != expected) {
                throw new FrameSourceException(name, "recording '" + base + "' in " + dir + ": file "
                        + RawFormatDescriptor.fileName(base, expected) + " is missing (found indices "
                        + indexed.keySet() + ")");
            }
            list.add(e.getValue());
            expected++;
        }
        return list;
    }

    private static String baseName(final Path file) {
        final Matcher m = FILE_NAME.matcher(file.getFileName().toString());
        return m.matches() ? m.group(1) : file.getFileName().toString();
    }

    private void openFile(final int index) {
        final Path file = files.get(index);
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            fileSize = channel.size();
        } catch (final IOException e) {
            throw new FrameSourceException(name, "cannot open " + file + ": " + e.getMessage(), e);
        }
        fileIndex = index;
        sawEndRecord = false;
        framesInFile = 0;
        final int fixed = RawFormatDescriptor.FILE_HEADER_FIXED_LENGTH;
        if (fileSize < fixed) {
            throw corrupt(file, "is " + fileSize + " bytes long, shorter than a file header (" + fixed + " bytes)");
        }
        final ByteBuffer fh = ByteBuffer.allocate(fixed).order(ByteOrder.LITTLE_ENDIAN);
        readFully(fh, 0, file);
        for (int i = 0; i < RawFormatDescriptor.FILE_MAGIC.length; i++) {
            if (fh.get(i) != RawFormatDescriptor.FILE_MAGIC[i]) {
                throw corrupt(file, "is not a BeadStream raw recording (bad magic)");
            }
        }
        final int version = fh.getShort(RawFormatDescriptor.VERSION_OFFSET);
        if (version != RawFormatDescriptor.VERSION) {
            throw corrupt(file, "has format version " + version + "; this reader knows version "
                    + RawFormatDescriptor.VERSION);
        }
        final int jsonLength = fh.getInt(RawFormatDescriptor.JSON_LENGTH_OFFSET);
        final int headerLength = fh.getInt(RawFormatDescriptor.HEADER_LENGTH_OFFSET);
        if (fh.getShort(RawFormatDescriptor.FIXED_LENGTH_OFFSET) != fixed || jsonLength < 0
                || jsonLength > RawFormatDescriptor.MAX_JSON_LENGTH
                || headerLength != RawFormatDescriptor.headerLength(jsonLength) || headerLength > fileSize) {
            throw corrupt(file, "has a corrupt file header (header length " + headerLength + ", metadata length "
                    + jsonLength + ", file size " + fileSize + ")");
        }
        final ByteBuffer full = ByteBuffer.allocate(fixed + jsonLength + 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(full, 0, file);
        final int stored = full.getInt(fixed + jsonLength);
        if (stored != RawFormatDescriptor.crc(crc, full, 0, fixed + jsonLength)) {
            throw corrupt(file, "file header checksum mismatch");
        }
        final FrameGeometry g;
        try {
            g = new FrameGeometry(fh.getInt(RawFormatDescriptor.WIDTH_OFFSET),
                    fh.getInt(RawFormatDescriptor.HEIGHT_OFFSET), fh.getInt(RawFormatDescriptor.PLANES_OFFSET),
                    fh.getDouble(RawFormatDescriptor.VOLUME_RATE_OFFSET));
        } catch (final IllegalArgumentException e) {
            throw corrupt(file, "has an invalid geometry: " + e.getMessage());
        }
        if (fh.getInt(RawFormatDescriptor.BYTES_PER_PIXEL_OFFSET) != FrameGeometry.BYTES_PER_PIXEL) {
            throw corrupt(file, "has " + fh.getInt(RawFormatDescriptor.BYTES_PER_PIXEL_OFFSET)
                    + " bytes per pixel; only int16 is supported");
        }
        if (fh.getInt(RawFormatDescriptor.FILE_INDEX_OFFSET) != index) {
            throw corrupt(file, "says it is file " + fh.getInt(RawFormatDescriptor.FILE_INDEX_OFFSET)
                    + " of its recording, expected " + index);
        }
        if (fh.getLong(RawFormatDescriptor.FIRST_FRAME_INDEX_OFFSET) != frames) {
            throw corrupt(file, "starts at frame index " + fh.getLong(RawFormatDescriptor.FIRST_FRAME_INDEX_OFFSET)
                    + " but the earlier files hold " + frames + " frames");
        }
        if (index == 0) {
            geometry = g;
            try {
                final byte[] json = new byte[jsonLength];
                full.get(fixed, json);
                metadata = new ObjectMapper().readValue(new String(json, StandardCharsets.UTF_8),
                        new TypeReference<LinkedHashMap<String, Object>>() { });
            } catch (final IOException e) {
                throw corrupt(file, "has unreadable JSON metadata: " + e.getMessage());
            }
        } else if (g.width() != geometry.width() || g.height() != geometry.height()
                || g.planes() != geometry.planes()) {
            throw corrupt(file, "holds " + g.width() + " x " + g.height() + " x " + g.planes()
                    + " pages, unlike the first file (" + geometry.width() + " x " + geometry.height() + " x "
                    + geometry.planes() + ")");
        }
        position = headerLength;
    }

    private void closeChannel() {
        final FileChannel c = channel;
        channel = null;
        if (c != null) {
            try {
                c.close();
            } catch (final IOException e) {
                LOG.log(System.Logger.Level.WARNING, name + ": closing failed: " + e.getMessage());
            }
        }
    }

    private FrameSourceException corrupt(final Path file, final String message) {
        return new FrameSourceException(name, file + ": " + message);
    }
}
