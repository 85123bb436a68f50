package org.beadstream.engine.pipeline;

import java.nio.file.Path;

import org.beadstream.acquisition.assembly.AssemblyLayout;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.sim.LbmLayout;
import org.beadstream.acquisition.sim.LbmSimulation;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.gpu.runtime.OpenClRuntime;

/**
 * Factories that wire a {@link PipelineConsumer} and its {@link VolumePipeline} for a kind of input. Stateless and
 * thread-safe.
 */
public final class Pipelines {

    private Pipelines() {
    }

    /** The strip layout of a simulated rig. */
    public static AssemblyLayout layoutOf(final LbmSimulation sim) {
        final LbmLayout l = sim.layout();
        return AssemblyLayout.uniform(l.strips(), l.stripWidth(), l.stripHeight(), l.flyToLines(), l.trimLeft(),
                l.trimRight());
    }

    /**
     * The calibration a rig would measure once for this simulated microscope: its channel-to-depth order and per-plane
     * lateral offsets (indexed by depth).
     */
    public static PlaneCalibration calibrationOf(final LbmSimulation sim) {
        final int[] depthOf = sim.planeOrder();
        final double[] dx = new double[depthOf.length];
        final double[] dy = new double[depthOf.length];
        for (int c = 0; c < depthOf.length; c++) {
            final double[] o = sim.planeOffsetPx(c);
            dx[depthOf[c]] = o[0];
            dy[depthOf[c]] = o[1];
        }
        return new PlaneCalibration(depthOf, dx, dy);
    }

    /** Volumes whose pages estimate the scan phase ({@code assembly.phase_sample_frames} pages, whole volumes). */
    public static int phaseVolumes(final ResolvedConfig cfg, final int planes) {
        return Math.max(1, (int) Math.ceil(cfg.getInt("assembly.phase_sample_frames") / (double) planes));
    }

    /**
     * A consumer that assembles pages of {@code geometry} laid out as {@code layout}, calibrated by {@code calibration},
     * and processes them with a new {@link VolumePipeline} writing into {@code out}; {@code offline} when the source can
     * wait.
     */
    public static PipelineConsumer consumer(final OpenClRuntime cl, final FrameGeometry geometry,
            final AssemblyLayout layout, final PlaneCalibration calibration, final ResolvedConfig cfg, final Path out,
            final int keepTracesInMemory, final boolean offline) {
        final VolumePipeline vp = new VolumePipeline(cl, geometry.planes(), layout.planeWidth(), layout.planeHeight(),
                geometry.volumeRateHz(), cfg, out, offline).keepTracesInMemory(keepTracesInMemory)
                .calibration(calibration);
        final int phaseVolumes = phaseVolumes(cfg, geometry.planes());
        return new PipelineConsumer(layout, calibration, vp, cfg.getBoolean("assembly.correct_phase"), phaseVolumes,
                geometry);
    }
}
