package org.beadstream.engine.cli;

import picocli.CommandLine;

/**
 * Supplies {@code beadstream --version} from the jar manifest. Stateless and thread-safe.
 */
public final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        final String v = BeadStreamCommand.class.getPackage().getImplementationVersion();
        return new String[] {"BeadStream " + (v == null ? "(development build)" : v),
            "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }
}
