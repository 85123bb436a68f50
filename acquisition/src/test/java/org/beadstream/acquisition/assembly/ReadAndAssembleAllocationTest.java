package org.beadstream.acquisition.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.scanimage.ScanImageWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a ScanImage recording (pages, descriptions, headers) and assembling its volumes allocates nothing per frame
 * once warm. Measured with HotSpot's per-thread allocation counter; speed is measured in the io benchmarks.
 */
class ReadAndAssembleAllocationTest {

    /** Allowed for a whole pass of 60 pages: counter and JIT noise, far below one page or one String per page. */
    static final long BUDGET_BYTES = 1024;

    @TempDir
    Path dir;

    @Test
    void shouldReadAndAssembleWithoutAllocatingPerFrame() {
        final var mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread counters");
        final var hs = (com.sun.management.ThreadMXBean) mx;
        Assumptions.assumeTrue(hs.isThreadAllocatedMemorySupported() && hs.isThreadAllocatedMemoryEnabled());
        final FrameGeometry g = new FrameGeometry(64, 2 * 30 + 4, 6, 10);
        final ScanImageMetadata header = ScanImageWriter.lbmHeader(null, g,
                ScanImageWriter.sideBySideStrips(2, 64, 30), 4, true);
        final FrameSlot slot = FrameSlot.forGeometry(g);
        try (ScanImageWriter w = ScanImageWriter.create(dir, "alloc", header, g, 5)) {
            for (int p = 0; p < 60; p++) {
                slot.setPixel(p % 64, p % 30, (short) p);
                slot.setHeader(p / 6, p % 6, p * 1000L, p / 6 + 1);
                w.write(slot);
            }
        }
        try (ScanImageSource source = new ScanImageSource(dir.resolve("alloc_00001_00001.tif"))) {
            source.open();
            final VolumeAssembler assembler = new VolumeAssembler(
                    AssemblyLayout.of(source.metadata(), source.geometry(), 1, 1), PlaneCalibration.identity(6));
            assembler.setScanPhase(new double[] {1.37, -0.62});
            final AssembledVolume volume = assembler.newVolume();
            final long tid = Thread.currentThread().getId();
            long last = Long.MAX_VALUE;
            for (int pass = 0; pass < 5; pass++) {
                source.seek(0);
                source.start();
                final long before = hs.getThreadAllocatedBytes(tid);
                int volumes = 0;
                while (source.read(slot, 0) == ReadStatus.FRAME) {
                    if (assembler.assemble(slot, volume)) {
                        volumes++;
                    }
                }
                last = hs.getThreadAllocatedBytes(tid) - before;
                assertEquals(10, volumes);
            }
            assertTrue(last < BUDGET_BYTES, "one warm pass of 60 pages allocated " + last + " bytes");
        }
    }
}
