package org.beadstream.benchmarks.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.agrona.BufferUtil;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.record.RawRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The raw recorder (header + CRC32C + staging copy + batched sequential write) beside a plain sequential
 * {@link FileChannel#write} of the same page bytes from a direct buffer. One operation = one frame; a batch of 16
 * frames per invocation (the recorder flushes at the end of each batch, as it does on the ring's endOfBatch). Files go
 * to a fresh temporary directory per iteration (override with {@code -Dbeadstream.bench.dir=...}) and are deleted
 * after it, so the numbers include the page cache and, once dirty pages must be written back, the disk.
 *
 * <p>Not thread-safe: JMH state, one instance per benchmark thread (JMH subclasses it, so it is not final).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:MaxDirectMemorySize=512m"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class RecorderBenchmark {

    /** Frames per invocation (one recorder batch). */
    public static final int BATCH = 16;

    /** Frame size in bytes: 64 KiB, 1 MiB, 4 MiB. */
    @Param({"65536", "1048576", "4194304"})
    public int frameBytes;

    private FrameGeometry geometry;
    private FrameSlot slot;
    private ByteBuffer plainPage;
    private Path dir;
    private RawRecorder recorder;
    private FileChannel plain;
    private long sequence;
    private long iterationStartSequence;
    private long iterationStartAllocated;

    /** Makes the page once. */
    @Setup(Level.Trial)
    public void setUpTrial() {
        final int width = 512;
        geometry = new FrameGeometry(width, frameBytes / 2 / width, 4, 0);
        slot = FrameSlot.forGeometry(geometry);
        for (int i = 0; i < frameBytes; i += 2) {
            slot.buffer().putShort(i, (short) (i * 17));
        }
        plainPage = BufferUtil.allocateDirectAligned(frameBytes, 4096);
        for (int i = 0; i < frameBytes; i += 2) {
            plainPage.putShort(i, (short) (i * 17));
        }
    }

    /** A fresh directory, recorder and plain file per iteration. */
    @Setup(Level.Iteration)
    public void setUpIteration() throws IOException {
        final String base = System.getProperty("beadstream.bench.dir");
        dir = base == null ? Files.createTempDirectory("bs-rec-bench")
                : Files.createTempDirectory(Path.of(base), "bs-rec-bench");
        recorder = RawRecorder.builder(dir, geometry).build();
        recorder.onStart(geometry);
        plain = FileChannel.open(dir.resolve("plain.bin"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        iterationStartSequence = sequence;
        iterationStartAllocated = allocatedByThisThread();
    }

    /** Closes and deletes everything written in the iteration. */
    @TearDown(Level.Iteration)
    public void tearDownIteration() throws IOException {
        final long frames = sequence - iterationStartSequence;
        if (frames > 0) {
            final long bytes = allocatedByThisThread() - iterationStartAllocated;
            System.out.printf("%n[recorder thread allocated %d B in %d frames = %.4f B/frame]%n", bytes, frames,
                    (double) bytes / frames);
        }
        recorder.close();
        plain.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (final IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static long allocatedByThisThread() {
        final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx instanceof com.sun.management.ThreadMXBean
                ? ((com.sun.management.ThreadMXBean) mx).getThreadAllocatedBytes(Thread.currentThread().getId()) : 0;
    }

    /** One frame through the recorder. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long recorder() {
        for (int i = 0; i < BATCH; i++) {
            slot.setHeader(sequence / 4, (int) (sequence % 4), sequence, sequence);
            recorder.onFrame(slot, sequence, i == BATCH - 1);
            sequence++;
        }
        return recorder.framesWritten();
    }

    /** The baseline: the same page bytes written with a plain sequential FileChannel write. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long plainWrite() throws IOException {
        long n = 0;
        for (int i = 0; i < BATCH; i++) {
            plainPage.clear();
            while (plainPage.hasRemaining()) {
                n += plain.write(plainPage);
            }
        }
        return n;
    }
}
