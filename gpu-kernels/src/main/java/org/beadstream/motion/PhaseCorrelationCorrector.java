package org.beadstream.motion;

import java.nio.Buffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

import org.beadstream.gpu.kernels.CorrelationPeakKernel;
import org.beadstream.gpu.kernels.CrossPowerKernel;
import org.beadstream.gpu.kernels.CrossPowerReference;
import org.beadstream.gpu.kernels.Fft2d;
import org.beadstream.gpu.kernels.FrameCorrelationKernel;
import org.beadstream.gpu.kernels.ShiftWarpKernel;
import org.beadstream.gpu.kernels.TaperPackKernel;
import org.beadstream.gpu.kernels.TaperPackReference;
import org.beadstream.gpu.runtime.CommandQueue;
import org.beadstream.gpu.runtime.DeviceBuffer;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * {@link MotionCorrector} by phase correlation on the OpenCL device (suite2p's method, batched):
 * <ol>
 * <li>rigid: the centred power-of-two region of each frame is mean-subtracted, tapered at the edges, FFT'd (two
 * frames per complex FFT), whitened, multiplied by the template's prepared spectrum (Gaussian-smoothed), transformed
 * back, and the peak within the max-shift window is refined to subpixel precision (Gaussian fit);</li>
 * <li>piecewise-rigid: overlapping blocks, moved by the rounded rigid shift, go through the same estimator with a
 * small window; block shifts are smoothed across neighbours (weighted by peak height) and interpolated into a shift
 * field;</li>
 * <li>the shift field (rigid: one shift) is applied by bilinear interpolation with clamped edges, and each corrected
 * frame's correlation with the template is measured.</li>
 * </ol>
 * Device buffers for {@link MotionSettings#maxBatch()} frames and every kernel are made in the constructor; larger
 * calls are processed in chunks. Frames with NaN/infinite or constant pixels are flagged ({@link MotionFlags}) and
 * passed through unshifted.
 *
 * <p>Not thread-safe: one instance per stage thread (it has its own command queue).
 */
public final class PhaseCorrelationCorrector implements MotionCorrector {

    private final OpenClRuntime cl;
    private final MotionSettings s;
    private final BlockGrid grid;
    private final int h;
    private final int w;
    private final int fy;
    private final int fx;
    private final int nb;
    private final int gridNodes;
    private final int batch;
    private final CommandQueue q;

    private final TaperPackKernel rigidPackShort;
    private final TaperPackKernel rigidPackFloat;
    private final Fft2d rigidFft;
    private final CrossPowerKernel rigidCross;
    private final CorrelationPeakKernel rigidPeak;
    private final TaperPackKernel blockPackShort;
    private final TaperPackKernel blockPackFloat;
    private final Fft2d blockFft;
    private final CrossPowerKernel blockCross;
    private final CorrelationPeakKernel blockPeak;
    private final ShiftWarpKernel warpShort;
    private final ShiftWarpKernel warpFloat;
    private final FrameCorrelationKernel frameCorr;

    private final DeviceBuffer raw;
    private final DeviceBuffer rigidZ;
    private final DeviceBuffer rigidC;
    private final DeviceBuffer rigidStats;
    private final DeviceBuffer rigidPeaks;
    private final DeviceBuffer rigidOrigin;
    private final DeviceBuffer rigidTaper;
    private final DeviceBuffer blockZ;
    private final DeviceBuffer blockC;
    private final DeviceBuffer blockStats;
    private final DeviceBuffer blockPeaks;
    private final DeviceBuffer blockOrigins;
    private final DeviceBuffer blockTaper;
    private final DeviceBuffer shiftGrid;
    private final DeviceBuffer gridY;
    private final DeviceBuffer gridX;
    private final DeviceBuffer out;
    private final DeviceBuffer corr;

    private final DeviceBuffer[] refRigid;
    private final DeviceBuffer[] refBlocks;
    private final DeviceBuffer[] templateImage;
    private final float[][] templates;
    private final float[] templateMean;
    private final float[] rigidNorm;
    private final float[] blockNorm;

    private final float[] hostRigidStats;
    private final float[] hostRigidPeaks;
    private final float[] hostBlockStats;
    private final float[] hostBlockPeaks;
    private final float[] hostGrid;
    private final float[] hostCorr;
    private final float[] smoothWeights;
    private final int border;
    private final int rigidKeep;
    private final int blockKeep;
    private boolean closed;

    /**
     * Builds every kernel and allocates every device buffer for {@code settings}.
     *
     * @throws IllegalArgumentException when the settings do not fit the device
     * @throws org.beadstream.gpu.runtime.OpenClException when a kernel fails to build or memory runs out
     */
    public PhaseCorrelationCorrector(final OpenClRuntime cl, final MotionSettings settings) {
        this.cl = cl;
        this.s = settings;
        this.grid = BlockGrid.of(settings);
        this.h = settings.height();
        this.w = settings.width();
        this.fy = settings.rigidHeight();
        this.fx = settings.rigidWidth();
        this.nb = settings.nonRigid() ? grid.count() : 0;
        this.gridNodes = grid.count();
        this.batch = settings.maxBatch();
        this.q = cl.createQueue();
        final int bs = settings.blockSize();

        rigidPackShort = new TaperPackKernel(cl, fy, fx, true);
        rigidPackFloat = new TaperPackKernel(cl, fy, fx, false);
        rigidFft = new Fft2d(cl, fy, fx);
        rigidCross = new CrossPowerKernel(cl, fy, fx, 1, settings.whiten());
        rigidPeak = new CorrelationPeakKernel(cl, fy, fx, settings.maxShift());
        warpShort = new ShiftWarpKernel(cl, true);
        warpFloat = new ShiftWarpKernel(cl, false);
        frameCorr = new FrameCorrelationKernel(cl);
        if (settings.nonRigid()) {
            blockPackShort = new TaperPackKernel(cl, bs, bs, true);
            blockPackFloat = new TaperPackKernel(cl, bs, bs, false);
            blockFft = new Fft2d(cl, bs, bs);
            blockCross = new CrossPowerKernel(cl, bs, bs, grid.count(), settings.whiten());
            blockPeak = new CorrelationPeakKernel(cl, bs, bs, settings.maxBlockShift());
        } else {
            blockPackShort = null;
            blockPackFloat = null;
            blockFft = null;
            blockCross = null;
            blockPeak = null;
        }

        final long frameFloats = (long) h * w;
        final int pairs = (batch + 1) / 2;
        raw = cl.buffer("motion input frames", 4L * frameFloats * batch);
        rigidZ = cl.buffer("motion rigid spectra", 8L * fy * fx * pairs);
        rigidC = cl.buffer("motion rigid correlation", 8L * fy * fx * pairs);
        rigidStats = cl.buffer("motion rigid stats", 16L * batch);
        rigidPeaks = cl.buffer("motion rigid peaks", 16L * batch);
        rigidOrigin = cl.buffer("motion rigid origin", 8L);
        rigidOrigin.upload(q, new int[] {(h - fy) / 2, (w - fx) / 2});
        rigidTaper = cl.buffer("motion rigid taper", 4L * (fy + fx));
        rigidTaper.upload(q, concat(TaperPackReference.taper(fy, settings.taperSigma()),
                TaperPackReference.taper(fx, settings.taperSigma())));
        if (settings.nonRigid()) {
            final int bpairs = (batch * nb + 1) / 2;
            blockZ = cl.buffer("motion block spectra", 8L * bs * bs * bpairs);
            blockC = cl.buffer("motion block correlation", 8L * bs * bs * bpairs);
            blockStats = cl.buffer("motion block stats", 16L * batch * nb);
            blockPeaks = cl.buffer("motion block peaks", 16L * batch * nb);
            blockOrigins = cl.buffer("motion block origins", 8L * nb);
            blockOrigins.upload(q, grid.origins());
            blockTaper = cl.buffer("motion block taper", 8L * bs);
            final float[] t = TaperPackReference.taper(bs, settings.taperSigma());
            blockTaper.upload(q, concat(t, t));
        } else {
            blockZ = null;
            blockC = null;
            blockStats = null;
            blockPeaks = null;
            blockOrigins = null;
            blockTaper = null;
        }
        shiftGrid = cl.buffer("motion shift grid", 8L * gridNodes * batch);
        gridY = cl.buffer("motion grid rows", 4L * h);
        gridY.upload(q, grid.gridY());
        gridX = cl.buffer("motion grid columns", 4L * w);
        gridX.upload(q, grid.gridX());
        out = cl.buffer("motion corrected frames", 4L * frameFloats * batch);
        corr = cl.buffer("motion frame correlation", 4L * batch);

        final int planes = settings.planes();
        refRigid = new DeviceBuffer[planes];
        refBlocks = new DeviceBuffer[planes];
        templateImage = new DeviceBuffer[planes];
        templates = new float[planes][];
        templateMean = new float[planes];
        rigidNorm = new float[planes];
        blockNorm = new float[planes];

        hostRigidStats = new float[4 * batch];
        hostRigidPeaks = new float[4 * batch];
        hostBlockStats = new float[4 * batch * Math.max(1, nb)];
        hostBlockPeaks = new float[4 * batch * Math.max(1, nb)];
        hostGrid = new float[2 * gridNodes * batch];
        hostCorr = new float[batch];
        smoothWeights = new float[gridNodes * gridNodes];
        fillSmoothWeights();
        border = Math.min(settings.maxShift(), Math.min(h, w) / 4);
        rigidKeep = keep(settings.maxShift(), rigidFft);
        blockKeep = blockFft == null ? 0 : keep(settings.maxBlockShift(), blockFft);
    }

    /** Columns to invert on each side so that shifts up to {@code maxShift} (+1 for the fit) are exact. */
    private static int keep(final int maxShift, final Fft2d fft) {
        final int g = fft.columnGroup();
        final int k = (maxShift + 2 + g - 1) / g * g;
        return Math.min(k, fft.width() / 2);
    }

    private void fillSmoothWeights() {
        final double sig = s.blockSmoothing();
        for (int a = 0; a < gridNodes; a++) {
            for (int b = 0; b < gridNodes; b++) {
                final int dy = a / grid.cols() - b / grid.cols();
                final int dx = a % grid.cols() - b % grid.cols();
                final double d2 = dy * dy + dx * dx;
                smoothWeights[a * gridNodes + b] = a == b ? 1f
                        : sig == 0 || d2 > 4 * sig * sig + 1e-9 ? 0f : (float) Math.exp(-d2 / (2 * sig * sig));
            }
        }
    }

    @Override
    public MotionSettings settings() {
        return s;
    }

    @Override
    public int blocksPerFrame() {
        return nb;
    }

    /** The block layout (one node when rigid-only). */
    public BlockGrid grid() {
        return grid;
    }

    /** The device this corrector runs on. */
    public String deviceName() {
        return cl.deviceName();
    }

    @Override
    public boolean hasTemplate(final int plane) {
        checkPlane(plane);
        return templates[plane] != null;
    }

    @Override
    public float[] template(final int plane) {
        checkPlane(plane);
        if (templates[plane] == null) {
            throw new IllegalStateException("plane " + plane + " has no template yet");
        }
        return templates[plane].clone();
    }

    @Override
    public void setTemplate(final int plane, final float[] template) {
        ensureOpen();
        checkPlane(plane);
        if (template == null || template.length != h * w) {
            throw new IllegalArgumentException("template of plane " + plane + " must have " + h + " x " + w + " = "
                    + (h * w) + " pixels, had " + (template == null ? "none" : template.length));
        }
        double sum = 0;
        for (float v : template) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("template of plane " + plane + " has non-finite pixels");
            }
            sum += v;
        }
        final float mean = (float) (sum / template.length);
        final double sigma = s.smoothSigma();
        // rigid region
        final float[] region = cut(template, (h - fy) / 2, (w - fx) / 2, fy, fx, s.taperSigma());
        final float[] rr = CrossPowerReference.prepareTemplate(region, fy, fx, s.whiten(), sigma, CrossPowerKernel.EPS);
        if (refRigid[plane] == null) {
            refRigid[plane] = cl.buffer("motion template spectrum plane " + plane, 4L * rr.length);
            templateImage[plane] = cl.buffer("motion template plane " + plane, 4L * h * w);
        }
        refRigid[plane].upload(q, rr);
        templateImage[plane].upload(q, template);
        rigidNorm[plane] = norm(rr, region, fy, fx);
        if (s.nonRigid()) {
            final int bs = s.blockSize();
            final float[] all = new float[2 * bs * bs * nb];
            double normSum = 0;
            for (int b = 0; b < nb; b++) {
                final float[] blk = cut(template, grid.yStart(b / grid.cols()), grid.xStart(b % grid.cols()), bs, bs,
                        s.taperSigma());
                final float[] rb = CrossPowerReference.prepareTemplate(blk, bs, bs, s.whiten(), sigma,
                        CrossPowerKernel.EPS);
                System.arraycopy(rb, 0, all, 2 * bs * bs * b, rb.length);
                normSum += norm(rb, blk, bs, bs);
            }
            if (refBlocks[plane] == null) {
                refBlocks[plane] = cl.buffer("motion block template spectra plane " + plane, 4L * all.length);
            }
            refBlocks[plane].upload(q, all);
            blockNorm[plane] = (float) (normSum / nb);
        }
        templates[plane] = template.clone();
        templateMean[plane] = mean;
    }

    /** 1 / (the correlation peak of the template with itself), so that peaks read as match quality. */
    private float norm(final float[] prepared, final float[] tapered, final int ry, final int rx) {
        if (s.whiten()) {
            return (float) (1.0 / CrossPowerReference.idealPeak(ry, rx, s.smoothSigma()));
        }
        final float[] self = CrossPowerReference.prepareTemplate(tapered, ry, rx, false, 0, 0f);
        double e = 0;
        for (int k = 0; k < ry * rx; k++) {
            final double re = prepared[2 * k];
            final double im = prepared[2 * k + 1];
            // prepared = conj(T) * G and self = conj(T): the self-match peak is sum |T|^2 G / N
            e += re * self[2 * k] + im * self[2 * k + 1];
        }
        e /= (double) ry * rx;
        return e > 0 ? (float) (1.0 / e) : 1f;
    }

    private float[] cut(final float[] img, final int y0, final int x0, final int ry, final int rx,
            final double taperSigma) {
        final float[] ty = TaperPackReference.taper(ry, taperSigma);
        final float[] tx = TaperPackReference.taper(rx, taperSigma);
        double sum = 0;
        for (int y = 0; y < ry; y++) {
            for (int x = 0; x < rx; x++) {
                sum += img[(y0 + y) * w + x0 + x];
            }
        }
        final float mean = (float) (sum / (ry * rx));
        final float[] r = new float[ry * rx];
        for (int y = 0; y < ry; y++) {
            for (int x = 0; x < rx; x++) {
                r[y * rx + x] = (img[(y0 + y) * w + x0 + x] - mean) * ty[y] * tx[x];
            }
        }
        return r;
    }

    @Override
    public void correct(final int plane, final float[] frames, final int count, final float[] corrected,
            final MotionResult result) {
        checkCall(plane, count, frames == null ? -1 : frames.length, corrected == null ? -1 : corrected.length,
                result);
        final int px = h * w;
        for (int done = 0; done < count; done += batch) {
            final int n = Math.min(batch, count - done);
            raw.upload(q, frames, done * px, n * px, 0);
            run(plane, n, false, done, result);
            out.download(q, 0, corrected, done * px, n * px);
        }
        result.setCount(count);
    }

    @Override
    public void correct(final int plane, final short[] frames, final int count, final float[] corrected,
            final MotionResult result) {
        checkCall(plane, count, frames == null ? -1 : frames.length, corrected == null ? -1 : corrected.length,
                result);
        final int px = h * w;
        for (int done = 0; done < count; done += batch) {
            final int n = Math.min(batch, count - done);
            raw.upload(q, frames, done * px, n * px, 0);
            run(plane, n, true, done, result);
            out.download(q, 0, corrected, done * px, n * px);
        }
        result.setCount(count);
    }

    @Override
    public void correct(final int plane, final ShortBuffer frames, final int count, final FloatBuffer corrected,
            final MotionResult result) {
        correctBuffers(plane, frames, true, count, corrected, result);
    }

    @Override
    public void correct(final int plane, final FloatBuffer frames, final int count, final FloatBuffer corrected,
            final MotionResult result) {
        correctBuffers(plane, frames, false, count, corrected, result);
    }

    /**
     * The buffer variants: int16 ({@code int16}, a ShortBuffer) or float frames in, float frames out, in batches; the
     * buffers' positions are restored. Allocation-free.
     */
    private void correctBuffers(final int plane, final Buffer frames, final boolean int16, final int count,
            final FloatBuffer corrected, final MotionResult result) {
        checkCall(plane, count, frames == null ? -1 : frames.remaining(),
                corrected == null ? -1 : corrected.remaining(), result);
        final int px = h * w;
        final int inPos = frames.position();
        final int outPos = corrected.position();
        try {
            for (int done = 0; done < count; done += batch) {
                final int n = Math.min(batch, count - done);
                frames.position(inPos + done * px);
                if (int16) {
                    raw.upload(q, (ShortBuffer) frames, n * px, 0);
                } else {
                    raw.upload(q, (FloatBuffer) frames, n * px, 0);
                }
                run(plane, n, int16, done, result);
                corrected.position(outPos + done * px);
                out.download(q, 0, corrected, n * px);
            }
        } finally {
            frames.position(inPos);
            corrected.position(outPos);
        }
        result.setCount(count);
    }

    /**
     * Registers {@code count} int16 frames read from {@code frames} at its position and writes the corrected float
     * frames into the device buffer {@code out} from byte {@code outByte} on (a buffer of the same runtime, e.g. the
     * input of trace extraction), so they never come back to the host. Ordered on this corrector's queue, which is
     * finished before returning.
     */
    public void correctToDevice(final int plane, final ShortBuffer frames, final int count, final DeviceBuffer target,
            final long outByte, final MotionResult result) {
        checkCall(plane, count, frames == null ? -1 : frames.remaining(), Integer.MAX_VALUE, result);
        final long frameBytes = 4L * h * w;
        if (target == null || outByte < 0 || outByte + count * frameBytes > target.bytes()) {
            throw new IllegalArgumentException(count + " corrected frames of " + frameBytes + " bytes from byte "
                    + outByte + " do not fit device buffer " + (target == null ? "(none)" : target.name() + " of "
                    + target.bytes() + " bytes"));
        }
        final int px = h * w;
        final int inPos = frames.position();
        try {
            for (int done = 0; done < count; done += batch) {
                final int n = Math.min(batch, count - done);
                frames.position(inPos + done * px);
                raw.upload(q, frames, n * px, 0);
                run(plane, n, true, done, result);
                out.copyTo(q, 0, target, outByte + done * frameBytes, n * frameBytes);
            }
            q.finish();
        } finally {
            frames.position(inPos);
        }
        result.setCount(count);
    }

    /** Estimates and applies the shifts of {@code n} frames already in {@code raw}; results at {@code first}. */
    private void run(final int plane, final int n, final boolean int16, final int first, final MotionResult r) {
        final boolean haveTemplate = templates[plane] != null;
        final int[] flags = r.flagsArray();
        if (!haveTemplate) {
            for (int i = 0; i < n; i++) {
                final int f = first + i;
                flags[f] = MotionFlags.NO_TEMPLATE;
                r.dyArray()[f] = 0f;
                r.dxArray()[f] = 0f;
                r.peakArray()[f] = 0f;
                r.correlationArray()[f] = Float.NaN;
                for (int b = 0; b < nb; b++) {
                    r.blockDyArray()[f * nb + b] = 0f;
                    r.blockDxArray()[f * nb + b] = 0f;
                    r.blockPeakArray()[f * nb + b] = 0f;
                }
            }
            java.util.Arrays.fill(hostGrid, 0, 2 * gridNodes * n, 0f);
            shiftGrid.upload(q, hostGrid, 0, 2 * gridNodes * n, 0);
            (int16 ? warpShort : warpFloat).run(q, raw, h, w, shiftGrid, grid.rows(), grid.cols(), gridY, gridX, out,
                    n);
            return;
        }
        final int pairs = (n + 1) / 2;
        (int16 ? rigidPackShort : rigidPackFloat).run(q, raw, h, w, 1, n, rigidOrigin, rigidPeaks, false, rigidTaper,
                rigidZ, rigidStats);
        rigidFft.forward(q, rigidZ, pairs);
        rigidCross.run(q, rigidZ, refRigid[plane], rigidC, pairs);
        rigidFft.inverseWindow(q, rigidC, pairs, rigidKeep);
        rigidPeak.run(q, rigidC, rigidNorm[plane], rigidPeaks, n);
        if (nb > 0) {
            final int maps = n * nb;
            final int bpairs = (maps + 1) / 2;
            (int16 ? blockPackShort : blockPackFloat).run(q, raw, h, w, nb, maps, blockOrigins, rigidPeaks, true,
                    blockTaper, blockZ, blockStats);
            blockFft.forward(q, blockZ, bpairs);
            blockCross.run(q, blockZ, refBlocks[plane], blockC, bpairs);
            blockFft.inverseWindow(q, blockC, bpairs, blockKeep);
            blockPeak.run(q, blockC, blockNorm[plane], blockPeaks, maps);
            blockPeaks.download(q, 0, hostBlockPeaks, 0, 4 * maps);
            blockStats.download(q, 0, hostBlockStats, 0, 4 * maps);
        }
        rigidPeaks.download(q, 0, hostRigidPeaks, 0, 4 * n);
        rigidStats.download(q, 0, hostRigidStats, 0, 4 * n);
        for (int i = 0; i < n; i++) {
            decide(i, first + i, plane, r);
        }
        shiftGrid.upload(q, hostGrid, 0, 2 * gridNodes * n, 0);
        (int16 ? warpShort : warpFloat).run(q, raw, h, w, shiftGrid, grid.rows(), grid.cols(), gridY, gridX, out, n);
        frameCorr.run(q, out, templateImage[plane], h, w, border, templateMean[plane], corr, n);
        corr.download(q, 0, hostCorr, 0, n);
        System.arraycopy(hostCorr, 0, r.correlationArray(), first, n);
    }

    /** Flags, rigid shift, smoothed block shifts and shift-grid nodes of batch frame {@code i}. */
    private void decide(final int i, final int f, final int plane, final MotionResult r) {
        int flags = 0;
        final float std = hostRigidStats[4 * i + 1];
        final float mean = hostRigidStats[4 * i];
        if (hostRigidStats[4 * i + 2] > 0) {
            flags |= MotionFlags.NON_FINITE_INPUT;
        } else if (!(std > 1e-6f * Math.max(1f, Math.abs(mean)))) {
            flags |= MotionFlags.CONSTANT_FRAME;
        }
        final int g = 2 * gridNodes * i;
        if (flags != 0) {
            r.dyArray()[f] = 0f;
            r.dxArray()[f] = 0f;
            r.peakArray()[f] = 0f;
            for (int b = 0; b < nb; b++) {
                r.blockDyArray()[f * nb + b] = 0f;
                r.blockDxArray()[f * nb + b] = 0f;
                r.blockPeakArray()[f * nb + b] = 0f;
            }
            java.util.Arrays.fill(hostGrid, g, g + 2 * gridNodes, 0f);
            r.flagsArray()[f] = flags;
            return;
        }
        final float dy = hostRigidPeaks[4 * i];
        final float dx = hostRigidPeaks[4 * i + 1];
        final float peak = hostRigidPeaks[4 * i + 2];
        if (hostRigidPeaks[4 * i + 3] != 0f) {
            flags |= MotionFlags.AT_MAX_SHIFT;
        }
        if (!(peak >= s.minPeak())) {
            flags |= MotionFlags.LOW_CONFIDENCE;
        }
        r.dyArray()[f] = dy;
        r.dxArray()[f] = dx;
        r.peakArray()[f] = peak;
        if (nb == 0) {
            hostGrid[g] = dy;
            hostGrid[g + 1] = dx;
        } else {
            final float ry = (float) Math.rint(dy);
            final float rx = (float) Math.rint(dx);
            for (int b = 0; b < nb; b++) {
                final int m = 4 * (i * nb + b);
                final boolean edge = hostBlockPeaks[m + 3] != 0f;
                if (edge) {
                    flags |= MotionFlags.BLOCK_AT_MAX_SHIFT;
                }
                r.blockPeakArray()[f * nb + b] = hostBlockPeaks[m + 2];
            }
            for (int b = 0; b < nb; b++) {
                double sy = 0;
                double sx = 0;
                double sw = 0;
                for (int o = 0; o < nb; o++) {
                    final float k = smoothWeights[b * nb + o];
                    if (k == 0f) {
                        continue;
                    }
                    final int m = 4 * (i * nb + o);
                    final float pk = hostBlockPeaks[m + 2];
                    final boolean usable = hostBlockPeaks[m + 3] == 0f && hostBlockStats[m + 2] == 0f
                            && Float.isFinite(pk) && pk > 0f;
                    if (!usable) {
                        continue;
                    }
                    final double wgt = k * pk;
                    sy += wgt * hostBlockPeaks[m];
                    sx += wgt * hostBlockPeaks[m + 1];
                    sw += wgt;
                }
                final float by = sw > 0 ? (float) (ry + sy / sw) : dy;
                final float bx = sw > 0 ? (float) (rx + sx / sw) : dx;
                r.blockDyArray()[f * nb + b] = by;
                r.blockDxArray()[f * nb + b] = bx;
                hostGrid[g + 2 * b] = by;
                hostGrid[g + 2 * b + 1] = bx;
            }
        }
        r.flagsArray()[f] = flags;
    }

    private void checkCall(final int plane, final int count, final int inLength, final int outLength,
            final MotionResult r) {
        ensureOpen();
        checkPlane(plane);
        final long px = (long) h * w;
        if (count < 0) {
            throw new IllegalArgumentException("frame count must not be negative, was " + count);
        }
        if (inLength < 0 || outLength < 0 || r == null) {
            throw new IllegalArgumentException("frames, output and result must all be given");
        }
        if (inLength < count * px) {
            throw new IllegalArgumentException(count + " frames of " + h + " x " + w + " need " + count * px
                    + " input pixels, got " + inLength);
        }
        if (outLength < count * px) {
            throw new IllegalArgumentException(count + " frames of " + h + " x " + w + " need " + count * px
                    + " output pixels, got " + outLength);
        }
        if (r.capacity() < count || r.blocks() != nb) {
            throw new IllegalArgumentException("result holds " + r.capacity() + " frames of " + r.blocks()
                    + " blocks; this call needs " + count + " frames of " + nb + " blocks (use newResult)");
        }
    }

    private void checkPlane(final int plane) {
        if (plane < 0 || plane >= s.planes()) {
            throw new IllegalArgumentException("plane must be from 0 to " + (s.planes() - 1) + ", was " + plane);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("motion corrector on " + cl.deviceName() + " is closed");
        }
        if (cl.isClosed()) {
            throw new IllegalStateException("motion corrector: the OpenCL runtime on " + cl.deviceName()
                    + " is closed (device gone); make a new runtime and corrector");
        }
    }

    private static float[] concat(final float[] a, final float[] b) {
        final float[] c = new float[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cl.isClosed()) {
            return;
        }
        for (AutoCloseable c : new AutoCloseable[] {rigidPackShort, rigidPackFloat, rigidFft, rigidCross, rigidPeak,
            blockPackShort, blockPackFloat, blockFft, blockCross, blockPeak, warpShort, warpFloat, frameCorr, raw,
            rigidZ, rigidC, rigidStats, rigidPeaks, rigidOrigin, rigidTaper, blockZ, blockC, blockStats, blockPeaks,
            blockOrigins, blockTaper, shiftGrid, gridY, gridX, out, corr, q}) {
            closeQuietly(c);
        }
        for (DeviceBuffer[] arr : new DeviceBuffer[][] {refRigid, refBlocks, templateImage}) {
            for (DeviceBuffer b : arr) {
                closeQuietly(b);
            }
        }
    }

    private static void closeQuietly(final AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // releasing is best effort at shutdown; nothing useful to do with a failure here
        }
    }
}
