package org.beadstream.acquisition.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSourceException;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.ring.CounterPatternSource;
import org.beadstream.acquisition.ring.FrameRing;
import org.beadstream.acquisition.ring.RingSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class RawRecorderTest {

    static final FrameGeometry GEOMETRY = new FrameGeometry(40, 30, 3, 10.0);
    static final int RECORD = RawFormatDescriptor.RECORD_HEADER_LENGTH + GEOMETRY.bytesPerPage();

    @TempDir
    Path dir;

    /** Writes frames 0..n-1 of the counter pattern straight into a recorder, batches of 5. */
    static RawRecorder writeFrames(final RawRecorder recorder, final int n, final boolean close) {
        final FrameSlot slot = FrameSlot.forGeometry(GEOMETRY);
        recorder.onStart(GEOMETRY);
        for (int k = 0; k < n; k++) {
            CounterPatternSource.fill(slot, k, GEOMETRY);
            slot.setSequence(k);
            recorder.onFrame(slot, k, k % 5 == 4 || k == n - 1);
        }
        if (close) {
            recorder.close();
        }
        return recorder;
    }

    /** Reads every frame back and checks it against the pattern; returns the count. */
    static long readBackAndCheck(final RawRecordingSource source) {
        final FrameSlot slot = FrameSlot.forGeometry(source.geometry());
        long k = 0;
        while (source.read(slot, 0) == ReadStatus.FRAME) {
            assertTrue(CounterPatternSource.matches(slot, k), "pixels of frame " + k);
            assertEquals(k / GEOMETRY.planes(), slot.volume(), "volume of frame " + k);
            assertEquals(k % GEOMETRY.planes(), slot.plane(), "plane of frame " + k);
            assertEquals(1_000_000L * k, slot.timestampNanos(), "timestamp of frame " + k);
            assertEquals(1000 + k, slot.sourceFrameNumber(), "source frame number of frame " + k);
            k++;
        }
        return k;
    }

    static RawRecordingSource openStarted(final Path path) {
        final RawRecordingSource s = new RawRecordingSource(path);
        s.open();
        s.start();
        return s;
    }

    @Test
    void shouldRecordEveryFrameOfARingRunByteIdenticalWithVerifiedChecksums() {
        final CounterPatternSource source = new CounterPatternSource(GEOMETRY, 300, false, 0);
        source.open();
        final RawRecorder recorder = RawRecorder.builder(dir, GEOMETRY).metadata("source", source.name())
                .metadata("plane_order", List.of(2, 0, 1)).build();
        final FrameRing ring = FrameRing.builder(source).ringSize(16).recorder("raw", recorder).build();
        ring.start();
        final RingSnapshot snap = ring.awaitCompletion(Duration.ofSeconds(30));
        assertEquals(300, snap.framesRecorded());
        assertEquals(300, recorder.framesWritten());

        try (RawRecordingSource back = openStarted(dir)) {
            assertEquals(GEOMETRY, back.geometry());
            assertEquals("counter-pattern", back.metadata().get("source"));
            assertEquals(List.of(2, 0, 1), back.metadata().get("plane_order"));
            assertFalse(back.isLive());
            assertEquals(300, readBackAndCheck(back));
            final RecordingSummary summary = back.summary();
            assertEquals(300, summary.frames());
            assertEquals(100, summary.volumes());
            assertEquals(0, summary.firstSequence());
            assertEquals(299, summary.lastSequence());
            assertTrue(summary.closedCleanly());
            assertEquals(0, summary.tornTailBytes());
            assertTrue(summary.warnings().isEmpty(), summary.warnings().toString());
        }
        final RecordingSummary scanned = RawRecordingSource.scan(dir, true);
        assertEquals(300, scanned.frames());
        assertTrue(scanned.checksumsVerified());
        final long expectedSize = RawFormatDescriptor.headerLength(0) - 64 + 300L * RECORD;
        assertTrue(recorder.bytesWritten() > 300L * RECORD, "bytes written " + recorder.bytesWritten()
                + " vs " + expectedSize);
    }

    @Test
    void shouldRecordEveryFrameLiveWhileASlowProcessorSkipsVolumes() {
        final CounterPatternSource source = new CounterPatternSource(GEOMETRY, 1500, true, 500_000);
        source.open();
        final RawRecorder recorder = RawRecorder.builder(dir, GEOMETRY).build();
        final org.beadstream.acquisition.ring.FrameConsumer slow = (slot, sequence, endOfBatch) ->
                java.util.concurrent.locks.LockSupport.parkNanos(3_000_000);
        final FrameRing ring = FrameRing.builder(source).ringSize(512).recorder("raw", recorder)
                .processor("slow", slow).build();
        ring.start();
        final RingSnapshot snap = ring.awaitCompletion(Duration.ofSeconds(30));
        assertEquals(1500, snap.framesRecorded());
        assertEquals(0, snap.framesDropped());
        assertTrue(snap.volumesSkipped() > 0, "the slow processor skipped volumes: " + snap.volumesSkipped());
        try (RawRecordingSource back = openStarted(dir)) {
            assertEquals(1500, readBackAndCheck(back), "every frame recorded, byte-identical, checksums verified");
        }
    }

    @Test
    void shouldReplayARecordingThroughTheRingUnderBackPressure() {
        writeFrames(RawRecorder.builder(dir, GEOMETRY).maxFileBytes(40L * RECORD).build(), 120, true);
        final RawRecordingSource replay = new RawRecordingSource(dir);
        replay.open();
        final java.util.List<Long> seen = new java.util.ArrayList<>();
        final org.beadstream.acquisition.ring.FrameConsumer checker = (slot, sequence, endOfBatch) -> {
            if (!CounterPatternSource.matches(slot, sequence) || slot.sourceFrameNumber() != 1000 + sequence) {
                throw new AssertionError("frame " + sequence + " differs from the recorded pattern");
            }
            LockSupportHolder.pause();
            seen.add(sequence);
        };
        final FrameRing ring = FrameRing.builder(replay).ringSize(8).processor("check", checker).build();
        assertEquals(org.beadstream.acquisition.ring.RingPolicy.OFFLINE, ring.policy());
        ring.start();
        final RingSnapshot s = ring.awaitCompletion(Duration.ofSeconds(30));
        replay.close();
        assertEquals(120, s.framesProduced());
        assertEquals(0, s.volumesSkipped());
        assertEquals(120, seen.size());
        assertEquals(4, replay.summary().files().size(), "39 frames fit each file of 40 records with its headers");
    }

    /** A short pause that makes the consumer slower than the reader. */
    static final class LockSupportHolder {
        static void pause() {
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
    }

    @Test
    void shouldRollOverToNewFilesAndReadThemBackAsOneRecording() throws IOException {
        final RawRecorder recorder = writeFrames(RawRecorder.builder(dir, GEOMETRY).baseName("run1")
                .maxFileBytes(20L * RECORD).build(), 100, true);
        final List<Path> files = recorder.files();
        assertTrue(files.size() >= 5, "expected rollover into at least 5 files, got " + files);
        for (final Path f : files) {
            assertTrue(Files.size(f) <= 20L * RECORD, f + " is " + Files.size(f) + " bytes");
        }
        assertEquals("run1-00000.bsraw", files.get(0).getFileName().toString());
        try (RawRecordingSource back = openStarted(files.get(2))) {
            assertEquals(100, readBackAndCheck(back));
            assertEquals(files, back.summary().files());
            assertTrue(back.summary().closedCleanly());
            assertTrue(back.warnings().isEmpty(), back.warnings().toString());
        }
    }

    @Test
    void shouldSkipFramesAcrossFilesReadingOnlyTheirHeaders() {
        writeFrames(RawRecorder.builder(dir, GEOMETRY).baseName("run2").maxFileBytes(20L * RECORD).build(), 100,
                true);
        try (RawRecordingSource back = new RawRecordingSource(dir.resolve("run2-00000.bsraw"))) {
            back.open();
            assertEquals(37, back.skip(37), "skipped across file boundaries");
            back.start();
            final FrameSlot slot = FrameSlot.forGeometry(back.geometry());
            assertEquals(ReadStatus.FRAME, back.read(slot, 0));
            assertTrue(CounterPatternSource.matches(slot, 37), "the frame after the skipped ones");
            assertEquals(37 / GEOMETRY.planes(), slot.volume());
            assertEquals(62, back.skip(1000), "only what is left");
            assertEquals(ReadStatus.END_OF_STREAM, back.read(slot, 0));
            assertThrows(IllegalArgumentException.class, () -> back.skip(-1));
        }
    }

    @Test
    void shouldReadAnyFrameByItsIndexAcrossFilesAndNameADamagedOne() throws IOException {
        final RawRecorder recorder = writeFrames(RawRecorder.builder(dir, GEOMETRY).baseName("run3")
                .maxFileBytes(20L * RECORD).build(), 100, true);
        final FrameSlot slot = FrameSlot.forGeometry(GEOMETRY);
        try (RawFrameReader r = new RawFrameReader(dir.resolve("run3-00000.bsraw"))) {
            assertEquals(100, r.pageCount());
            for (final long k : new long[] {99, 0, 37, 38, 61}) {
                r.readPage(k, slot);
                assertTrue(CounterPatternSource.matches(slot, k), "pixels of frame " + k);
                assertEquals(k / GEOMETRY.planes(), slot.volume());
                assertEquals(k % GEOMETRY.planes(), slot.plane());
                assertEquals(1000 + k, slot.sourceFrameNumber());
            }
            assertTrue(r.fileIndexOf(99) > 0, "frame 99 is in a later file");
            assertThrows(IllegalArgumentException.class, () -> r.readPage(100, slot));
        }
        // damage the payload of frame 37 and read it again
        final Path file;
        final long at;
        try (RawFrameReader r = new RawFrameReader(dir.resolve("run3-00000.bsraw"))) {
            file = r.files().get(r.fileIndexOf(37));
        }
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
                java.nio.file.StandardOpenOption.WRITE)) {
            final long size = ch.size();
            at = size / 2;
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x55, 0x55, 0x55, 0x55}), at);
        }
        try (RawFrameReader r = new RawFrameReader(dir.resolve("run3-00000.bsraw"))) {
            int failures = 0;
            for (long k = 0; k < r.pageCount(); k++) {
                try {
                    r.readPage(k, slot);
                } catch (final FrameSourceException e) {
                    failures++;
                    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("frame " + k),
                            e.getMessage());
                }
            }
            assertEquals(1, failures, "exactly the damaged frame is refused");
        }
        assertTrue(recorder.files().size() >= 5);
    }

    @Test
    void shouldReadUpToTheLastCompleteFrameWhenTruncatedMidPayload() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 50, true).files().get(0);
        final long headerLength = fileHeaderLength(file);
        truncate(file, headerLength + 20L * RECORD + 64 + 100);
        try (RawRecordingSource back = openStarted(file)) {
            assertEquals(20, readBackAndCheck(back));
            final RecordingSummary s = back.summary();
            assertEquals(164, s.tornTailBytes());
            assertFalse(s.closedCleanly());
            assertEquals(1, s.warnings().size());
            final String w = s.warnings().get(0);
            assertTrue(w.startsWith(file + ": torn tail at offset " + (headerLength + 20L * RECORD)), w);
            assertTrue(w.contains("frame index 20 with only 100 of its 2400 payload bytes; 164 bytes discarded"), w);
        }
    }

    @Test
    void shouldReadUpToTheLastCompleteFrameWhenTruncatedMidHeader() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 50, true).files().get(0);
        truncate(file, fileHeaderLength(file) + 33L * RECORD + 30);
        try (RawRecordingSource back = openStarted(file)) {
            assertEquals(33, readBackAndCheck(back));
            assertEquals(30, back.summary().tornTailBytes());
            assertTrue(back.warnings().get(0).contains("an incomplete frame header (30 of 64 bytes); 30 bytes discarded"),
                    back.warnings().toString());
        }
    }

    @Test
    void shouldWarnButReadEverythingWhenTheEndRecordIsMissing() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 10, true).files().get(0);
        truncate(file, fileHeaderLength(file) + 10L * RECORD);
        final RecordingSummary s = RawRecordingSource.scan(file, true);
        assertEquals(10, s.frames());
        assertEquals(0, s.tornTailBytes());
        assertFalse(s.closedCleanly());
        assertTrue(s.warnings().get(0).contains("not closed cleanly"), s.warnings().toString());
    }

    @Test
    void shouldTreatAZeroFilledTailAsTorn() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 10, true).files().get(0);
        truncate(file, fileHeaderLength(file) + 7L * RECORD);
        Files.write(file, new byte[5000], StandardOpenOption.APPEND);
        final RecordingSummary s = RawRecordingSource.scan(file, true);
        assertEquals(7, s.frames());
        assertEquals(5000, s.tornTailBytes());
        assertTrue(s.warnings().get(0).contains("a zero-filled tail"), s.warnings().toString());
    }

    @Test
    void shouldNameFileFrameAndOffsetOfACorruptPayload() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 20, true).files().get(0);
        final long frame7 = fileHeaderLength(file) + 7L * RECORD;
        flipByte(file, frame7 + 64 + 1234);
        final var e = assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class, () -> {
            try (RawRecordingSource back = openStarted(file)) {
                readBackAndCheck(back);
            }
        });
        assertTrue(e.getMessage().contains(file + ": frame index 7 (sequence 7, volume 2, plane 1) at offset " + frame7
                + ": payload checksum mismatch"), e.getMessage());
        // a scan without checksum verification sees the structure only; with verification it fails the same way
        assertEquals(20, RawRecordingSource.scan(file, false).frames());
        assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(file, true));
    }

    @Test
    void shouldRefuseACorruptRecordHeaderInTheMiddle() throws IOException {
        final Path file = writeFrames(RawRecorder.builder(dir, GEOMETRY).build(), 20, true).files().get(0);
        final long frame7 = fileHeaderLength(file) + 7L * RECORD;
        flipByte(file, frame7 + 20);
        final var e = assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(file, false));
        assertTrue(e.getMessage().contains("frame header of frame index 7 at offset " + frame7
                + " is corrupt (header checksum mismatch)"), e.getMessage());
    }

    @Test
    void shouldFailClearlyOnAFullDiskAndKeepWhatWasWrittenReadable() throws IOException {
        // The disk "fills" after 30 records' worth of bytes: the third batch of 5+ frames is cut in the middle.
        final long capacity = RawFormatDescriptor.headerLength(200) + 17L * RECORD;
        final RawRecorder recorder = RawRecorder.builder(dir, GEOMETRY).stagingBytes(5 * RECORD + 4096)
                .channelOpener(file -> new FullDiskChannel(FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), capacity)).build();
        final RecordingException e = assertThrows(RecordingException.class, () -> writeFrames(recorder, 40, false));
        final Path file = dir.resolve("raw-00000.bsraw");
        assertEquals(file, e.file());
        assertTrue(e.getMessage().startsWith("cannot write recording file " + file + " at byte "), e.getMessage());
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertTrue(e.getMessage().contains("stay readable"), e.getMessage());
        final long written = recorder.framesWritten();
        assertTrue(written >= 10 && written < 20, "frames written before the disk filled: " + written);
        recorder.close();
        // what was written reads back; the partial batch is a torn tail
        try (RawRecordingSource back = openStarted(file)) {
            final long k = readBackAndCheck(back);
            assertTrue(k >= written, "read " + k + " frames, " + written + " were reported written");
            assertTrue(back.summary().tornTailBytes() > 0);
        }
        assertThrows(RecordingException.class, () -> writeFrames(recorder, 1, false));
    }

    @Test
    void shouldRejectBadSettingsWithClearMessages() throws IOException {
        assertEquals("recording directory " + dir.resolve("nope") + " does not exist",
                assertThrows(IllegalArgumentException.class,
                        () -> RawRecorder.builder(dir.resolve("nope"), GEOMETRY).build()).getMessage());
        assertEquals("maximum file size must be >= 0 bytes (0 = no rollover), was -1",
                assertThrows(IllegalArgumentException.class,
                        () -> RawRecorder.builder(dir, GEOMETRY).maxFileBytes(-1)).getMessage());
        assertEquals("recording base name must be letters, digits, '_', '.' or '-', was 'a/b'",
                assertThrows(IllegalArgumentException.class,
                        () -> RawRecorder.builder(dir, GEOMETRY).baseName("a/b")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RawRecorder.builder(dir, GEOMETRY).maxFileBytes(1000).build()).getMessage()
                .startsWith("maximum file size of 1000 bytes cannot hold one frame"));
        Files.write(dir.resolve("raw-00000.bsraw"), new byte[10]);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> RawRecorder.builder(dir, GEOMETRY).build()).getMessage().endsWith(
                "already exists; choose another directory or base name (recordings are never overwritten)"));
    }

    @Test
    void shouldRefuseAFrameOfTheWrongShape() {
        final RawRecorder recorder = RawRecorder.builder(dir, GEOMETRY).build();
        recorder.onStart(GEOMETRY);
        final FrameSlot other = new FrameSlot(GEOMETRY.bytesPerPage()).setShape(30, 40);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> recorder.onFrame(other, 0, true));
        assertEquals("frame 0 is 30 x 40 pixels but recording " + dir.resolve("raw-00000.bsraw") + " holds 40 x 30",
                e.getMessage());
        recorder.close();
    }

    @Test
    void shouldRefuseAmbiguousOrEmptyDirectoriesAndNewerVersions() throws IOException {
        final Path empty = Files.createDirectory(dir.resolve("empty"));
        assertTrue(assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(empty, false)).getMessage()
                .endsWith("directory holds no .bsraw recording (files named <base>-00000.bsraw)"));
        final Path two = Files.createDirectory(dir.resolve("two"));
        writeFrames(RawRecorder.builder(two, GEOMETRY).baseName("a").build(), 2, true);
        writeFrames(RawRecorder.builder(two, GEOMETRY).baseName("b").build(), 2, true);
        assertTrue(assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(two, false)).getMessage()
                .endsWith("directory holds several recordings [a, b]; name one of their files"));
        final Path file = two.resolve("a-00000.bsraw");
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(new byte[] {2, 0}), RawFormatDescriptor.VERSION_OFFSET);
        }
        assertTrue(assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(file, false)).getMessage()
                .endsWith(file + ": has format version 2; this reader knows version 1"));
    }

    @Test
    void shouldRefuseFilesThatAreNotRecordingsAndMissingRolloverFiles() throws IOException {
        final Path junk = dir.resolve("junk-00000.bsraw");
        Files.write(junk, new byte[100]);
        assertTrue(assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(junk, false)).getMessage()
                .endsWith(junk + ": is not a BeadStream raw recording (bad magic)"));

        final Path sub = Files.createDirectory(dir.resolve("rolled"));
        final RawRecorder recorder = writeFrames(RawRecorder.builder(sub, GEOMETRY).maxFileBytes(10L * RECORD)
                .build(), 50, true);
        Files.delete(recorder.files().get(1));
        assertTrue(assertThrows(org.beadstream.acquisition.frame.FrameSourceException.class,
                () -> RawRecordingSource.scan(sub, false)).getMessage()
                .contains("file raw-00001.bsraw is missing"));
    }

    static long fileHeaderLength(final Path file) throws IOException {
        try (FileChannel c = FileChannel.open(file)) {
            final ByteBuffer b = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            c.read(b, 0);
            return b.getInt(RawFormatDescriptor.HEADER_LENGTH_OFFSET);
        }
    }

    static void truncate(final Path file, final long size) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
            c.truncate(size);
        }
    }

    static void flipByte(final Path file, final long at) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, at);
            b.put(0, (byte) (b.get(0) ^ 0x5a)).position(0);
            c.write(b, at);
        }
    }
}
