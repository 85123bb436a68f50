package org.beadstream.acquisition.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.CRC32C;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.ring.FrameConsumer;

/**
 * Writes every frame, losslessly and at line rate, to {@code <directory>/<base>-NNNNN.bsraw} files in the format of
 * {@link RawFormatDescriptor} (docs/raw-format.md): a file header with the geometry and JSON metadata, then one record
 * per frame (64-byte header with sequence, volume, plane, timestamp, source frame number and the payload's CRC32C,
 * then the int16 page).
 *
 * <h2>Writing</h2>
 * Each frame's header and page are copied into a preallocated direct staging buffer (8 MiB by default); the buffer is
 * written with one large sequential {@link FileChannel#write} when the ring says {@code endOfBatch}, or when the next
 * frame would not fit. Nothing is allocated per frame. With {@link Builder#maxFileBytes} the recording rolls over to
 * a new file (each self-describing) before a file would exceed the size. {@link FsyncPolicy} says when data is forced
 * to the device.
 *
 * <h2>Failures</h2>
 * An I/O error (a full disk) becomes a {@link RecordingException} naming the file, the reason and how many frames are
 * safely in it; everything written before stays readable by {@link RawRecordingSource} (a partly written batch is a
 * torn tail it reports and discards). After a failure the recorder refuses further frames.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one thread (the ring's recorder thread) calls {@link #onStart}, {@link #onFrame}, {@link #onEnd}.
 * {@link #framesWritten()}, {@link #bytesWritten()} and {@link #files()} may be read from any thread.
 */
public final class RawRecorder implements FrameConsumer, AutoCloseable {

    /** Default staging buffer size. */
    public static final int DEFAULT_STAGING_BYTES = 8 << 20;

    private static final System.Logger LOG = System.getLogger(RawRecorder.class.getName());
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Opens a file for writing; a seam for tests that simulate a full disk. */
    @FunctionalInterface
    interface ChannelOpener {
        FileChannel open(Path file) throws IOException;
    }

    private final Path directory;
    private final String baseName;
    private final FrameGeometry geometry;
    private final long maxFileBytes;
    private final FsyncPolicy fsyncPolicy;
    private final byte[] metadataJson;
    private final ChannelOpener opener;
    private final ByteBuffer staging;
    private final UnsafeBuffer stagingBuffer;
    private final ByteBuffer crcView;
    private final CRC32C crc = new CRC32C();
    private final List<Path> files = new CopyOnWriteArrayList<>();

    private FileChannel channel;
    private Path currentFile;
    private int fileIndex = -1;
    private long filePosition;
    private long framesInFile;
    private long payloadInFile;
    private long framesFlushed;
    private long framesStaged;
    private long lastForceNanos;
    private boolean closed;
    private RecordingException failure;
    private volatile long framesWritten;
    private volatile long bytesWritten;

    private RawRecorder(final Builder b) {
        this.directory = b.directory;
        this.baseName = b.baseName;
        this.geometry = b.geometry;
        this.maxFileBytes = b.maxFileBytes;
        this.fsyncPolicy = b.fsyncPolicy;
        this.opener = b.opener;
        final Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("format", "beadstream-raw");
        meta.put("format_version", (int) RawFormatDescriptor.VERSION);
        meta.put("created_utc", Instant.now().toString());
        meta.put("width", geometry.width());
        meta.put("height", geometry.height());
        meta.put("planes", geometry.planes());
        meta.put("volume_rate_hz", geometry.volumeRateHz());
        meta.put("pixel_type", "int16le");
        meta.putAll(b.metadata);
        try {
            this.metadataJson = new ObjectMapper().writeValueAsBytes(meta);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("recording metadata cannot be written as JSON: " + e.getMessage(), e);
        }
        if (metadataJson.length > RawFormatDescriptor.MAX_JSON_LENGTH) {
            throw new IllegalArgumentException("recording metadata is " + metadataJson.length
                    + " bytes of JSON, more than the limit of " + RawFormatDescriptor.MAX_JSON_LENGTH);
        }
        final long record = RawFormatDescriptor.RECORD_HEADER_LENGTH + (long) geometry.bytesPerPage();
        final long needed = Math.max(Math.max(b.stagingBytes, 2 * record),
                RawFormatDescriptor.headerLength(metadataJson.length) + record);
        if (needed > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("pages of " + geometry.bytesPerPage() + " bytes are too large to stage");
        }
        if (maxFileBytes > 0 && maxFileBytes < RawFormatDescriptor.headerLength(metadataJson.length) + record
                + RawFormatDescriptor.RECORD_HEADER_LENGTH) {
            throw new IllegalArgumentException("maximum file size of " + maxFileBytes + " bytes cannot hold one frame of "
                    + geometry.bytesPerPage() + " bytes with its headers");
        }
        final int capacity = (int) ((needed + 4095) / 4096 * 4096);
        this.staging = BufferUtil.allocateDirectAligned(capacity, 4096).order(ByteOrder.LITTLE_ENDIAN);
        this.stagingBuffer = new UnsafeBuffer(staging);
        this.crcView = staging.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Starts configuring a recorder writing into {@code directory} (which must exist and be writable) for pages of
     * {@code geometry}.
     */
    public static Builder builder(final Path directory, final FrameGeometry geometry) {
        return new Builder(directory, geometry);
    }

    /** Opens the first file (if not already open). */
    @Override
    public void onStart(final FrameGeometry streamGeometry) {
        if (!streamGeometry.equals(geometry) && (streamGeometry.width() != geometry.width()
                || streamGeometry.height() != geometry.height() || streamGeometry.planes() != geometry.planes())) {
            throw new IllegalArgumentException("recorder for " + directory.resolve(baseName) + " was built for pages of "
                    + geometry.width() + " x " + geometry.height() + " x " + geometry.planes() + " planes, but the"
                    + " stream has " + streamGeometry.width() + " x " + streamGeometry.height() + " x "
                    + streamGeometry.planes());
        }
        ensureOpen();
    }

    /**
     * Stages one frame; writes the staged batch when {@code endOfBatch}.
     *
     * @throws RecordingException on an I/O error, naming the file
     * @throws IllegalArgumentException if the page does not match the recording's geometry
     */
    @Override
    public void onFrame(final FrameSlot slot, final long sequence, final boolean endOfBatch) {
        ensureOpen();
        final int payload = slot.byteLength();
        if (slot.width() != geometry.width() || slot.height() != geometry.height()) {
            throw new IllegalArgumentException("frame " + sequence + " is " + slot.width() + " x " + slot.height()
                    + " pixels but recording " + currentFile + " holds " + geometry.width() + " x "
                    + geometry.height());
        }
        final int record = RawFormatDescriptor.RECORD_HEADER_LENGTH + payload;
        if (maxFileBytes > 0 && framesInFile + framesStaged > 0 && filePosition + staging.position() + record
                + RawFormatDescriptor.RECORD_HEADER_LENGTH > maxFileBytes) {
            flush();
            rollOver();
        }
        if (staging.remaining() < record) {
            flush();
        }
        final int base = staging.position();
        final int payloadAt = base + RawFormatDescriptor.RECORD_HEADER_LENGTH;
        stagingBuffer.putBytes(payloadAt, slot.buffer(), 0, payload);
        final int payloadCrc = RawFormatDescriptor.crc(crc, crcView, payloadAt, payloadAt + payload);
        RawFormatDescriptor.putFrameHeader(staging, base, crc, payload, sequence, slot.volume(), slot.plane(),
                slot.width(), slot.height(), payloadCrc, slot.timestampNanos(), slot.sourceFrameNumber());
        staging.position(payloadAt + payload);
        framesStaged++;
        payloadInFile += payload;
        if (endOfBatch) {
            flush();
        }
    }

    /** Writes what is staged, the end record, forces and closes the file. */
    @Override
    public void onEnd() {
        close();
    }

    /**
     * Flushes, writes the end record, forces and closes the current file. Idempotent.
     *
     * @throws RecordingException on an I/O error
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        if (failure != null) {
            closeQuietly();
            return;
        }
        try {
            flush();
            finishFile(-1);
        } finally {
            closeQuietly();
        }
    }

    /** Frames written to the operating system so far (any thread). */
    public long framesWritten() {
        return framesWritten;
    }

    /** Bytes written to files so far, headers included (any thread). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** The files of this recording so far, in order (any thread). */
    public List<Path> files() {
        return List.copyOf(files);
    }

    /** The geometry this recorder writes. */
    public FrameGeometry geometry() {
        return geometry;
    }

    // -------------------------------------------------------------------------------------------------- internals

    private void ensureOpen() {
        if (failure != null) {
            throw new RecordingException(failure.file(), "recorder already failed: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IllegalStateException("recorder for " + directory.resolve(baseName) + " is closed");
        }
        if (channel == null) {
            openFile(0);
        }
    }

    private void openFile(final int index) {
        final Path file = directory.resolve(RawFormatDescriptor.fileName(baseName, index));
        try {
            channel = opener.open(file);
        } catch (final IOException e) {
            throw fail(file, "cannot create recording file " + file + ": " + reason(e), e);
        }
        currentFile = file;
        fileIndex = index;
        files.add(file);
        filePosition = 0;
        framesInFile = 0;
        payloadInFile = 0;
        lastForceNanos = System.nanoTime();
        final int headerLength = RawFormatDescriptor.headerLength(metadataJson.length);
        staging.clear();
        for (int i = 0; i < headerLength; i += 4) {
            staging.putInt(i, 0);
        }
        staging.put(0, RawFormatDescriptor.FILE_MAGIC);
        staging.putShort(RawFormatDescriptor.VERSION_OFFSET, RawFormatDescriptor.VERSION);
        staging.putShort(RawFormatDescriptor.FIXED_LENGTH_OFFSET, (short) RawFormatDescriptor.FILE_HEADER_FIXED_LENGTH);
        staging.putInt(RawFormatDescriptor.HEADER_LENGTH_OFFSET, headerLength);
        staging.putInt(RawFormatDescriptor.WIDTH_OFFSET, geometry.width());
        staging.putInt(RawFormatDescriptor.HEIGHT_OFFSET, geometry.height());
        staging.putInt(RawFormatDescriptor.PLANES_OFFSET, geometry.planes());
        staging.putInt(RawFormatDescriptor.BYTES_PER_PIXEL_OFFSET, FrameGeometry.BYTES_PER_PIXEL);
        staging.putDouble(RawFormatDescriptor.VOLUME_RATE_OFFSET, geometry.volumeRateHz());
        final Instant now = Instant.now();
        staging.putLong(RawFormatDescriptor.CREATED_OFFSET, now.getEpochSecond() * NANOS_PER_SECOND + now.getNano());
        staging.putLong(RawFormatDescriptor.FIRST_FRAME_INDEX_OFFSET, framesFlushed);
        staging.putInt(RawFormatDescriptor.FILE_INDEX_OFFSET, index);
        staging.putInt(RawFormatDescriptor.JSON_LENGTH_OFFSET, metadataJson.length);
        staging.put(RawFormatDescriptor.FILE_HEADER_FIXED_LENGTH, metadataJson);
        final int crcAt = RawFormatDescriptor.FILE_HEADER_FIXED_LENGTH + metadataJson.length;
        staging.putInt(crcAt, RawFormatDescriptor.crc(crc, crcView, 0, crcAt));
        staging.position(headerLength);
        framesStaged = 0;
    }

    /** Writes the staged bytes with one sequential write. */
    private void flush() {
        if (staging.position() == 0) {
            return;
        }
        staging.flip();
        final long before = filePosition;
        try {
            while (staging.hasRemaining()) {
                filePosition += channel.write(staging);
            }
        } catch (final IOException e) {
            throw fail(currentFile, "cannot write recording file " + currentFile + " at byte " + filePosition + ": "
                    + reason(e) + "; " + framesInFile + " frames of this file (" + framesFlushed
                    + " in the recording) were written before and stay readable; the " + framesStaged
                    + " frames of the failed batch are lost", e);
        } finally {
            staging.clear();
        }
        bytesWritten += filePosition - before;
        framesInFile += framesStaged;
        framesFlushed += framesStaged;
        framesWritten = framesFlushed;
        framesStaged = 0;
        if (fsyncPolicy == FsyncPolicy.EVERY_BATCH
                || fsyncPolicy == FsyncPolicy.EVERY_SECOND && System.nanoTime() - lastForceNanos >= NANOS_PER_SECOND) {
            force();
        }
    }

    private void force() {
        try {
            channel.force(false);
        } catch (final IOException e) {
            throw fail(currentFile, "cannot force recording file " + currentFile + " to the device: " + reason(e), e);
        }
        lastForceNanos = System.nanoTime();
    }

    private void rollOver() {
        final int next = fileIndex + 1;
        finishFile(next);
        closeQuietly();
        openFile(next);
    }

    private void finishFile(final int nextFile) {
        staging.clear();
        final Instant now = Instant.now();
        RawFormatDescriptor.putEndRecord(staging, 0, crc, framesInFile, payloadInFile,
                now.getEpochSecond() * NANOS_PER_SECOND + now.getNano(), nextFile);
        staging.position(RawFormatDescriptor.RECORD_HEADER_LENGTH);
        staging.flip();
        try {
            while (staging.hasRemaining()) {
                filePosition += channel.write(staging);
            }
        } catch (final IOException e) {
            throw fail(currentFile, "cannot write the end record of " + currentFile + ": " + reason(e)
                    + "; its " + framesInFile + " frames stay readable", e);
        } finally {
            staging.clear();
        }
        bytesWritten += RawFormatDescriptor.RECORD_HEADER_LENGTH;
        force();
    }

    private void closeQuietly() {
        final FileChannel c = channel;
        channel = null;
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (final IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + currentFile + " failed: " + reason(e));
        }
    }

    private RecordingException fail(final Path file, final String message, final IOException cause) {
        failure = new RecordingException(file, message, cause);
        return failure;
    }

    private static String reason(final IOException e) {
        final String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }

    // -------------------------------------------------------------------------------------------------- builder

    /**
     * Configures a {@link RawRecorder}; setters validate at once.
     *
     * <p>Not thread-safe; use from one thread.
     */
    public static final class Builder {
        private final Path directory;
        private final FrameGeometry geometry;
        private String baseName = "raw";
        private long maxFileBytes;
        private FsyncPolicy fsyncPolicy = FsyncPolicy.ON_CLOSE;
        private int stagingBytes = DEFAULT_STAGING_BYTES;
        private final Map<String, Object> metadata = new LinkedHashMap<>();
        private ChannelOpener opener = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);

        private Builder(final Path directory, final FrameGeometry geometry) {
            this.directory = Objects.requireNonNull(directory, "directory");
            this.geometry = Objects.requireNonNull(geometry, "geometry");
        }

        /** File name prefix (default {@code raw}): files are {@code <base>-00000.bsraw}, {@code <base>-00001...}. */
        public Builder baseName(final String name) {
            if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("recording base name must be letters, digits, '_', '.' or '-', was '"
                        + name + "'");
            }
            this.baseName = name;
            return this;
        }

        /** Rolls over to a new file before a file exceeds {@code bytes}; 0 (default) for one file. */
        public Builder maxFileBytes(final long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maximum file size must be >= 0 bytes (0 = no rollover), was "
                        + bytes);
            }
            this.maxFileBytes = bytes;
            return this;
        }

        /** When to force data to the device (default {@link FsyncPolicy#ON_CLOSE}). */
        public Builder fsyncPolicy(final FsyncPolicy policy) {
            this.fsyncPolicy = Objects.requireNonNull(policy, "fsync policy");
            return this;
        }

        /** Staging buffer size in bytes (default 8 MiB; raised to hold at least two frames). */
        public Builder stagingBytes(final int bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("staging buffer must be at least 4096 bytes, was " + bytes);
            }
            this.stagingBytes = bytes;
            return this;
        }

        /**
         * Adds a metadata entry to the file header's JSON (e.g. {@code source}, {@code plane_order},
         * {@code dz_um}); values must be JSON-serialisable (numbers, strings, lists, maps).
         */
        public Builder metadata(final String key, final Object value) {
            Objects.requireNonNull(key, "metadata key");
            metadata.put(key, value);
            return this;
        }

        Builder channelOpener(final ChannelOpener channelOpener) {
            this.opener = channelOpener;
            return this;
        }

        /**
         * Validates the directory and allocates the staging buffer. The first file is created on the first frame
         * (or {@link RawRecorder#onStart}); an existing file of the same name is never overwritten.
         *
         * @throws IllegalArgumentException if the directory is missing or not writable, or a file would be replaced
         */
        public RawRecorder build() {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException("recording directory " + directory + " does not exist");
            }
            if (!Files.isWritable(directory)) {
                throw new IllegalArgumentException("recording directory " + directory + " is not writable");
            }
            final Path first = directory.resolve(RawFormatDescriptor.fileName(baseName, 0));
            if (Files.exists(first)) {
                throw new IllegalArgumentException("recording file " + first + " already exists; choose another"
                        + " directory or base name (recordings are never overwritten)");
            }
            return new RawRecorder(this);
        }
    }

    /** The JSON metadata written in each file header (for tests and the reader's round trip). */
    String metadataJson() {
        return new String(metadataJson, StandardCharsets.UTF_8);
    }
}
