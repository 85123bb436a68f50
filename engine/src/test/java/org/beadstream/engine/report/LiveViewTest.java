package org.beadstream.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.summary.SummaryImages;
import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live page shows the status before the cells are known, then the cells' pictures and the latest traces, and
 * renders in a browser with every image loaded.
 */
class LiveViewTest {

    private static final int W = 64;
    private static final int H = 48;
    private static final int PLANES = 2;

    @TempDir
    Path dir;

    @Test
    void shouldShowStatusThenCellsAndTheLatestTracesInAPageThatReloadsItself() throws Exception {
        final List<String> asked = new ArrayList<>();
        try (LiveView view = new LiveView(dir, "demo: sim", 60, 10, 5, () -> {
            asked.add("x");
            return "12.0 s | frames 720 (recorded 720) | skipped 0 volumes | dropped 0";
        })) {
            view.start();
            final String before = Files.readString(view.page());
            assertTrue(before.contains("frames 720 (recorded 720)") && before.contains("bootstrap window"), before);
            assertTrue(before.contains("http-equiv=\"refresh\""), "the page reloads itself");
            assertTrue(!before.contains("<img"), "no pictures before the cells are known");

            final Footprints fp = footprints();
            final TraceSink sink = view.sinkFor(fp, summaries());
            final VolumeTraces t = new VolumeTraces(fp.roiCount());
            for (int v = 0; v < 120; v++) {
                for (int r = 0; r < fp.roiCount(); r++) {
                    t.dff()[r] = (float) (0.2 * Math.sin(v * 0.3 + r) + (v % 40 == r ? 2 : 0));
                }
                t.set(v, v / 10.0, -1);
                sink.onVolume(t);
            }
            sink.close(); // drains the stream into the view
            view.render();
            final String after = Files.readString(view.page());
            assertTrue(after.contains(fp.roiCount() + " cells shown; 120 volumes of traces so far"), after);
            for (final String png : new String[] {"planes.png", "traces.png", "raster.png"}) {
                assertTrue(after.contains(png + "?v="), png + " on the page");
                final BufferedImage img = ImageIO.read(view.page().resolveSibling(png).toFile());
                assertNotNull(img, png + " decodes");
                assertTrue(img.getWidth() > 100 && img.getHeight() > 50, png + " " + img.getWidth() + " x "
                        + img.getHeight());
            }
            try (var files = Files.list(view.page().getParent())) {
                assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file left");
            }
            assertTrue(asked.size() >= 2, "status asked at every redraw");

            Assumptions.assumeTrue(HeadlessChromium.available() || System.getenv("CI") != null,
                    "Debian's chromium is not installed (.ci/run installs it)");
            try (HeadlessChromium browser = new HeadlessChromium(dir.resolve("chromium-profile"))) {
                final HeadlessChromium.PageCheck check = browser.open(view.page());
                assertEquals(3, check.images(), "images on the live page");
                assertEquals(3, check.imagesLoaded(), "every image decoded");
                assertTrue(check.consoleErrors().isEmpty(), "console errors: " + check.consoleErrors());
            }
        }
    }

    private static Footprints footprints() {
        final FootprintsBuilder b = new FootprintsBuilder(W, H, PLANES);
        for (int r = 0; r < 12; r++) {
            final int cx = 8 + (r % 4) * 14;
            final int cy = 8 + (r / 4) * 14;
            final List<Integer> px = new ArrayList<>();
            for (int y = cy - 3; y <= cy + 3; y++) {
                for (int x = cx - 3; x <= cx + 3; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 9) {
                        px.add(y * W + x);
                    }
                }
            }
            final int[] pix = px.stream().mapToInt(Integer::intValue).toArray();
            final float[] w = new float[pix.length];
            java.util.Arrays.fill(w, 1f);
            final float[] trace = new float[50];
            trace[r] = 5;
            b.addRoi(r % PLANES, pix, w, trace);
        }
        return b.build();
    }

    private static SummaryImages[] summaries() {
        final SummaryImages[] s = new SummaryImages[PLANES];
        for (int p = 0; p < PLANES; p++) {
            final float[] img = new float[W * H];
            for (int i = 0; i < img.length; i++) {
                img[i] = (i % W) + p;
            }
            s[p] = new SummaryImages(W, H, 10, img, img, img, img, img);
        }
        return s;
    }
}
