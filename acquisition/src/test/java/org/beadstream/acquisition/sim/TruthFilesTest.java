package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.beadstream.acquisition.io.Npy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The truth folder holds what the in-memory truth says, in files numpy reads. */
class TruthFilesTest {

    private static final int VOLUMES = 30;

    @TempDir
    static Path dir;

    private static LbmSimulation sim;

    @BeforeAll
    static void write() {
        sim = new LbmSimulation(SimulationParameters.builder("small").seed(21).planeOrder(0, 3, 1, 4, 2, 5).build());
        sim.writeTruth(dir, VOLUMES);
    }

    @Test
    void shouldListEveryFileWithItsShapeInTruthJson() throws IOException {
        final JsonNode root = new ObjectMapper().readTree(dir.resolve("truth.json").toFile());
        assertEquals("beadstream-sim-truth", root.get("format").asText());
        assertEquals(VOLUMES, root.get("volumes").asInt());
        assertEquals(21, root.get("parameters").get("seed").asLong());
        assertEquals(264, root.get("geometry").get("page_height").asInt());
        assertEquals(136, root.get("geometry").get("strips").get(1).get("first_line").asInt());
        final Set<String> listed = new HashSet<>();
        for (final JsonNode f : root.get("files")) {
            final String name = f.get("name").asText();
            listed.add(name);
            final Npy.Array a = Npy.read(dir.resolve(name));
            final long[] shape = new long[f.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = f.get("shape").get(i).asLong();
            }
            assertArrayEquals(shape, a.shape(), name);
            assertEquals(f.get("dtype").asText(), a.dtype().name().toLowerCase(), name);
            assertTrue(f.get("units").asText().length() > 0 && f.get("description").asText().length() > 10, name);
        }
        try (var files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".npy"))
                    .forEach(n -> assertTrue(listed.contains(n), n + " is not described in truth.json"));
        }
    }

    @Test
    void shouldStoreTheNeuronTable() {
        final Npy.Array a = Npy.read(dir.resolve("neurons.npy"));
        final double[] t = a.doubles();
        final int cols = (int) a.shape()[1];
        assertEquals(20, cols);
        final NeuronTable nt = sim.neurons();
        assertEquals(nt.count(), a.shape()[0]);
        for (int i = 0; i < nt.count(); i++) {
            assertEquals(i, t[i * cols]);
            assertEquals(nt.xPx(i), t[i * cols + 1]);
            assertEquals(nt.yPx(i), t[i * cols + 2]);
            assertEquals(nt.zUm(i), t[i * cols + 3]);
            assertEquals(nt.radiusUm(i, 2), t[i * cols + 8]);
            assertEquals(nt.firstDepth(i), t[i * cols + 13]);
            assertEquals(nt.baselinePhotons(i), t[i * cols + 15]);
            assertEquals(nt.spikeRateHz(i), t[i * cols + 16]);
            assertEquals(nt.zUm(i) / 15.0, t[i * cols + 19], 1e-12);
        }
    }

    @Test
    void shouldStoreTracesAndSpikesAsInMemory() {
        final ActivityTraces t = sim.activity(0, sim.neurons().count(), VOLUMES);
        assertArrayEquals(t.fluorescence(), Npy.read(dir.resolve("F.npy")).floats());
        assertArrayEquals(t.dff(), Npy.read(dir.resolve("dff.npy")).floats());
        final int[] events = Npy.read(dir.resolve("spikes.npy")).ints();
        long total = 0;
        for (final int s : t.spikes()) {
            total += s;
        }
        long fromFile = 0;
        for (int e = 0; e < events.length / 3; e++) {
            assertEquals(t.spikes(events[3 * e], events[3 * e + 1]), events[3 * e + 2]);
            fromFile += events[3 * e + 2];
        }
        assertEquals(total, fromFile);
        assertTrue(total > 0, "some spikes in 3 s");
    }

    @Test
    void shouldStoreFootprintsMotionPhaseAndPlanes() {
        final int[] idx = Npy.read(dir.resolve("footprints_index.npy")).ints();
        final float[] w = Npy.read(dir.resolve("footprints_weight.npy")).floats();
        int e = 0;
        for (int c = 0; c < 6; c++) {
            final PlaneFootprints f = sim.footprints(c);
            for (int k = 0; k < f.count(); k++) {
                for (int q = f.start(k); q < f.end(k); q++, e++) {
                    assertEquals(f.neuron(k), idx[4 * e]);
                    assertEquals(c, idx[4 * e + 1]);
                    assertEquals(f.pixel(q), idx[4 * e + 2] * f.width() + idx[4 * e + 3]);
                    assertEquals(f.weight(q), w[e]);
                }
            }
        }
        assertEquals(w.length, e);
        final float[] shifts = Npy.read(dir.resolve("rigid_shifts.npy")).floats();
        assertEquals((float) sim.rigidShiftPx(7, 4)[1], shifts[(7 * 6 + 4) * 2 + 1]);
        assertArrayEquals(new double[] {sim.scanPhasePx(0), sim.scanPhasePx(1)},
                Npy.read(dir.resolve("scan_phase.npy")).doubles());
        assertArrayEquals(new int[] {0, 3, 1, 4, 2, 5}, Npy.read(dir.resolve("plane_order.npy")).ints());
        assertArrayEquals(new double[] {0, 45, 15, 60, 30, 75}, Npy.read(dir.resolve("plane_depth_um.npy")).doubles());
        final double[] off = Npy.read(dir.resolve("plane_offsets.npy")).doubles();
        assertEquals(sim.planeOffsetPx(3)[0], off[6]);
        assertEquals(0.0, off[0], "the shallowest plane is the reference");
    }

    @Test
    void shouldBeReadableByNumpy() throws Exception {
        assumeTrue(hasNumpy(), "python3 with numpy is not installed");
        final String script = String.join("\n",
                "import json, numpy as np",
                "t = json.load(open('truth.json'))",
                "for f in t['files']:",
                "    a = np.load(f['name'])",
                "    assert list(a.shape) == f['shape'], (f['name'], a.shape, f['shape'])",
                "    assert a.dtype == np.dtype(f['dtype']), (f['name'], a.dtype)",
                "F = np.load('F.npy'); n = np.load('neurons.npy')",
                "assert F.shape == (n.shape[0], t['volumes'])",
                "ix = np.load('footprints_index.npy')",
                "assert ix[:, 2].max() < t['geometry']['plane_height'] and ix[:, 3].max() < t['geometry']['plane_width']",
                "r = np.load('resting_planes.npy')",
                "assert r.shape == (6, 128, 128) and r.min() >= t['parameters']['offsetAdu']",
                "print('ok')");
        final Process p = new ProcessBuilder("python3", "-c", script).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 finished");
        assertEquals(0, p.exitValue(), out);
        assertEquals("ok", out.trim());
    }

    private static boolean hasNumpy() {
        try {
            final Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (final IOException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
