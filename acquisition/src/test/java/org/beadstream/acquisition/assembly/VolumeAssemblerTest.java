package org.beadstream.acquisition.assembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameSlot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeAssemblerTest {

    @TempDir
    Path dir;

    /** A page of 2 strips (8 wide, 4 high, 3 fly-to lines); pixel value encodes channel, strip, row and column. */
    private static FrameSlot page(final int channel, final long volume) {
        final AssemblyLayout l = AssemblyLayout.uniform(2, 8, 4, 3, 0, 0);
        final FrameSlot s = new FrameSlot(l.pageWidth() * l.pageHeight() * 2);
        s.setShape(l.pageWidth(), l.pageHeight());
        for (int y = 0; y < l.pageHeight(); y++) {
            for (int x = 0; x < 8; x++) {
                final int strip = y / 7;
                final boolean fly = y % 7 >= 4;
                s.setPixel(x, y, (short) (fly ? -999 : channel * 1000 + strip * 100 + (y % 7) * 10 + x));
            }
        }
        s.setHeader(volume, channel, volume * 1000, volume + 1);
        return s;
    }

    @Test
    void shouldCutStripsSkipFlyToLinesTrimAndPlaceThemSideBySideInDepthOrder() {
        final AssemblyLayout layout = AssemblyLayout.uniform(2, 8, 4, 3, 1, 2);
        assertEquals(10, layout.planeWidth());
        assertEquals(4, layout.planeHeight());
        final int[] order = {2, 0, 1};
        final VolumeAssembler a = new VolumeAssembler(layout, new PlaneCalibration(order, new double[3],
                new double[3]));
        final AssembledVolume v = a.newVolume();
        assertFalse(a.assemble(page(0, 7), v));
        assertFalse(a.assemble(page(2, 7), v));
        assertTrue(a.assemble(page(1, 7), v));
        assertEquals(7, v.volume());
        assertEquals(7000, v.timestampNanos());
        for (int c = 0; c < 3; c++) {
            final int depth = order[c];
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 10; x++) {
                    final int strip = x / 5;
                    final int col = x % 5 + 1;
                    assertEquals(c * 1000 + strip * 100 + y * 10 + col, v.get(depth, x, y), 0,
                            "depth " + depth + " (" + x + ", " + y + ")");
                }
            }
        }
        assertFalse(a.assemble(page(0, 8), v), "a new volume restarts the fill");
        assertTrue(v.isFilled(order[0]));
        assertFalse(v.isFilled(order[1]));
    }

    @Test
    void shouldShiftOddRowsBackByAnIntegerPhaseExactly() {
        final AssemblyLayout layout = AssemblyLayout.uniform(2, 8, 4, 3, 0, 0);
        final VolumeAssembler a = new VolumeAssembler(layout, PlaneCalibration.identity(1));
        a.setScanPhase(new double[] {2, -1});
        final AssembledVolume v = a.newVolume();
        assertTrue(a.assemble(page(0, 0), v));
        // strip 0, odd row 1: out(x) = in(x + 2), clamped at the end
        for (int x = 0; x < 8; x++) {
            assertEquals(10 + Math.min(7, x + 2), v.get(0, x, 1), 0);
            assertEquals(20 + x, v.get(0, x, 2), 0, "even rows untouched");
            assertEquals(100 + 10 + Math.max(0, x - 1), v.get(0, 8 + x, 1), 0);
        }
    }

    @Test
    void shouldInterpolateAFractionalPhaseExactlyOnALinearRamp() {
        final AssemblyLayout layout = AssemblyLayout.uniform(1, 8, 4, 0, 0, 0);
        final VolumeAssembler a = new VolumeAssembler(layout, PlaneCalibration.identity(1));
        a.setScanPhase(new double[] {0.25});
        final FrameSlot s = new FrameSlot(64);
        s.setShape(8, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                s.setPixel(x, y, (short) (100 * x));
            }
        }
        s.setHeader(0, 0, 0, 1);
        final AssembledVolume v = a.newVolume();
        a.assemble(s, v);
        for (int x = 1; x < 5; x++) {
            assertEquals(100 * (x + 0.25), v.get(0, x, 1), 1e-3, "cubic interpolation is exact on a line");
        }
    }

    @Test
    void shouldAlignPlanesByTheirCalibrationOffsets() {
        final AssemblyLayout layout = AssemblyLayout.uniform(1, 8, 6, 0, 0, 0);
        final PlaneCalibration cal = new PlaneCalibration(new int[] {0, 1}, new double[] {0, 2}, new double[] {0, -1});
        final VolumeAssembler a = new VolumeAssembler(layout, cal);
        final FrameSlot s = new FrameSlot(96);
        s.setShape(8, 6);
        for (int y = 0; y < 6; y++) {
            for (int x = 0; x < 8; x++) {
                s.setPixel(x, y, (short) (10 * y + x));
            }
        }
        final AssembledVolume v = a.newVolume();
        s.setHeader(0, 1, 0, 1);
        a.assemble(s, v);
        // out(x, y) = in(x - 2, y + 1)
        assertEquals(10 * 1 + 0, v.get(1, 2, 0), 0);
        assertEquals(10 * 5 + 5, v.get(1, 7, 4), 0);
        assertEquals(0, v.get(1, 1, 0), 0, "outside the plane is 0");
        assertEquals(0, v.get(1, 4, 5), 0, "outside the plane is 0");
        final PlaneCalibration half = new PlaneCalibration(new int[] {0}, new double[] {0.5}, new double[] {0});
        final VolumeAssembler b = new VolumeAssembler(layout, half);
        final AssembledVolume w = b.newVolume();
        s.setHeader(0, 0, 0, 1);
        b.assemble(s, w);
        assertEquals(10 * 2 + 2.5, w.get(0, 3, 2), 1e-5, "bilinear at half a pixel");
    }

    @Test
    void shouldReadAndWriteTheCalibrationFileAndRejectBadOnes() throws IOException {
        final PlaneCalibration cal = new PlaneCalibration(new int[] {1, 2, 0}, new double[] {0, 1.5, -2},
                new double[] {0, 0.25, 3});
        final Path f = dir.resolve("cal.json");
        cal.write(f);
        final PlaneCalibration back = PlaneCalibration.read(f, 3);
        assertArrayEquals(cal.channelToDepth(), back.channelToDepth());
        assertEquals(1.5, back.dx(1));
        assertEquals(3, back.dy(2));
        Files.writeString(f, "{\"channelToDepth\": [0, 0, 1]}");
        final IllegalArgumentException perm = assertThrows(IllegalArgumentException.class,
                () -> PlaneCalibration.read(f, 3));
        assertTrue(perm.getMessage().contains("cal.json") && perm.getMessage().contains("permutation"),
                perm.getMessage());
        Files.writeString(f, "{\"offsetsPx\": [[0, 0], [1]]}");
        final IllegalArgumentException off = assertThrows(IllegalArgumentException.class,
                () -> PlaneCalibration.read(f, 2));
        assertTrue(off.getMessage().contains("offsetsPx[1] must be [dx, dy]"), off.getMessage());
        Files.writeString(f, "{ not json");
        assertThrows(IllegalArgumentException.class, () -> PlaneCalibration.read(f, 2));
    }

    @Test
    void shouldRejectPagesThatDoNotMatchTheLayout() {
        final VolumeAssembler a = new VolumeAssembler(AssemblyLayout.uniform(2, 8, 4, 3, 0, 0),
                PlaneCalibration.identity(2));
        final FrameSlot wrong = new FrameSlot(200);
        wrong.setShape(8, 10);
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> a.assemble(wrong, a.newVolume()));
        assertTrue(e.getMessage().contains("8 x 10"), e.getMessage());
        final FrameSlot p = page(5, 0);
        assertThrows(IllegalArgumentException.class, () -> a.assemble(p, a.newVolume()));
        assertThrows(IllegalArgumentException.class, () -> a.setScanPhase(new double[] {0, 5}));
        assertThrows(IllegalArgumentException.class, () -> AssemblyLayout.uniform(2, 8, 4, 3, 4, 4));
    }
}
