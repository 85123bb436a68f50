package org.beadstream.distributed;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Names the machine a task runs on, for error messages. Stateless and thread-safe. */
final class Workers {

    private Workers() {
    }

    /** This machine's host name, or "unknown host". */
    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "unknown host";
        }
    }
}
