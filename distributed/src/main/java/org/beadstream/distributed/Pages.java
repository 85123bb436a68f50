package org.beadstream.distributed;

import java.util.List;
import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameSlot;
import org.beadstream.acquisition.record.RawFrameReader;
import org.beadstream.acquisition.tiff.TiffStack;

/**
 * Pages of a recording read by their number, whatever holds them: ScanImage or plain TIFF files ({@link TiffStack}) or
 * a BeadStream raw recording ({@link RawFrameReader}). Not thread-safe: one task at a time.
 */
interface Pages extends AutoCloseable {

    /** Reads page {@code page} (volume x planes + channel) into {@code slot}. */
    void readPage(long page, FrameSlot slot);

    /** The file holding {@code page} and the page's index in it, for error messages. */
    String where(long page);

    @Override
    void close();

    /** TIFF pages; {@code own}: close the stack with this. */
    static Pages of(final TiffStack stack, final boolean own) {
        return new Pages() {
            @Override
            public void readPage(final long page, final FrameSlot slot) {
                stack.readPage(page, slot);
            }

            @Override
            public String where(final long page) {
                return stack.files().get(stack.fileIndexOf(page)) + ": page " + stack.localPage(page);
            }

            @Override
            public void close() {
                if (own) {
                    stack.close();
                }
            }
        };
    }

    /** The frames of a raw recording (one of its files or its folder). */
    static Pages raw(final Path recording) {
        final RawFrameReader r = new RawFrameReader(recording);
        return new Pages() {
            @Override
            public void readPage(final long page, final FrameSlot slot) {
                r.readPage(page, slot);
            }

            @Override
            public String where(final long page) {
                final List<Path> files = r.files();
                return files.get(r.fileIndexOf(page)) + ": frame " + page;
            }

            @Override
            public void close() {
                r.close();
            }
        };
    }
}
