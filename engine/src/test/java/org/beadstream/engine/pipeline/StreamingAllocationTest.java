package org.beadstream.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.assembly.VolumeAssembler;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.Sources;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streaming path (assembly, registration, extraction, dF/F, OASIS, files) allocates nothing per volume. */
class StreamingAllocationTest {

    @TempDir
    Path dir;

    @Test
    void shouldAllocateNothingPerVolumeOnceStreaming() {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("simulation.seconds", "120",
                "simulation.neurons", "150", "detection.bootstrap_seconds", "6", "output.report", "false"), "test");
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (OpenClRuntime cl = OpenClRuntime.create("any");
                SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            final AssemblyLayout layout = Pipelines.layoutOf(src.simulation());
            final PlaneCalibration cal = Pipelines.calibrationOf(src.simulation());
            final VolumeAssembler asm = new VolumeAssembler(layout, cal);
            final AssembledVolume vol = asm.newVolume();
            try (VolumePipeline vp = new VolumePipeline(cl, src.geometry().planes(), layout.planeWidth(),
                    layout.planeHeight(), src.geometry().volumeRateHz(), cfg, dir, true)) {
                src.start();
                final FrameSlot slot = FrameSlot.forGeometry(src.geometry());
                long volumes = 0;
                long before = 0;
                // Steady state, as JMH measures it: paths that run only every few volumes (file headers every
                // second) must have been compiled by C2, whose escape analysis removes their temporary objects.
                final long warm = 800;
                final long measured = 300;
                while (volumes < warm + measured && src.read(slot, 0) == ReadStatus.FRAME) {
                    if (asm.assemble(slot, vol)) {
                        vp.onVolume(vol);
                        volumes++;
                        if (volumes == warm) {
                            before = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                        }
                    }
                }
                final long after = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
                final double perVolume = (after - before) / (double) measured;
                assertTrue(vp.streaming(), "bootstrap done");
                System.out.printf("streaming path: %.1f bytes allocated per volume%n", perVolume);
                // simulator rendering included; budget: nothing but a few bytes of measurement noise per volume
                assertTrue(perVolume < 64, "allocated " + perVolume + " bytes per volume on the streaming path");
            }
        }
    }
}
