package org.beadstream.acquisition.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.junit.jupiter.api.Test;

/** A hundred thousand neurons in the config-a volume stay memory-lean. */
class LargePopulationTest {

    @Test
    void shouldBuildAHundredThousandNeuronsInUnderHalfAGigabyte() {
        final MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        final long before = mem.getHeapMemoryUsage().getUsed();
        final long t0 = System.nanoTime();
        final LbmSimulation sim = new LbmSimulation(SimulationParameters.builder("config-a").neurons(100_000).build());
        final double seconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        final long retained = mem.getHeapMemoryUsage().getUsed() - before;
        System.out.printf("config-a, 1e5 neurons: built in %.2f s, %.0f MB retained, %d crowded placements%n",
                seconds, retained / 1e6, sim.neurons().crowdedPlacements());
        assertEquals(100_000, sim.neurons().count());
        // about 170 MB: 30 planes x 2 scenes x 1.7 MB, a 16 MB noise table, 50 bytes a neuron, 12 per footprint pair
        assertTrue(retained < 500_000_000L, "retained " + retained / 1e6 + " MB");
        try (SimulatedLbmSource src = new SimulatedLbmSource(sim, false)) {
            src.open();
            src.start();
            final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
            for (int k = 0; k < 30; k++) {
                assertEquals(ReadStatus.FRAME, src.read(slot, 0));
            }
            assertEquals(29, slot.plane());
        }
    }
}
