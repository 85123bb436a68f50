package org.beadstream.traces.hdf5;

import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Streams a large dataset's raw bytes (little-endian, C order) into the file at write time, so no dataset has to fit
 * in memory (e.g. a trace matrix copied from an .npy file with {@link FileChannel#transferTo}).
 *
 * <p>Called once, from the writing thread.
 */
@FunctionalInterface
public interface DataSource {

    /**
     * Writes exactly the dataset's byte size at {@code position} of {@code out}.
     *
     * @return the number of bytes written
     */
    long writeTo(FileChannel out, long position) throws IOException;
}
