package org.beadstream.acquisition.micromanager;

import java.nio.file.Files;
import java.nio.file.Path;

import mmcorej.CMMCore;
import org.beadstream.acquisition.frame.FrameSourceException;

/**
 * Making a real MMCore for {@link MicroManagerSource}: loads MMCoreJ's native library and a Micro-Manager hardware
 * configuration, turning the usual set-up mistakes into clear errors.
 *
 * <p>Stateless and thread-safe; each call makes its own core, which the caller owns (call {@code core.reset()} or
 * {@code unloadAllDevices()} when done).
 */
public final class MicroManagerCores {

    /** System property MMCoreJ reads for the folder holding its native library ({@code MMCoreJ_wrap}). */
    public static final String LIBRARY_PATH_PROPERTY = "mmcorej.library.path";

    private MicroManagerCores() {
    }

    /**
     * A core with the hardware configuration {@code configFile} (a Micro-Manager {@code .cfg}) loaded.
     *
     * @throws FrameSourceException if the file is missing, the native library cannot be loaded (naming the property
     *                              to set), or MMCore rejects the configuration (with MMCore's message)
     */
    public static CMMCore withConfiguration(final Path configFile) {
        if (!Files.isRegularFile(configFile)) {
            throw new FrameSourceException("micromanager", "hardware configuration " + configFile + " does not exist");
        }
        final CMMCore core = newCore();
        try {
            core.loadSystemConfiguration(configFile.toAbsolutePath().toString());
        } catch (final Exception e) {
            throw new FrameSourceException("micromanager", "MMCore could not load the hardware configuration "
                    + configFile + ": " + e.getMessage(), e);
        }
        return core;
    }

    /**
     * A new, empty core.
     *
     * @throws FrameSourceException if MMCoreJ's native library cannot be loaded
     */
    public static CMMCore newCore() {
        try {
            return new CMMCore();
        } catch (final UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new FrameSourceException("micromanager", "cannot load the MMCoreJ native library (MMCoreJ_wrap): install"
                    + " Micro-Manager 2.0 (device interface matching MMCoreJ 10.1.1.0) and start BeadStream with -D"
                    + LIBRARY_PATH_PROPERTY + "=<the Micro-Manager folder> (now "
                    + System.getProperty(LIBRARY_PATH_PROPERTY, "unset") + "); cause: " + e, e);
        }
    }
}
