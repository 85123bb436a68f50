package org.beadstream.traces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.deconvolution.OasisParameters;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.MaximinBaseline;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
import org.beadstream.traces.extract.CpuTraceExtractor;
import org.beadstream.traces.extract.PackedFootprints;
import org.beadstream.traces.live.LiveTraceStream;
import org.beadstream.traces.sink.NpyFiles;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.beadstream.traces.sink.TraceSink;
import org.beadstream.traces.sink.VolumeTraces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceProcessorTest {

    /** Records the volume and spike-volume indices it receives. */
    static final class Recorder implements TraceSink {
        final List<Long> volumes = new ArrayList<>();
        final List<Long> spikeVolumes = new ArrayList<>();
        boolean closed;

        @Override
        public void onVolume(final VolumeTraces t) {
            if (t.hasTraces()) {
                volumes.add(t.volume());
            }
            if (t.hasSpikes()) {
                spikeVolumes.add(t.spikeVolume());
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void shouldDeliverEveryVolumeAndEveryLaggedSpikeVolumeExactlyOnce() throws Exception {
        final Recorder rec = new Recorder();
        final TraceProcessor tp = new TraceProcessor(new DeltaFOverF(0.7f, 1f, new MaximinBaseline(3, 2, 30, 1)),
                new OnlineOasis(3, OasisParameters.fromTau(1, 10).withLag(7)), 10, List.of(rec));
        for (int t = 0; t < 50; t++) {
            tp.onVolume(new float[] {100, 110, 120}, new float[] {10, 10, 10});
        }
        assertEquals(43, rec.spikeVolumes.size());
        tp.close();
        assertTrue(rec.closed);
        assertEquals(50, rec.volumes.size());
        assertEquals(50, rec.spikeVolumes.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, rec.volumes.get(i));
            assertEquals(i, rec.spikeVolumes.get(i));
        }
        assertThrows(IllegalStateException.class, () -> tp.onVolume(new float[3], new float[3]));
    }

    @Test
    void shouldMarkASkippedVolumeAsNanAndKeepDeconvolvingAroundIt() throws Exception {
        final List<float[]> dff = new ArrayList<>();
        final List<float[]> spikes = new ArrayList<>();
        final TraceSink keep = new TraceSink() {
            @Override
            public void onVolume(final VolumeTraces t) {
                if (t.hasTraces()) {
                    dff.add(t.dff().clone());
                }
                if (t.hasSpikes()) {
                    spikes.add(t.spikes().clone());
                }
            }

            @Override
            public void close() {
            }
        };
        final TraceProcessor tp = new TraceProcessor(new DeltaFOverF(0f, 1f,
                new SlidingPercentileBaseline(1, 20, 0, 1)),
                new OnlineOasis(1, new OasisParameters(0.8, 0, 0, 0, 5)), 10, List.of(keep));
        for (int t = 0; t < 40; t++) {
            if (t == 20) {
                tp.onMissingVolume();
            } else {
                tp.onVolume(new float[] {t == 10 || t == 30 ? 200f : 100f}, new float[] {0});
            }
        }
        tp.close();
        assertEquals(40, dff.size());
        assertEquals(40, spikes.size());
        assertTrue(Float.isNaN(dff.get(20)[0]));
        assertEquals(1f, dff.get(30)[0], 1e-6, "baseline unaffected by the gap");
        // a one-frame jump is not AR(1)-shaped: the least-squares pool value is y / sum(g^2k); with lag 5 the pool
        // holds frames 10..15 when frame 10 is emitted: 1 / sum_{k<6} 0.64^k = 0.3874
        assertEquals(0.3874f, spikes.get(10)[0], 1e-3);
        assertEquals(spikes.get(10)[0], spikes.get(30)[0], 1e-4, "the same spike is found after the gap");
        assertTrue(Float.isNaN(spikes.get(20)[0]), "the gap's own spike is unknown");
    }

    @Test
    void shouldAllocateNothingPerVolumeFromExtractionToFilesAndLiveStream(@TempDir final Path dir) throws Exception {
        final com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        final Footprints fp = TestFootprints.disks(64, 48, 3, 20, 8);
        final int n = fp.roiCount();
        final float[] volume = new float[3 * 64 * 48];
        for (int i = 0; i < volume.length; i++) {
            volume[i] = 100 + (i * 7919 % 31);
        }
        final float[] f = new float[n];
        final float[] fneu = new float[n];
        try (CpuTraceExtractor ex = new CpuTraceExtractor(PackedFootprints.of(fp));
             LiveTraceStream live = new LiveTraceStream(n)) {
            live.subscribe("test", 8, t -> { });
            final Suite2pLayoutSink files = new Suite2pLayoutSink(dir, fp, 10, 0.5, Map.of(), 8);
            final TraceProcessor tp = new TraceProcessor(
                    new DeltaFOverF(0.7f, 1f, new SlidingPercentileBaseline(n, 50, 8, 1)),
                    new OnlineOasis(n, OasisParameters.fromTau(1, 10).withLag(10)), 10, List.of(files, live));
            for (int t = 0; t < 2000; t++) {
                ex.extract(volume, f, fneu);
                tp.onVolume(f, fneu);
            }
            final long id = Thread.currentThread().getId();
            final long before = mx.getThreadAllocatedBytes(id);
            for (int t = 0; t < 1000; t++) {
                volume[t % volume.length] += 1;
                ex.extract(volume, f, fneu);
                tp.onVolume(f, fneu);
            }
            final long perVolume = (mx.getThreadAllocatedBytes(id) - before) / 1000;
            System.out.println("allocated per volume: " + perVolume + " bytes");
            tp.close();
            // JIT-compiled steady state: no per-volume garbage (a few bytes of noise from the JVM's own counters)
            assertTrue(perVolume < 64, perVolume + " bytes allocated per volume");
            assertEquals(3000L * fp.roisOnPlane(0).length * 4 + 128,
                    java.nio.file.Files.size(dir.resolve("suite2p/plane0/F.npy")));
            assertEquals(3000 * n, NpyFiles.readFloat32(dir.resolve("suite2p/combined/spks.npy")).length);
        }
    }
}
