package org.beadstream.engine.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.zip.CRC32C;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.record.RawRecordingSource;
import org.beadstream.acquisition.sim.SimulatedLbmSource;
import org.beadstream.engine.config.ConfigSchema;
import org.beadstream.engine.config.ResolvedConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AcquisitionRunTest {

    @TempDir
    Path dir;

    private static long crc(final FrameSlot s) {
        final CRC32C c = new CRC32C();
        c.update(s.byteBuffer().duplicate().clear().limit(s.byteLength()));
        return c.getValue();
    }

    @Test
    void shouldRecordEveryLiveFrameByteIdenticalToTheSource() throws Exception {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null,
                Map.of("simulation.preset", "small", "simulation.seconds", "2", "simulation.seed", "11"), "test");
        final RunSummary s;
        try (SimulatedLbmSource live = Sources.simulation(cfg, true)) {
            s = new AcquisitionRun("acquire", live, dir, cfg).status(null).run();
        }
        final JsonNode j = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(120, j.path("frames_produced").asLong(), "2 s x 10 volumes/s x 6 planes");
        assertEquals(j.path("frames_produced").asLong(), j.path("frames_recorded").asLong());
        assertEquals(0, j.path("frames_dropped").asLong());
        assertEquals(s.json().path("bytes_recorded").asLong(), j.path("bytes_recorded").asLong());
        assertTrue(dir.resolve("config.json").toFile().isFile(), "resolved configuration beside the output");

        // Read the recording back and compare every frame with a fresh, identical simulation, checksum by checksum.
        try (RawRecordingSource rec = new RawRecordingSource(dir);
                SimulatedLbmSource again = Sources.simulation(cfg, false)) {
            rec.open();
            rec.start();
            again.start();
            final FrameSlot a = FrameSlot.forGeometry(rec.geometry());
            final FrameSlot b = FrameSlot.forGeometry(again.geometry());
            long n = 0;
            while (rec.read(a, 0) == ReadStatus.FRAME) {
                assertEquals(ReadStatus.FRAME, again.read(b, 0));
                assertEquals(b.volume(), a.volume(), "volume of frame " + n);
                assertEquals(b.plane(), a.plane(), "plane of frame " + n);
                assertEquals(crc(b), crc(a), "payload checksum of frame " + n);
                n++;
            }
            assertEquals(120, n);
        }
    }

    @Test
    void shouldRecordOnAndReportTheCauseWhenAProcessorFails() throws Exception {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null,
                Map.of("simulation.preset", "small", "simulation.seconds", "2", "simulation.seed", "11"), "test");
        final AcquisitionRun run;
        try (SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            run = new AcquisitionRun("acquire", src, dir, cfg).status(null).processor("pipeline",
                    (slot, sequence, endOfBatch) -> {
                        if (sequence == 30) {
                            throw new OutOfMemoryError("Java heap space");
                        }
                    });
            run.run();
        }
        final JsonNode j = new ObjectMapper().readTree(dir.resolve("run.json").toFile());
        assertEquals(120, j.path("frames_recorded").asLong(), "the recording goes on without the failed processor");
        assertEquals(1, run.processorFailures().size());
        final String why = j.path("processor_failures").path("0").asText();
        assertTrue(why.contains("'pipeline' failed at sequence 30") && why.contains("OutOfMemoryError: Java heap space"),
                why);
    }

    @Test
    void shouldWriteTheRecordingLayoutSoTheRecordingCanBeReprocessedAlone() throws Exception {
        final ResolvedConfig cfg = ConfigSchema.standard().resolve(null,
                Map.of("simulation.seconds", "0.5"), "test");
        try (SimulatedLbmSource src = Sources.simulation(cfg, false)) {
            new AcquisitionRun("simulate", src, dir, cfg).status(null)
                    .recordingMetadata(Inputs.recordingMetadata(src.simulation())).run();
            final Inputs.Input in = Inputs.open(java.util.List.of(dir), cfg, 0, 0);
            try (var s = in.source()) {
                assertEquals("raw", in.kind());
                assertEquals(src.simulation().layout().planeWidth(), in.layout().planeWidth());
                assertEquals(src.simulation().layout().planeHeight(), in.layout().planeHeight());
                assertEquals(java.util.Arrays.toString(src.simulation().planeOrder()),
                        java.util.Arrays.toString(in.calibration().channelToDepth()));
            }
        }
    }
}
