package org.beadstream.distributed;

import java.nio.file.Files;
import java.nio.file.Path;

import org.beadstream.acquisition.assembly.AssembledVolume;
import org.beadstream.acquisition.assembly.PlaneCalibration;
import org.beadstream.acquisition.assembly.VolumeAssembler;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.scanimage.ScanImageSource;
import org.beadstream.acquisition.tiff.TiffStack;
import org.beadstream.engine.config.ResolvedConfig;
import org.beadstream.engine.run.Inputs;

/**
 * Positional reads of one plane's frames from a recording on shared storage, assembled exactly as the single-machine
 * run assembles them (strips cut, scan phase corrected, trimmed, plane offset applied): page {@code volume * P + c} is
 * channel {@code c}, which the calibration maps to its depth. Opens the input as {@link Inputs} does (so the layout
 * and calibration are the driver's) and checks that it still has the geometry the driver saw.
 *
 * <p>Allocation-free per frame. Not thread-safe: one task at a time (an {@link ExecutorSlot} owns it).
 */
final class PageReader implements AutoCloseable {

    private final Inputs.Input input;
    private final Pages pages;
    private final VolumeAssembler assembler;
    private final AssembledVolume volume;
    private final FrameSlot slot;
    private final int planes;
    private final int[] channelOfDepth;
    private final long pageBytes;
    private long bytesRead;

    /**
     * Opens the input of {@code spec} on this worker.
     *
     * @throws IllegalArgumentException naming the file when an input is missing here or no longer matches the driver
     */
    PageReader(final JobSpec spec, final ResolvedConfig config) {
        for (final Path p : spec.inputPaths()) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException(p + ": input missing or unreadable on worker " + Workers.host()
                        + " (inputs must be on storage every worker sees, at the same path)");
            }
        }
        this.input = Inputs.open(spec.inputPaths(), config, spec.planesOption(), spec.rateOption());
        try {
            final FrameGeometry g = input.source().geometry();
            if (g.planes() != spec.planes() || input.layout().planeWidth() != spec.width()
                    || input.layout().planeHeight() != spec.height()
                    || input.frames() < spec.volumes() * spec.planes()) {
                throw new IllegalArgumentException(spec.inputs().get(0) + ": on worker " + Workers.host()
                        + " the input has " + g.planes() + " planes of " + input.layout().planeWidth() + " x "
                        + input.layout().planeHeight() + " and " + input.frames() + " pages; the driver saw "
                        + spec.planes() + " of " + spec.width() + " x " + spec.height() + " and at least "
                        + spec.volumes() * spec.planes() + " (the file changed, or another file has that path)");
            }
            if (input.source() instanceof ScanImageSource s) {
                pages = Pages.of(s.stack(), false);
            } else if ("raw".equals(input.kind())) {
                pages = Pages.raw(spec.inputPaths().get(0));
            } else {
                pages = Pages.of(TiffStack.open(spec.inputPaths()), true);
            }
            this.planes = g.planes();
            this.assembler = new VolumeAssembler(input.layout(), input.calibration());
            if (spec.scanPhase().length > 0) {
                assembler.setScanPhase(spec.scanPhase());
            }
            this.volume = assembler.newVolume();
            this.slot = FrameSlot.forGeometry(g);
            this.pageBytes = 2L * g.width() * g.height();
            final PlaneCalibration c = input.calibration();
            this.channelOfDepth = new int[planes];
            for (int ch = 0; ch < planes; ch++) {
                channelOfDepth[c.depthOf(ch)] = ch;
            }
        } catch (final RuntimeException e) {
            input.source().close();
            throw e;
        }
    }

    /**
     * Reads and assembles the frame of depth {@code depth} in volume {@code v} into {@code dst}.
     *
     * @throws IllegalStateException naming the file and page when the page cannot be read
     */
    void readPlane(final long v, final int depth, final float[] dst) {
        final long page = v * planes + channelOfDepth[depth];
        try {
            pages.readPage(page, slot);
        } catch (final RuntimeException e) {
            throw new IllegalStateException(pages.where(page) + ": cannot read it (volume " + v + ", plane " + depth
                    + ") on worker " + Workers.host() + ": " + e.getMessage(), e);
        }
        slot.setHeader(v, channelOfDepth[depth], 0, FrameSlot.NO_FRAME_NUMBER);
        assembler.assemble(slot, volume);
        volume.copyPlane(depth, dst);
        bytesRead += pageBytes;
    }

    /** The calibration the input is assembled with (channel order and per-depth offsets). */
    PlaneCalibration calibration() {
        return input.calibration();
    }

    /** Raw bytes read so far. */
    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {
        try {
            pages.close();
        } finally {
            input.source().close();
        }
    }
}
