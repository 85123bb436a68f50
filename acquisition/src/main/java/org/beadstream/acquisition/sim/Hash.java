package org.beadstream.acquisition.sim;

/**
 * Counter-based random numbers: every random quantity of the simulation is a pure function of the seed and its
 * coordinates (stream, neuron, volume, plane, line), so any frame can be rendered in any order and every run is
 * reproducible. The mixer is SplitMix64's finaliser (Steele, Lea and Flood 2014), which passes BigCrush on counters.
 *
 * <p>Stateless and thread-safe.
 */
final class Hash {

    /** Stream tags: independent random streams for each part of the model. */
    static final long NEURONS = 0x4E455552L;
    static final long SHAPES = 0x53484150L;
    static final long SPIKES = 0x5350494BL;
    static final long MOTION = 0x4D4F5449L;
    static final long NOISE_TABLE = 0x4E544142L;
    static final long NOISE_LINES = 0x4E4C494EL;
    static final long SCENE = 0x5343454EL;
    static final long LAYOUT = 0x4C41594FL;

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Hash() {
    }

    /** SplitMix64 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A 64-bit hash of a seed, a stream tag and up to three coordinates. */
    static long of(final long seed, final long stream, final long a, final long b, final long c) {
        long h = mix(seed + GOLDEN * (stream + 1));
        h = mix(h + GOLDEN * (a + 1));
        h = mix(h + GOLDEN * (b + 1));
        return mix(h + GOLDEN * (c + 1));
    }

    /** Uniform double in [0, 1) from the top 53 bits. */
    static double uniform(final long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    /** Standard normal from a hash (Box-Muller on two derived uniforms). */
    static double gaussian(final long h) {
        final double u1 = 1.0 - uniform(h);
        final double u2 = uniform(mix(h ^ GOLDEN));
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
