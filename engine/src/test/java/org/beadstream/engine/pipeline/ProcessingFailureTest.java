package org.beadstream.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.ring.FrameRingException;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * When processing fails, the recording goes on to the end, and the run says so: the command fails naming the cause,
 * run.json is marked incomplete and lists the failure (a pipeline failure used to be detached in silence, and closing
 * the failed pipeline could hide it behind a second error).
 */
class ProcessingFailureTest {

    @TempDir
    Path dir;

    /** The simulator, but frame {@code bad} claims a plane the volume does not have (only the assembly checks). */
    private static final class OnePlaneOutOfRange implements FrameSource {
        private final SimulatedLbmSource src;
        private final long bad;
        private long frames;

        OnePlaneOutOfRange(final SimulatedLbmSource src, final long bad) {
            this.src = src;
            this.bad = bad;
        }

        @Override
        public String name() {
            return src.name();
        }

        @Override
        public boolean isLive() {
            return src.isLive();
        }

        @Override
        public void open() {
            src.open();
        }

        @Override
        public FrameGeometry geometry() {
            return src.geometry();
        }

        @Override
        public void start() {
            src.start();
        }

        @Override
        public ReadStatus read(final FrameSlot slot, final long timeoutNanos) {
            final ReadStatus s = src.read(slot, timeoutNanos);
            if (s == ReadStatus.FRAME && frames++ == bad) {
                slot.setHeader(slot.volume(), 99, slot.timestampNanos(), slot.sourceFrameNumber());
            }
            return s;
        }

        @Override
        public void stop() {
            src.stop();
        }

        @Override
        public void close() {
            src.close();
        }
    }

    @Test
    void shouldRecordEveryFrameAndFailNamingTheCauseWhenProcessingFails() throws Exception {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null, Map.of("simulation.preset", "small",
                "simulation.seconds", "3", "detection.bootstrap_seconds", "1", "output.report", "false",
                "output.nwb", "false"), "test");
        try (SimulatedLbmSource sim = Sources.simulation(cfg, false)) {
            final PipelineRun run = new PipelineRun("reprocess", new OnePlaneOutOfRange(sim, 100),
                    Pipelines.layoutOf(sim.simulation()), Pipelines.calibrationOf(sim.simulation()), cfg, dir)
                    .status(null);
            final FrameRingException e = assertThrows(FrameRingException.class, run::run);
            assertTrue(e.getMessage().startsWith("processing failed; every frame was recorded"), e.getMessage());
            assertTrue(e.getMessage().contains("'pipeline' failed at sequence 100")
                    && e.getMessage().contains("page plane 99 is outside 0..5"), e.getMessage());
        }
        final JsonNode j = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(180, j.path("frames_recorded").asLong(), "3 s x 10 volumes/s x 6 planes, all recorded");
        assertFalse(j.path("complete").asBoolean(true), "an incomplete run says so");
        assertTrue(j.path("processor_failures").path("0").asText().contains("page plane 99"), j.toString());
    }
}
