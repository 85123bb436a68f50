package org.beadstream.segmentation.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import org.beadstream.segmentation.footprint.CellClassifier;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsBuilder;
import org.beadstream.segmentation.footprint.NeuropilParameters;
import org.beadstream.segmentation.planes.CrossPlaneMerger;
import org.beadstream.segmentation.planes.MergeParameters;
import org.beadstream.segmentation.planes.MergeResult;

/**
 * The whole of source extraction I for one volume: detect every plane (planes in parallel on {@code threads}
 * threads), merge one neuron's detections across planes, and build the {@link Footprints} (neuropil, statistics,
 * cell probability) that the traces module reads.
 *
 * <pre>{@code
 * VolumeSegmenter s = new VolumeSegmenter(DetectionParameters.DEFAULT, MergeParameters.DEFAULT,
 *         NeuropilParameters.DEFAULT, CellClassifier.standard(), 2);
 * VolumeSegmenter.Result r = s.segment(binnedPlanes, offsetX, offsetY);   // one BinnedMovie per plane
 * Footprints fp = r.footprints();
 * }</pre>
 *
 * <p>Immutable and thread-safe (each call makes its own pool, closed before it returns).
 */
public final class VolumeSegmenter {

    private final SparseDetector detector;
    private final CrossPlaneMerger merger;
    private final NeuropilParameters neuropil;
    private final CellClassifier classifier;
    private final int threads;

    /**
     * A segmenter.
     *
     * @param threads planes detected at the same time, at least 1 (each needs about 2 binned movies of memory)
     */
    public VolumeSegmenter(final DetectionParameters detection, final MergeParameters merge,
            final NeuropilParameters neuropil, final CellClassifier classifier, final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("segmentation threads must be at least 1, was " + threads);
        }
        this.detector = new SparseDetector(Objects.requireNonNull(detection, "detection"));
        this.merger = new CrossPlaneMerger(Objects.requireNonNull(merge, "merge"));
        this.neuropil = Objects.requireNonNull(neuropil, "neuropil");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
        this.threads = threads;
    }

    /**
     * What came out.
     *
     * @param footprints  one ROI per neuron (after the merge), ids in plane order
     * @param planes      per-plane detections before the merge
     * @param merge       the merge and its record
     * @param nanos       wall time, ns
     * <p>Immutable; thread-safe.
     */
    public record Result(Footprints footprints, List<PlaneDetection> planes, MergeResult merge, long nanos) {
    }

    /**
     * Segments a volume.
     *
     * @param planes  one binned window per plane, in depth order, all the same size
     * @param offsetX per-plane lateral offset, pixels (assembled = world - offset)
     * @param offsetY per-plane lateral offset, pixels
     */
    public Result segment(final List<BinnedMovie> planes, final double[] offsetX, final double[] offsetY) {
        if (planes.isEmpty()) {
            throw new IllegalArgumentException("segmentation needs at least one plane");
        }
        final long start = System.nanoTime();
        final int w = planes.get(0).width();
        final int h = planes.get(0).height();
        for (int k = 0; k < planes.size(); k++) {
            if (planes.get(k).width() != w || planes.get(k).height() != h) {
                throw new IllegalArgumentException("plane " + k + " is " + planes.get(k).width() + " x "
                        + planes.get(k).height() + ", plane 0 is " + w + " x " + h);
            }
        }
        final List<PlaneDetection> detections = detectPlanes(planes);
        return merge(detections, w, h, offsetX, offsetY, start);
    }

    /**
     * Detects the cells of every plane, {@code threads} planes at a time (what {@link #segment} does before merging).
     *
     * @param planes one binned window per plane, in depth order
     * @return one detection per plane, in depth order
     */
    public List<PlaneDetection> detectPlanes(final List<BinnedMovie> planes) {
        return detectAsTheyCome(planes.size(), planes::get);
    }

    /**
     * Detects planes as their windows are made: {@code next.apply(p)} runs on the calling thread, in depth order, and
     * each window is detected on one of {@code threads} worker threads meanwhile. At most {@code threads + 1} windows
     * are referenced at a time (the caller may make each one only when asked: a config-A plane's window is ~100 MB),
     * and making the next window (registration, on the device) overlaps detecting the last ones (on the CPU).
     *
     * @param planes planes, depth 0 .. planes - 1
     * @param next   makes plane {@code p}'s binned window (called on this thread, in order)
     * @return one detection per plane, in depth order; equal to {@link #detectPlane} of every window
     */
    public List<PlaneDetection> detectAsTheyCome(final int planes, final IntFunction<BinnedMovie> next) {
        final int workers = Math.max(1, Math.min(threads, planes));
        final ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            final Thread t = new Thread(r, "beadstream-segmentation");
            t.setDaemon(true);
            return t;
        });
        final List<Future<PlaneDetection>> futures = new ArrayList<>(planes);
        final List<PlaneDetection> detections = new ArrayList<>(planes);
        try {
            for (int p = 0; p < planes; p++) {
                if (p >= workers) {
                    detections.add(await(futures.get(p - workers)));
                }
                final BinnedMovie movie = next.apply(p);
                final int plane = p;
                futures.add(pool.submit(() -> detector.detect(movie, plane)));
            }
            for (int p = detections.size(); p < planes; p++) {
                detections.add(await(futures.get(p)));
            }
        } finally {
            pool.shutdownNow();
        }
        return detections;
    }

    private static PlaneDetection await(final Future<PlaneDetection> f) {
        try {
            return f.get();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("segmentation interrupted", e);
        } catch (final ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("segmentation failed: " + cause, cause);
        }
    }

    /**
     * Detects the cells of one plane (what {@link #segment} does for each plane, on its pool): for callers that spread
     * planes over machines and merge afterwards with {@link #merge}.
     *
     * @param movie the plane's binned window
     * @param plane the plane's depth index
     */
    public PlaneDetection detectPlane(final BinnedMovie movie, final int plane) {
        return detector.detect(movie, plane);
    }

    /**
     * The second half of {@link #segment}: merges per-plane detections across planes and builds the footprints.
     * {@code segment(planes, ...)} equals {@code merge(detectPlane(...) for every plane, ...)}.
     *
     * @param detections   one per plane, in depth order
     * @param width        plane width, px
     * @param height       plane height, px
     * @param offsetX      per-plane lateral offset, pixels (assembled = world - offset)
     * @param offsetY      per-plane lateral offset, pixels
     * @param startNanos   {@link System#nanoTime()} when the work began (for {@link Result#nanos()})
     */
    public Result merge(final List<PlaneDetection> detections, final int width, final int height,
            final double[] offsetX, final double[] offsetY, final long startNanos) {
        if (detections.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one plane's detections");
        }
        final MergeResult merged = merger.merge(detections, offsetX, offsetY);
        final FootprintsBuilder b = new FootprintsBuilder(width, height, detections.size()).neuropil(neuropil)
                .classifier(classifier);
        for (final DetectedRoi r : merged.kept()) {
            b.addRoi(r.plane(), r.pixels(), r.weights(), r.trace());
        }
        return new Result(b.build(), List.copyOf(detections), merged, System.nanoTime() - startNanos);
    }
}
