package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.traces.TraceProcessor;
import org.beadstream.traces.deconvolution.OasisParameters;
import org.beadstream.traces.deconvolution.OnlineOasis;
import org.beadstream.traces.dff.BaselineEstimator;
import org.beadstream.traces.dff.DeltaFOverF;
import org.beadstream.traces.dff.MaximinBaseline;
import org.beadstream.traces.dff.SlidingPercentileBaseline;
import org.beadstream.traces.sink.NpyHeader;
import org.beadstream.traces.sink.Suite2pLayoutSink;
import org.beadstream.traces.sink.TraceSink;

/**
 * The trace stage of a run: F and neuropil in volume order in, dF/F (neuropil correction, running baseline), OASIS
 * spikes and the sinks (suite2p layout, in-memory traces for the report, live streams) out. The live and offline
 * pipelines feed it volume by volume; a resumed run and the distributed engine feed it the F and neuropil columns
 * already computed ({@link #replay}), which rebuilds the baselines and the deconvolution exactly as they were.
 *
 * <p>Nothing is allocated per volume. Not thread-safe: one thread feeds it.
 */
public final class TraceStage implements AutoCloseable {

    private final TraceProcessor processor;
    private final InMemoryTraces inMemory;
    private final Suite2pLayoutSink suite2p;
    private final Path out;
    private final int rois;
    private boolean closed;

    /**
     * Opens the sinks (creates {@code out/suite2p/} when {@code output.suite2p} is on).
     *
     * @param footprints   the ROIs, in the order of the trace arrays
     * @param volumeRateHz volumes per second
     * @param config       the resolved configuration
     * @param out          the run's output folder
     * @param keepInMemory keep the traces of up to this many ROIs in memory too (0: none)
     * @param extraSinks   sinks fed after the files (e.g. a live trace stream)
     */
    public TraceStage(final Footprints footprints, final double volumeRateHz, final ResolvedConfig config,
            final Path out, final int keepInMemory, final List<? extends TraceSink> extraSinks) {
        this.out = out;
        this.rois = footprints.roiCount();
        final List<TraceSink> sinks = new ArrayList<>();
        if (config.getBoolean("output.suite2p")) {
            try {
                final Map<String, Object> cfg = config.asMap();
                suite2p = new Suite2pLayoutSink(out, footprints, volumeRateHz,
                        config.getDouble("detection.iscell_threshold"), cfg, Math.max(1, (int) volumeRateHz));
                sinks.add(suite2p);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create the suite2p-layout output in " + out + ": "
                        + e.getMessage(), e);
            }
        } else {
            suite2p = null;
        }
        inMemory = keepInMemory > 0 ? new InMemoryTraces(rois, keepInMemory) : null;
        if (inMemory != null) {
            sinks.add(inMemory);
        }
        sinks.addAll(extraSinks);
        processor = new TraceProcessor(dff(config, rois, volumeRateHz),
                new OnlineOasis(rois, oasis(config, volumeRateHz)), volumeRateHz, sinks);
    }

    private static DeltaFOverF dff(final ResolvedConfig config, final int rois, final double volumeRateHz) {
        final int windowFrames = Math.max(1, (int) Math.round(config.getDouble("traces.baseline_window_s")
                * volumeRateHz));
        final int down = Math.max(1, Math.min(windowFrames, windowFrames / 64));
        final BaselineEstimator b = "maximin".equals(config.getText("traces.baseline"))
                ? new MaximinBaseline(rois, Math.max(0, 0.1 * windowFrames / 6), windowFrames, down)
                : new SlidingPercentileBaseline(rois, windowFrames, config.getDouble("traces.baseline_percentile"),
                        down);
        return new DeltaFOverF((float) config.getDouble("traces.neuropil_coefficient"), 1f, b);
    }

    private static OasisParameters oasis(final ResolvedConfig config, final double volumeRateHz) {
        return OasisParameters.fromTau(config.getDouble("traces.tau_s"), volumeRateHz)
                .withLambda(config.getDouble("traces.oasis_lambda")).withSMin(config.getDouble("traces.oasis_s_min"));
    }

    /** ROIs per volume. */
    public int rois() {
        return rois;
    }

    /** Volumes fed so far (processed and missing). */
    public long volumes() {
        return processor.volumesProcessed();
    }

    /** The traces kept in memory, or {@code null} when none are kept. */
    public InMemoryTraces inMemory() {
        return inMemory;
    }

    /**
     * One volume's F and neuropil (all ROIs, in footprint order).
     *
     * @throws UncheckedIOException naming the output folder when a sink cannot write
     */
    public void onVolume(final float[] f, final float[] fneu) {
        try {
            processor.onVolume(f, fneu);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write traces of volume " + processor.volumesProcessed()
                    + " into " + out + ": " + e.getMessage(), e);
        }
    }

    /** A volume that was skipped live: NaN traces, so the files stay aligned with the acquisition. */
    public void onMissingVolume() {
        try {
            processor.onMissingVolume();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write traces of volume " + processor.volumesProcessed()
                    + " into " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Feeds the first {@code volumes} columns of a suite2p {@code combined/} folder's F.npy and Fneu.npy (written by an
     * earlier, interrupted run of the same configuration) as if they were extracted now: the output files, the
     * baselines and the deconvolution state then equal the interrupted run's at that volume. An all-NaN column (a
     * volume skipped live) is fed as missing. Reads one column at a time.
     *
     * @param combined the {@code suite2p/combined} folder to read
     * @param volumes  columns to replay
     * @throws IOException naming the file when it is not a float32 Fortran-order (ROIs x volumes) array of this
     *                     stage's ROI count with at least {@code volumes} columns
     */
    public void replay(final Path combined, final long volumes) throws IOException {
        final Path fFile = combined.resolve("F.npy");
        final Path nFile = combined.resolve("Fneu.npy");
        try (FileChannel fc = FileChannel.open(fFile, StandardOpenOption.READ);
                FileChannel nc = FileChannel.open(nFile, StandardOpenOption.READ)) {
            final long fData = checkTraceFile(fc, fFile, volumes);
            final long nData = checkTraceFile(nc, nFile, volumes);
            final ByteBuffer fb = ByteBuffer.allocateDirect(Math.max(4, 4 * rois)).order(ByteOrder.LITTLE_ENDIAN);
            final ByteBuffer nb = ByteBuffer.allocateDirect(Math.max(4, 4 * rois)).order(ByteOrder.LITTLE_ENDIAN);
            final float[] f = new float[rois];
            final float[] fneu = new float[rois];
            for (long v = 0; v < volumes; v++) {
                readColumn(fc, fFile, fData + v * 4L * rois, fb, f);
                readColumn(nc, nFile, nData + v * 4L * rois, nb, fneu);
                if (rois > 0 && allNaN(f)) {
                    onMissingVolume();
                } else {
                    onVolume(f, fneu);
                }
            }
        }
    }

    private long checkTraceFile(final FileChannel ch, final Path file, final long volumes) throws IOException {
        final NpyHeader h = NpyHeader.read(ch, file);
        if (!"<f4".equals(h.descr()) || !h.fortranOrder() || h.shape().length != 2 || h.shape()[0] != rois) {
            throw new IOException(file + ": expected float32 Fortran-order traces of " + rois + " ROIs, found "
                    + h.descr() + (h.fortranOrder() ? " Fortran" : " C") + " order, shape "
                    + java.util.Arrays.toString(h.shape()));
        }
        if (h.shape()[1] < volumes) {
            throw new IOException(file + ": holds " + h.shape()[1] + " volumes, " + volumes + " needed");
        }
        return h.dataOffset();
    }

    private void readColumn(final FileChannel ch, final Path file, final long position, final ByteBuffer buf,
            final float[] dst) throws IOException {
        buf.clear().limit(4 * rois);
        long pos = position;
        while (buf.hasRemaining()) {
            final int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException(file + ": ends inside the column at byte " + position);
            }
            pos += r;
        }
        buf.flip();
        buf.asFloatBuffer().get(dst, 0, rois);
    }

    private static boolean allNaN(final float[] a) {
        for (final float v : a) {
            if (!Float.isNaN(v)) {
                return false;
            }
        }
        return true;
    }

    /** Rewrites the trace files' headers and forces them to disk (a checkpoint). */
    public void sync() {
        if (suite2p == null) {
            return;
        }
        try {
            suite2p.sync();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot sync the trace files in " + out + ": " + e.getMessage(), e);
        }
    }

    /** Flushes the lagged spikes and closes every sink. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            processor.close();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot finish the trace files in " + out + ": " + e.getMessage(), e);
        }
    }
}
