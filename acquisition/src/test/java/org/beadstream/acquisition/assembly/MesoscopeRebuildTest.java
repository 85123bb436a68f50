package org.beadstream.acquisition.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.scanimage.RoiStrip;
import org.beadstream.acquisition.scanimage.ScanImageMetadata;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.scanimage.ScanImageWriter;
import org.beadstream.acquisition.tiff.SharedData;
import org.beadstream.acquisition.tiff.TiffReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilds a raw multi-ROI ScanImage recording from the mesoscope header (9 ROIs of 64 x 464 px, 122 fly-to lines) and
 * the 5 stitched frames made from the real recording, then checks that reading and assembling the raw files gives the
 * stitched frames back exactly.
 */
class MesoscopeRebuildTest {

    @TempDir
    Path dir;

    @Test
    void shouldAssembleTheRebuiltRawFramesIntoTheStitchedImages() {
        final ScanImageMetadata header = ScanImageMetadata.fromHeaderJson(
                SharedData.file("scanimage/mesoscope-multiroi/scanimage-header.json"));
        final int fly = header.flyToLinesFromTiming();
        assertEquals(122, fly);
        final int pageHeight = 9 * 464 + 8 * fly;
        final FrameGeometry geometry = new FrameGeometry(64, pageHeight, 1, header.volumeRateHz());
        final List<RoiStrip> strips = header.strips(64, pageHeight);
        final int frames = 5;
        final short[][] stitched = new short[frames][];
        final FrameSlot page = FrameSlot.forGeometry(geometry);
        final FrameSlot image = new FrameSlot(576 * 464 * 2);
        final SplittableRandom junk = new SplittableRandom(5);
        try (ScanImageWriter w = ScanImageWriter.create(dir, "meso", header, geometry, 2)) {
            for (int f = 0; f < frames; f++) {
                try (TiffReader r = TiffReader.open(SharedData.file(
                        "scanimage/mesoscope-multiroi/image-0000" + f + ".tif"))) {
                    r.readPage(0, image);
                }
                assertEquals(576, image.width());
                stitched[f] = new short[576 * 464];
                for (int i = 0; i < stitched[f].length; i++) {
                    stitched[f][i] = image.pixel(i % 576, i / 576);
                }
                for (int y = 0; y < pageHeight; y++) {
                    for (int x = 0; x < 64; x++) {
                        page.setPixel(x, y, (short) junk.nextInt(-2000, 9000));
                    }
                }
                for (final RoiStrip s : strips) {
                    for (int y = 0; y < s.height(); y++) {
                        for (int x = 0; x < 64; x++) {
                            page.setPixel(x, s.firstRow() + y, image.pixel(s.column() * 64 + x, y));
                        }
                    }
                }
                page.setHeader(f, 0, Math.round(f / header.volumeRateHz() * 1e9), f + 1);
                w.write(page);
            }
            assertEquals(3, w.files().size(), "2 frames per file");
        }

        final ScanImageSource source = new ScanImageSource(dir.resolve("meso_00001_00001.tif"));
        source.open();
        try {
            assertEquals(geometry.width(), source.geometry().width());
            assertEquals(pageHeight, source.geometry().height());
            assertEquals(1, source.geometry().planes());
            assertEquals(4.558404558, source.geometry().volumeRateHz(), 1e-9);
            assertEquals(frames, source.pageCount());
            assertEquals(122, source.metadata().flyToLines(pageHeight));
            final AssemblyLayout layout = AssemblyLayout.of(source.metadata(), source.geometry(), 0, 0);
            assertEquals(576, layout.planeWidth());
            assertEquals(464, layout.planeHeight());
            final VolumeAssembler assembler = new VolumeAssembler(layout, PlaneCalibration.identity(1));
            final AssembledVolume out = assembler.newVolume();
            source.start();
            final FrameSlot slot = FrameSlot.forGeometry(source.geometry());
            int f = 0;
            while (source.read(slot, 0) == ReadStatus.FRAME) {
                assertEquals(f + 1, slot.sourceFrameNumber());
                assertEquals(f, slot.volume());
                assertTrue(assembler.assemble(slot, out));
                for (int i = 0; i < 576 * 464; i++) {
                    if (stitched[f][i] != out.get(0, i % 576, i / 576)) {
                        throw new AssertionError("frame " + f + " pixel (" + i % 576 + ", " + i / 576 + "): stitched "
                                + stitched[f][i] + ", assembled " + out.get(0, i % 576, i / 576));
                    }
                }
                f++;
            }
            assertEquals(frames, f);
            assertEquals(0, source.framesLostAtSource());
        } finally {
            source.close();
        }
    }
}
