package org.beadstream.distributed;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything an executor needs to run a task of one distributed run, shipped with every task (a few hundred bytes):
 * where the input and the run's folders are on shared storage, the geometry, the scan phase and the chunking. The
 * configuration itself travels as the run's {@code config.json}, the bootstrap state as {@code bootstrap.bin}, both
 * in the output folder that every worker sees.
 *
 * @param jobId         unique id of the run (executors drop cached state of other runs)
 * @param inputs        input files in order (absolute paths on shared storage)
 * @param planesOption  {@code --planes} as given (0: from the input)
 * @param rateOption    {@code --rate} as given (0: from the input)
 * @param configFile    the run's resolved {@code config.json}
 * @param workDir       the run's intermediate folder ({@code OUT/.spark}: bootstrap state, chunk files)
 * @param planes        planes per volume
 * @param width         assembled plane width, px
 * @param height        assembled plane height, px
 * @param volumeRateHz  volumes per second
 * @param scanPhase     scan phase per strip used for assembly, px (empty: not corrected)
 * @param volumes       complete volumes in the input
 * @param window        volumes in the bootstrap window (the first ones)
 * @param chunkVolumes  volumes per pass-2 chunk
 * @param fault         a failure to inject once (tests of the retry), or {@link Fault#NONE}
 *                      <p>Immutable (arrays are not modified after construction); thread-safe.
 */
record JobSpec(String jobId, List<String> inputs, int planesOption, double rateOption, String configFile,
        String workDir, int planes, int width, int height, double volumeRateHz, double[] scanPhase, long volumes,
        int window, int chunkVolumes, Fault fault) implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * A task failure injected on the first attempt of one pass-2 task, after it has written half its output: proves
     * that a retried task leaves the result unchanged.
     *
     * @param plane the task's plane (-1: none)
     * @param chunk the task's chunk
     */
    record Fault(int plane, int chunk) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** No failure. */
        static final Fault NONE = new Fault(-1, -1);

        boolean matches(final int p, final int c) {
            return plane == p && chunk == c;
        }
    }

    JobSpec {
        inputs = List.copyOf(inputs);
        if (planes < 1 || width < 1 || height < 1) {
            throw new IllegalArgumentException("volume of " + planes + " planes of " + width + " x " + height
                    + " is empty");
        }
        if (chunkVolumes < 1) {
            throw new IllegalArgumentException("volumes per chunk must be >= 1, was " + chunkVolumes);
        }
        if (window < 1 || window > volumes) {
            throw new IllegalArgumentException("bootstrap window of " + window + " volumes for an input of "
                    + volumes);
        }
    }

    /** The input files as paths. */
    List<Path> inputPaths() {
        return inputs.stream().map(Path::of).toList();
    }

    /** Pixels per plane. */
    int pixels() {
        return width * height;
    }

    /** Pass-2 chunks per plane. */
    int chunks() {
        return (int) ((volumes + chunkVolumes - 1) / chunkVolumes);
    }

    /** First volume of {@code chunk}. */
    long firstVolume(final int chunk) {
        return (long) chunk * chunkVolumes;
    }

    /** Volumes in {@code chunk} (the last may be short). */
    int volumesIn(final int chunk) {
        return (int) Math.min(chunkVolumes, volumes - firstVolume(chunk));
    }
}
