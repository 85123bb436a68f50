package org.beadstream.engine.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.assembly.ScanPhaseEstimator;
import org.beadstream.acquisition.assembly.VolumeAssembler;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.frame.FrameSource;
import org.beadstream.acquisition.frame.ReadStatus;
import org.beadstream.acquisition.record.RawRecordingSource;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.tiff.TiffStackSource;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.segmentation.detect.PlaneDetection;
import org.beadstream.segmentation.detect.VolumeSegmenter;

/**
 * Pass 1 of an offline run over a sample spread across the whole input ({@code detection.sample = spread}): the
 * bootstrap window is made of {@code detection.sample_blocks} blocks of consecutive volumes placed evenly from the
 * first volume to the last, so cells that are silent at the start of a long session are found too (the first volumes
 * alone, as a live run must use, see only the cells active then). The blocks are read directly from the input (seek),
 * assembled with the scan phase of the first volumes, and bootstrapped plane by plane exactly as
 * {@link VolumePipeline} does; pass 2 then streams every volume from the first with the resulting
 * {@link BootstrapState}.
 *
 * <p>Stateless; {@link #run} is not thread-safe with respect to the source it reads (it moves it).
 */
public final class SampleBootstrap {

    private SampleBootstrap() {
    }

    /**
     * Runs pass 1 over blocks spread across {@code source} and leaves the source at its first page again.
     *
     * @param totalVolumes volumes in the input
     * @throws IllegalArgumentException naming the input when it cannot be read at arbitrary positions
     */
    public static BootstrapState run(final OpenClRuntime cl, final FrameSource source, final AssemblyLayout layout,
            final PlaneCalibration calibration, final ResolvedConfig config, final long totalVolumes) {
        final FrameGeometry g = source.geometry();
        final int planes = g.planes();
        final VolumeAssembler assembler = new VolumeAssembler(layout, calibration);
        final int width = assembler.planeWidth();
        final int height = assembler.planeHeight();
        final int pixels = width * height;
        final double rate = g.volumeRateHz();
        final int n = (int) Math.min(totalVolumes, PlaneBootstrap.windowVolumes(config, planes, pixels, rate));
        if (n < 3) {
            throw new IllegalArgumentException(source.name() + " holds " + totalVolumes
                    + " volumes: too few for a bootstrap window");
        }
        final long[] volumes = blockVolumes(totalVolumes, n, config.getInt("detection.sample_blocks"));
        final float[][] window = new float[planes][];
        double[] phase = new double[0];
        try (Reader reader = reader(source)) {
            final FrameSlot slot = FrameSlot.forGeometry(g);
            // Scan phase from the first volumes, as the live and streaming consumer estimates it.
            if (config.getBoolean("assembly.correct_phase")) {
                final ScanPhaseEstimator est = ScanPhaseEstimator.forLayout(layout);
                final int phasePages = (int) Math.min(totalVolumes * planes,
                        (long) Pipelines.phaseVolumes(config, planes) * planes);
                reader.moveTo(0);
                for (int i = 0; i < phasePages; i++) {
                    reader.read(slot, source);
                    est.accumulate(slot);
                }
                phase = est.estimate();
                assembler.setScanPhase(phase);
            }
            for (int p = 0; p < planes; p++) {
                window[p] = new float[n * pixels];
            }
            final AssembledVolume assembled = assembler.newVolume();
            final float[] plane = new float[pixels];
            int k = 0;
            while (k < n) {
                final long first = volumes[k];
                reader.moveTo(first * planes);
                long expected = first;
                while (k < n && volumes[k] == expected) {
                    boolean complete = false;
                    for (int c = 0; c < planes; c++) {
                        reader.read(slot, source);
                        complete = assembler.assemble(slot, assembled);
                    }
                    if (!complete || assembled.volume() != expected) {
                        throw new IllegalStateException(source.name() + ": volume " + expected
                                + " did not assemble from its " + planes + " pages");
                    }
                    for (int p = 0; p < planes; p++) {
                        assembled.copyPlane(p, plane);
                        System.arraycopy(plane, 0, window[p], k * pixels, pixels);
                    }
                    k++;
                    expected++;
                }
            }
            reader.moveTo(0);
        }
        final int threads = Math.max(1, Math.min(planes, Runtime.getRuntime().availableProcessors()));
        final VolumeSegmenter seg = PlaneBootstrap.segmenter(config, threads, n, rate);
        final List<PlaneBootstrap.Result> all;
        try (PlaneBootstrap boot = new PlaneBootstrap(cl, config, planes, width, height, rate)) {
            boot.blankMargins(calibration);
            all = PlaneBootstrap.prepareAndDetect(planes, p -> {
                final PlaneBootstrap.Prepared pr = boot.prepare(p, window[p], n);
                window[p] = null;
                return pr;
            }, seg);
        }
        final List<PlaneDetection> detections = new ArrayList<>(planes);
        for (final PlaneBootstrap.Result r : all) {
            detections.add(r.detection());
        }
        final VolumeSegmenter.Result merged = seg.merge(detections, width, height, new double[planes],
                new double[planes], System.nanoTime());
        return BootstrapState.of(all, merged.footprints(), width, height, rate, volumes, phase);
    }

    /**
     * The volumes of {@code blocks} blocks of consecutive volumes, {@code n} in all, spread evenly from the first
     * volume to the last of {@code total} (fewer blocks when a block would be shorter than 10 volumes), ascending.
     */
    static long[] blockVolumes(final long total, final int n, final int blocks) {
        if (n >= total) {
            final long[] all = new long[(int) total];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        final int b = Math.max(1, Math.min(blocks, n / 10));
        final long[] v = new long[n];
        int k = 0;
        for (int i = 0; i < b; i++) {
            final int len = n / b + (i < n % b ? 1 : 0);
            final long start = b == 1 ? 0 : Math.round(i * (double) (total - len) / (b - 1));
            for (int j = 0; j < len; j++) {
                v[k++] = start + j;
            }
        }
        // blocks never overlap (n < total), but keep the list strictly ascending whatever the rounding did
        for (int i = 1; i < n; i++) {
            v[i] = Math.max(v[i], v[i - 1] + 1);
        }
        return v;
    }

    /** Positions a source at a page and reads the next one. */
    private interface Reader extends AutoCloseable {
        void moveTo(long page);

        void read(FrameSlot slot, FrameSource source);

        @Override
        default void close() {
        }
    }

    private static Reader reader(final FrameSource source) {
        if (source instanceof ScanImageSource s) {
            s.start();
            return pageReader(s::seek);
        }
        if (source instanceof TiffStackSource s) {
            s.start();
            return pageReader(s::seek);
        }
        if (source instanceof RawRecordingSource raw) {
            // A recording reads forwards only: sample through a reader of our own over the same files (opened again
            // to go back), skipping by record headers, so only the sampled frames' pixels are read; the run's own
            // reader stays at the start.
            final Path first = raw.files().get(0);
            return new Reader() {
                private RawRecordingSource sampler;
                private long at;

                @Override
                public void moveTo(final long page) {
                    if (sampler == null || page < at) {
                        close();
                        sampler = new RawRecordingSource(first);
                        sampler.open();
                        sampler.start();
                        at = 0;
                    }
                    at += sampler.skip(page - at);
                }

                @Override
                public void read(final FrameSlot slot, final FrameSource ignored) {
                    if (sampler == null) {
                        moveTo(0);
                    }
                    if (sampler.read(slot, 0) != ReadStatus.FRAME) {
                        throw new IllegalStateException(raw.name() + " ended at frame " + at
                                + " while sampling the bootstrap window");
                    }
                    at++;
                }

                @Override
                public void close() {
                    if (sampler != null) {
                        sampler.close();
                        sampler = null;
                    }
                }
            };
        }
        throw new IllegalArgumentException("detection.sample = spread needs an input that can be read at any volume "
                + "(ScanImage or TIFF files, a raw recording); " + source.name() + " is not one: use "
                + "detection.sample = first");
    }

    private static Reader pageReader(final java.util.function.LongConsumer seek) {
        return new Reader() {
            @Override
            public void moveTo(final long page) {
                seek.accept(page);
            }

            @Override
            public void read(final FrameSlot slot, final FrameSource source) {
                if (source.read(slot, 0) != ReadStatus.FRAME) {
                    throw new IllegalStateException(source.name() + " ended early while sampling the bootstrap "
                            + "window");
                }
            }
        };
    }

}
