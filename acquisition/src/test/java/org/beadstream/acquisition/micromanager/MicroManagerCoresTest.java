package org.beadstream.acquisition.micromanager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.beadstream.acquisition.frame.FrameSourceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MicroManagerCoresTest {

    @Test
    void shouldSayHowToInstallMmCoreWhenItsNativeLibraryIsMissing() {
        final mmcorej.CMMCore core;
        try {
            core = MicroManagerCores.newCore();
        } catch (final FrameSourceException e) {
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith(
                    "micromanager: cannot load the MMCoreJ native library (MMCoreJ_wrap): install Micro-Manager 2.0"),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("-Dmmcorej.library.path="),
                    e.getMessage());
            return;
        }
        core.delete();
        org.junit.jupiter.api.Assumptions.abort("Micro-Manager is installed here; the missing-library path is not testable");
    }

    @Test
    void shouldNameAMissingHardwareConfiguration(@TempDir final Path dir) {
        final Path cfg = dir.resolve("MMConfig_lbm.cfg");
        assertEquals("micromanager: hardware configuration " + cfg + " does not exist",
                assertThrows(FrameSourceException.class, () -> MicroManagerCores.withConfiguration(cfg)).getMessage());
    }
}
