package org.beadstream.benchmarks.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.assembly.VolumeAssembler;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.scanimage.ScanImageWriter;
import org.beadstream.acquisition.tiff.TiffPage;
import org.beadstream.acquisition.tiff.TiffReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reads a ScanImage-format BigTIFF recording (written once per trial in a temporary folder, then in the page cache)
 * page by page into one preallocated frame slot, with: our {@link TiffReader}; a plain positional
 * {@link FileChannel} read of exactly the same pixel byte ranges (the floor any reader can reach); the
 * {@link ScanImageSource} (adds per-frame description parsing and headers); and the {@link VolumeAssembler} on the
 * same pages (strip cutting, fractional phase correction, trimming; no file I/O). One operation is the whole
 * recording; throughput in GB/s is {@code bytes / time} (bytes in the "recordingBytes" figure printed at setup).
 *
 * <p>Not thread-safe: JMH runs one thread per state.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TiffReadBenchmark {

    /** Page layouts of the two light-beads configurations (design.md). */
    @Param({"config-a", "config-b"})
    public String layout;

    /** Pages in the recording (config A: 0.72 MB each, config B: 0.41 MB). */
    @Param({"150"})
    public int pages;

    private Path dir;
    private Path file;
    private TiffReader reader;
    private FileChannel channel;
    private FrameSlot slot;
    private long[] offsets;
    private int[] lengths;
    private ScanImageSource source;
    private VolumeAssembler assembler;
    private AssembledVolume volume;
    private FrameSlot[] assemblyPages;

    /** Writes the recording and opens the readers. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        final int strips = layout.equals("config-a") ? 4 : 2;
        final int stripWidth = layout.equals("config-a") ? 145 : 224;
        final int stripHeight = layout.equals("config-a") ? 600 : 448;
        final int fly = layout.equals("config-a") ? 26 : 16;
        final int planes = layout.equals("config-a") ? 30 : 14;
        final double rate = layout.equals("config-a") ? 9.608 : 17.067;
        final FrameGeometry g = new FrameGeometry(stripWidth, strips * stripHeight + (strips - 1) * fly, planes, rate);
        final ScanImageMetadata header = ScanImageWriter.lbmHeader(null, g,
                ScanImageWriter.sideBySideStrips(strips, stripWidth, stripHeight), fly, true);
        dir = Files.createTempDirectory("beadstream-io-bench");
        slot = FrameSlot.forGeometry(g);
        try (ScanImageWriter w = ScanImageWriter.create(dir, "bench", header, g, Long.MAX_VALUE)) {
            for (int p = 0; p < pages; p++) {
                for (int y = 0; y < g.height(); y++) {
                    for (int x = 0; x < g.width(); x++) {
                        slot.setPixel(x, y, (short) ((x * 31 + y * 17 + p * 7) & 0x0FFF));
                    }
                }
                slot.setHeader(p / planes, p % planes, p * 1_000_000L, p / planes + 1);
                w.write(slot);
            }
        }
        file = dir.resolve("bench_00001_00001.tif");
        reader = TiffReader.open(file);
        offsets = new long[pages];
        lengths = new int[pages];
        long bytes = 0;
        for (int p = 0; p < pages; p++) {
            final TiffPage tp = reader.page(p);
            offsets[p] = tp.contiguousOffset();
            lengths[p] = (int) tp.pixelBytes();
            bytes += lengths[p];
        }
        System.out.println("recordingBytes=" + bytes + " (" + pages + " pages of " + g.width() + " x " + g.height()
                + ")");
        channel = FileChannel.open(file, StandardOpenOption.READ);
        source = new ScanImageSource(file);
        source.open();
        final AssemblyLayout al = AssemblyLayout.uniform(strips, stripWidth, stripHeight, fly, 1, 1);
        assembler = new VolumeAssembler(al, PlaneCalibration.identity(planes));
        final double[] phase = new double[strips];
        for (int s = 0; s < strips; s++) {
            phase[s] = 1.3 + 0.1 * s;
        }
        assembler.setScanPhase(phase);
        volume = assembler.newVolume();
        assemblyPages = new FrameSlot[planes];
        for (int p = 0; p < planes; p++) {
            assemblyPages[p] = FrameSlot.forGeometry(g);
            reader.readPage(p, assemblyPages[p]);
            assemblyPages[p].setHeader(0, p, 0, 1);
        }
        readWithTiffReader();
    }

    /** Closes everything and deletes the recording. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        source.close();
        reader.close();
        channel.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Our reader: every page into the same slot. */
    @Benchmark
    public long readWithTiffReader() {
        long sum = 0;
        for (int p = 0; p < pages; p++) {
            reader.readPage(p, slot);
            sum += slot.buffer().getShort(0);
        }
        return sum;
    }

    /** Baseline: a positional FileChannel read of the same byte ranges into the same buffer. */
    @Benchmark
    public long readWithPlainFileChannel() throws IOException {
        long sum = 0;
        final ByteBuffer b = slot.byteBuffer();
        for (int p = 0; p < pages; p++) {
            b.clear().limit(lengths[p]);
            long pos = offsets[p];
            while (b.hasRemaining()) {
                pos += channel.read(b, pos);
            }
            sum += b.getShort(0);
        }
        b.clear();
        return sum;
    }

    /** The ScanImage source: pages, descriptions parsed, headers set. */
    @Benchmark
    public long readWithScanImageSource() {
        source.seek(0);
        source.start();
        long sum = 0;
        while (source.read(slot, 0) == ReadStatus.FRAME) {
            sum += slot.sourceFrameNumber();
        }
        return sum;
    }

    /** Assembly of one volume's pages (planes x strips, fractional phase correction, trimming); no I/O. */
    @Benchmark
    public float assembleOneVolume() {
        for (final FrameSlot p : assemblyPages) {
            assembler.assemble(p, volume);
        }
        return volume.get(0, 10, 10);
    }
}
