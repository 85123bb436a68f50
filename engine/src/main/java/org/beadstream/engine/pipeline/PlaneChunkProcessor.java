package org.beadstream.engine.pipeline;

import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.DeviceKind;
import org.beadstream.gpu.runtime.OpenClRuntime;
import org.beadstream.motion.MotionCorrector;
import org.beadstream.motion.MotionResult;
import org.beadstream.motion.PhaseCorrelationCorrector;
import org.beadstream.segmentation.footprint.Footprints;
import org.beadstream.segmentation.footprint.FootprintsCodec;
import org.beadstream.traces.extract.OpenClTraceExtractor;
import org.beadstream.traces.extract.PackedFootprints;

/**
 * Pass 2 for one plane: registers a run of that plane's frames against its template and extracts F and neuropil of
 * the plane's ROIs, with the same kernels, template and footprints as {@link VolumePipeline}, so the numbers equal the
 * single-machine run's. The distributed engine runs one per (plane, chunk of volumes).
 *
 * <p>Device buffers and kernels are made at construction; {@link #process} allocates nothing (frames go to the
 * device from plain arrays made here). Not thread-safe.
 */
public final class PlaneChunkProcessor implements AutoCloseable {

    private final int plane;
    private final int pixels;
    private final int[] rois;
    private final MotionCorrector corrector;
    private final MotionResult result;
    private final CommandQueue queue;
    private final OpenClTraceExtractor extractor;
    private final float[] registered;
    private final float[] batchIn;
    private final float[] frame;
    private final float[] frameF;
    private final float[] frameFneu;

    /**
     * @param cl     the OpenCL runtime (not closed here)
     * @param state  the bootstrap state (templates, footprints)
     * @param config the resolved configuration of the run
     * @param plane  the plane this processor handles
     */
    public PlaneChunkProcessor(final OpenClRuntime cl, final BootstrapState state, final ResolvedConfig config,
            final int plane) {
        if (plane < 0 || plane >= state.planes()) {
            throw new IllegalArgumentException("plane " + plane + " is outside 0.." + (state.planes() - 1));
        }
        this.plane = plane;
        this.pixels = state.width() * state.height();
        final Footprints fp = state.footprints();
        this.rois = fp.roisOnPlane(plane);
        if (state.template(plane) != null) {
            corrector = new PhaseCorrelationCorrector(cl,
                    PlaneBootstrap.motionSettings(config, state.planes(), state.width(), state.height()));
            corrector.setTemplate(plane, state.template(plane));
            result = corrector.newResult(PlaneBootstrap.MOTION_BATCH);
        } else {
            corrector = null;
            result = null;
        }
        this.queue = cl.createQueue();
        this.extractor = rois.length == 0 ? null
                : new OpenClTraceExtractor(cl, queue,
                        PackedFootprints.of(FootprintsCodec.onePlane(fp, plane)),
                        cl.device().kind() == DeviceKind.GPU ? 32 : 1);
        this.registered = new float[PlaneBootstrap.MOTION_BATCH * pixels];
        this.batchIn = new float[PlaneBootstrap.MOTION_BATCH * pixels];
        this.frame = new float[pixels];
        this.frameF = new float[Math.max(1, rois.length)];
        this.frameFneu = new float[Math.max(1, rois.length)];
    }

    /** The plane handled. */
    public int plane() {
        return plane;
    }

    /** Global ids (in the run's footprints) of the plane's ROIs, ascending: column {@code k} of the output is ROI
     * {@code rois()[k]}. */
    public int[] rois() {
        return rois.clone();
    }

    /** Number of ROIs on the plane. */
    public int roiCount() {
        return rois.length;
    }

    /**
     * Registers {@code count} frames and extracts their traces.
     *
     * @param frames      {@code count} frames of the plane, frame-major (not modified)
     * @param count       frames
     * @param f           out: F, volume-major ({@code f[i * roiCount() + k]}), at least {@code count * roiCount()}
     * @param fneu        out: neuropil, same layout
     * @param dx          out: rigid x shift per frame, px (0 without motion correction)
     * @param dy          out: rigid y shift per frame, px
     * @param correlation out: correlation with the template per frame (NaN without motion correction)
     */
    public void process(final float[] frames, final int count, final float[] f, final float[] fneu, final float[] dx,
            final float[] dy, final float[] correlation) {
        if (count < 0 || frames.length < (long) count * pixels) {
            throw new IllegalArgumentException(count + " frames need " + (long) count * pixels + " floats, have "
                    + frames.length);
        }
        final int n = rois.length;
        if (f.length < (long) count * n || fneu.length < (long) count * n || dx.length < count || dy.length < count
                || correlation.length < count) {
            throw new IllegalArgumentException("output arrays too small for " + count + " frames of " + n + " ROIs");
        }
        for (int s = 0; s < count; s += PlaneBootstrap.MOTION_BATCH) {
            final int c = Math.min(PlaneBootstrap.MOTION_BATCH, count - s);
            if (corrector != null) {
                // plain arrays from index 0 go to the device without a new JOCL pointer: no allocation per call
                final float[] in;
                if (s == 0) {
                    in = frames;
                } else {
                    System.arraycopy(frames, s * pixels, batchIn, 0, c * pixels);
                    in = batchIn;
                }
                corrector.correct(plane, in, c, registered, result);
                for (int i = 0; i < c; i++) {
                    dx[s + i] = result.dx(i);
                    dy[s + i] = result.dy(i);
                    correlation[s + i] = result.correlation(i);
                }
            } else {
                System.arraycopy(frames, s * pixels, registered, 0, c * pixels);
                for (int i = 0; i < c; i++) {
                    dx[s + i] = 0f;
                    dy[s + i] = 0f;
                    correlation[s + i] = Float.NaN;
                }
            }
            if (extractor == null) {
                continue;
            }
            for (int i = 0; i < c; i++) {
                System.arraycopy(registered, i * pixels, frame, 0, pixels);
                extractor.extract(frame, frameF, frameFneu);
                System.arraycopy(frameF, 0, f, (s + i) * n, n);
                System.arraycopy(frameFneu, 0, fneu, (s + i) * n, n);
            }
        }
    }

    @Override
    public void close() {
        if (extractor != null) {
            extractor.close();
        }
        if (corrector != null) {
            corrector.close();
        }
        queue.close();
    }
}
