package org.beadstream.engine.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.segmentation.summary.SummaryImages;
import org.beadstream.traces.nwb.NwbExporter;
import org.beadstream.traces.sink.NpyFiles;

/**
 * The files a processing run writes once its traces are complete, the same whichever engine made them (one
 * {@link VolumePipeline}, or the passes of a distributed run): the motion record and the plane images beside the
 * suite2p-layout traces, and the NWB file made from them. Stateless and thread-safe.
 */
public final class RunOutputs {

    private RunOutputs() {
    }

    /**
     * The rigid motion of every volume as suite2p keeps it, {@code suite2p/plane<k>/xoff.npy} and {@code yoff.npy}
     * (float32, one value per volume, NaN for volumes skipped live; read by the NWB export), and the plane's images of
     * the bootstrap window under suite2p's names ({@code meanImg}, {@code meanImgE}, {@code Vcorr}, {@code max_proj};
     * float32 Ly x Lx), for pictures and for matching sessions.
     *
     * @param dx        per plane, x shift of every volume, px
     * @param dy        per plane, y shift of every volume, px
     * @param summaries per-plane summary images, or {@code null} (no images written)
     */
    public static void writePlaneArrays(final Path out, final float[][] dx, final float[][] dy,
            final SummaryImages[] summaries) {
        for (int p = 0; p < dx.length; p++) {
            final Path dir = out.resolve("suite2p").resolve("plane" + p);
            try {
                NpyFiles.writeFloat32(dir.resolve("xoff.npy"), dx[p], dx[p].length);
                NpyFiles.writeFloat32(dir.resolve("yoff.npy"), dy[p], dy[p].length);
                if (summaries != null) {
                    final long ly = summaries[p].height();
                    final long lx = summaries[p].width();
                    NpyFiles.writeFloat32(dir.resolve("meanImg.npy"), summaries[p].mean(), ly, lx);
                    NpyFiles.writeFloat32(dir.resolve("meanImgE.npy"), summaries[p].enhancedMean(), ly, lx);
                    NpyFiles.writeFloat32(dir.resolve("Vcorr.npy"), summaries[p].correlation(), ly, lx);
                    NpyFiles.writeFloat32(dir.resolve("max_proj.npy"), summaries[p].max(), ly, lx);
                }
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot write the motion offsets and plane images into " + dir + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /** {@code suite2p/ophys.nwb}, made from the suite2p-layout files already written (docs/file-formats.md). */
    public static Path writeNwb(final Path out, final ResolvedConfig config) {
        final Path file = out.resolve("suite2p").resolve("ophys.nwb");
        try {
            NwbExporter.export(out, file, NwbExporter.defaultMetadata(out)
                    .withPlaneSpacingUm(config.getDouble("detection.plane_spacing_um")));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }
}
