package org.beadstream.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path dir;

    /**
     * Chromium's profile lives outside the JUnit temporary folder: the browser may leave a lock file behind a moment
     * after it exits, which must not fail the test; it is deleted at JVM exit, best effort.
     */
    private static Path profile() throws java.io.IOException {
        final Path p = Files.createTempDirectory("beadstream-chromium-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var walk = Files.walk(p)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            } catch (final java.io.IOException ignored) {
                // best effort
            }
        }));
        return p;
    }

    static RunReport sampleReport() {
        final Random rnd = new Random(3);
        final int w = 64;
        final int h = 48;
        final float[] mean = new float[w * h];
        final float[] corr = new float[w * h];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = 100 + rnd.nextFloat() * 10;
            corr[i] = rnd.nextFloat() * 0.2f;
        }
        final int[][] rois = new int[5][];
        for (int r = 0; r < rois.length; r++) {
            final int cx = 8 + r * 11;
            final int cy = 10 + r * 6;
            final java.util.List<Integer> px = new java.util.ArrayList<>();
            for (int y = cy - 3; y <= cy + 3; y++) {
                for (int x = cx - 3; x <= cx + 3; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= 9) {
                        px.add(y * w + x);
                        mean[y * w + x] += 50;
                        corr[y * w + x] += 0.6f;
                    }
                }
            }
            rois[r] = px.stream().mapToInt(Integer::intValue).toArray();
        }
        final int t = 200;
        final float[][] dx = new float[3][t];
        final float[][] dy = new float[3][t];
        final float[][] dff = new float[5][t];
        final double[] time = new double[20];
        final double[] rate = new double[20];
        final double[] lat = new double[20];
        for (int i = 0; i < t; i++) {
            for (int p = 0; p < 3; p++) {
                dx[p][i] = (float) Math.sin(i / 20.0 + p);
                dy[p][i] = (float) Math.cos(i / 30.0 + p);
            }
            for (int n = 0; n < 5; n++) {
                dff[n][i] = (float) (rnd.nextGaussian() * 0.05 + ((i + n * 17) % 50 < 3 ? 1.0 : 0));
            }
        }
        for (int i = 0; i < time.length; i++) {
            time[i] = i;
            rate[i] = 10 + rnd.nextGaussian();
            lat[i] = 20 + rnd.nextGaussian();
        }
        return new RunReport("test <run> & report").summary("frames recorded", 1234).summary("detection F1", 0.93)
                .note("a note").plane(0, w, h, mean, corr, rois).plane(1, w, h, mean, null, rois)
                .motion(dx, dy, 10).traces(dff, new String[] {"a", "b", "c", "d", "e"})
                .performance(time, rate, lat);
    }

    @Test
    void shouldWriteOneSelfContainedPageWithEveryFigureEmbedded() throws Exception {
        final Path f = sampleReport().write(dir.resolve("report.html"));
        final String html = Files.readString(f);
        assertTrue(html.contains("test &lt;run&gt; &amp; report"), "title escaped");
        // 2 + 1 plane images, motion, example traces, raster, throughput, latency
        assertEquals(8, html.split("data:image/png;base64,", -1).length - 1);
        assertTrue(!html.contains("src=\"http") && !html.contains("src=\"file"), "no external resources");
    }

    @Test
    void shouldRenderInHeadlessChromiumWithEveryImageLoadedAndNoConsoleErrors() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available() || System.getenv("CI") != null,
                "Debian's chromium is not installed (.ci/run installs it)");
        final Path f = sampleReport().write(dir.resolve("report.html"));
        try (HeadlessChromium browser = new HeadlessChromium(profile())) {
            final HeadlessChromium.PageCheck check = browser.open(f);
            assertEquals(8, check.images(), "images on the page");
            assertEquals(check.images(), check.imagesLoaded(), "every image decoded");
            assertTrue(check.consoleErrors().isEmpty(), "console errors: " + check.consoleErrors());
            assertEquals("test <run> & report", check.title());
        }
    }

    @Test
    void shouldNoticeABrokenImageAndAConsoleErrorSoTheCheckAboveMeansSomething() throws Exception {
        Assumptions.assumeTrue(HeadlessChromium.available() || System.getenv("CI") != null,
                "Debian's chromium is not installed (.ci/run installs it)");
        final Path f = Files.writeString(dir.resolve("broken.html"), "<html><head><title>b</title></head><body>"
                + "<img src=\"data:image/png;base64,AAAA\"><script>console.error('boom')</script></body></html>");
        try (HeadlessChromium browser = new HeadlessChromium(profile())) {
            final HeadlessChromium.PageCheck check = browser.open(f);
            assertEquals(1, check.images());
            assertEquals(0, check.imagesLoaded(), "the broken image is seen as broken");
            assertTrue(check.consoleErrors().stream().anyMatch(e -> e.contains("boom")), check.consoleErrors().toString());
        }
    }
}
