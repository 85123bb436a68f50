package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SimulationParametersTest {

    @Test
    void shouldDescribeTheSmallPresetPages() {
        final SimulationParameters p = SimulationParameters.preset("small");
        final LbmLayout l = p.layout();
        assertEquals(6, l.planes());
        assertEquals(68, l.pageWidth());
        assertEquals(2 * 128 + 8, l.pageHeight());
        assertEquals(128, l.planeWidth());
        assertEquals(128, l.planeHeight());
        assertEquals(10.0, l.volumeRateHz());
        assertEquals(300, p.neurons());
    }

    @Test
    void shouldDescribeConfigAAsScanImageWritesIt() {
        final LbmLayout l = SimulationParameters.preset("config-a").layout();
        assertEquals(30, l.planes());
        assertEquals(145, l.pageWidth());
        assertEquals(2478, l.pageHeight());
        assertEquals(576, l.planeWidth());
        assertEquals(600, l.planeHeight());
        assertEquals(144, l.usefulWidth());
        assertEquals(3 * (600 + 26), l.stripFirstLine(3));
        assertEquals(-1, l.stripOfLine(600));
        assertEquals(1, l.stripOfLine(626));
        assertEquals(9.608, l.volumeRateHz());
        final double bytesPerSecond = l.frameGeometry().bytesPerSecond();
        assertEquals(207e6, bytesPerSecond, 1e6, "config-a raw rate is about 207 MB/s");
    }

    @Test
    void shouldDescribeConfigBAsScanImageWritesIt() {
        final LbmLayout l = SimulationParameters.preset("config-b").layout();
        assertEquals(14, l.planes());
        assertEquals(224, l.pageWidth());
        assertEquals(912, l.pageHeight());
        assertEquals(448, l.planeWidth());
        assertEquals(448, l.planeHeight());
        assertEquals(17.067, l.volumeRateHz());
    }

    @Test
    void shouldRejectAnUnknownPresetListingTheKnownOnes() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SimulationParameters.builder("config-z"));
        assertEquals("unknown simulator preset 'config-z'; known: [small, config-a, config-b]", e.getMessage());
    }

    @Test
    void shouldRejectZeroPlanes() {
        assertMessage("planes must be at least 1, was 0", SimulationParameters.builder("small").planes(0));
    }

    @Test
    void shouldRejectNegativeAndZeroRates() {
        assertMessage("volume rate (Hz) must be positive and finite, was -2.0",
                SimulationParameters.builder("small").volumeRateHz(-2));
        assertMessage("volume rate (Hz) must be positive and finite, was 0.0",
                SimulationParameters.builder("small").volumeRateHz(0));
        assertMessage("median spike rate (Hz) must be between 0.0 and 1000.0, was -1.0",
                SimulationParameters.builder("small").spikeRates(-1, 1, 0.2));
    }

    @Test
    void shouldRejectStripsThatDoNotFit() {
        assertMessage("trim of 40 + 40 px leaves nothing of a 68-px strip",
                SimulationParameters.builder("small").trim(40, 40));
        assertMessage("page of 16384 x 20000 pixels exceeds the limit of 268435456 pixels",
                SimulationParameters.builder("small").layout(1, 1, 16384, 20000, 0, 0, 0));
        assertMessage("strip height must be at least 2, was 1",
                SimulationParameters.builder("small").stripHeight(1));
        assertMessage("fly-to lines must be at least 0, was -3",
                SimulationParameters.builder("small").flyToLines(-3));
    }

    @Test
    void shouldRejectAPlaneOrderThatIsNotAPermutation() {
        assertMessage("plane order must be a permutation of 0..5, was [0, 1, 2, 3, 4, 4]",
                SimulationParameters.builder("small").planeOrder(0, 1, 2, 3, 4, 4));
        assertMessage("plane order must list 6 depths, one per plane, had 2",
                SimulationParameters.builder("small").planeOrder(1, 0));
    }

    @Test
    void shouldRejectImpossiblePhysics() {
        assertMessage("neurons must be between 0 and 2000000, was -5",
                SimulationParameters.builder("small").neurons(-5));
        assertMessage("smallest soma diameter 20.0 um exceeds the largest 10.0 um",
                SimulationParameters.builder("small").somaDiameterUm(20, 10));
        assertMessage("calcium rise time 0.6 s must be shorter than the shortest decay time 0.5 s",
                SimulationParameters.builder("small").calciumKinetics(0.6, 0.5, 1.0));
        assertMessage("silent fraction must be between 0.0 and 1.0, was 1.5",
                SimulationParameters.builder("small").spikeRates(0.4, 1, 1.5));
        assertMessage("volumes must be >= 0 (0 = unbounded), was -1",
                SimulationParameters.builder("small").volumes(-1));
        assertMessage("rigid motion amplitude (px) must be between 0.0 and 64.0, was 100.0",
                SimulationParameters.builder("small").motion(100, 0, 0));
        assertMessage("noise table size must be 2^16 to 2^26 samples, was 2^8",
                SimulationParameters.builder("small").noiseTableLog2(8));
    }

    @Test
    void shouldTurnADensityIntoANeuronCountOverThePlacementBox() {
        final SimulationParameters p = SimulationParameters.builder("config-a").neuronDensityPerMm3(90_000).build();
        final int m = p.sceneMarginPx();
        final double box = (576 + 2 * m) * (600 + 2 * m) * 30 * 15.0 * 1e-9;
        assertEquals(box, p.neuronBoxVolumeMm3(), 1e-12);
        assertEquals(Math.rint(90_000 * box), p.neurons());
        assertEquals(90_000, p.neuronDensityPerMm3(), 90_000 * 1e-4);
        assertEquals(90_000, SimulationParameters.preset("config-a").neuronDensityPerMm3(), 10_000,
                "the config-a default of 15000 neurons is about 9e4 per mm^3");
        assertMessage("neuron density must be positive and finite, was -1.0 per mm^3",
                SimulationParameters.builder("small").neuronDensityPerMm3(-1));
        assertEquals(123, SimulationParameters.builder("small").neuronDensityPerMm3(1e5).neurons(123).build()
                .neurons(), "a count set afterwards wins");
    }

    @Test
    void shouldRoundTripThroughTheBuilder() {
        final SimulationParameters p = SimulationParameters.builder("config-b").seed(42).neurons(7)
                .planeOrder(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0).build();
        final SimulationParameters q = p.toBuilder().build();
        assertEquals(p, q);
        assertArrayEquals(p.planeOrder(), q.planeOrder());
        assertTrue(p.toString().contains("seed=42"));
    }

    @Test
    void shouldNotLetCallersChangeThePlaneOrder() {
        final SimulationParameters p = SimulationParameters.preset("small");
        p.planeOrder()[0] = 5;
        assertEquals(0, p.planeOrder()[0]);
    }

    private static void assertMessage(final String expected, final SimulationParameters.Builder b) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertEquals(expected, e.getMessage());
    }
}
