package org.beadstream.traces.hdf5;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A typed value held in memory: an attribute, or the contents of a small dataset (strings, numbers, references).
 * Immutable (arrays are copied in); thread-safe.
 */
public final class Hdf5Value {

    private final Hdf5Type type;
    private final long[] shape;
    private final Object data;

    private Hdf5Value(final Hdf5Type type, final long[] shape, final Object data) {
        this.type = type;
        this.shape = shape;
        this.data = data;
    }

    /** A scalar UTF-8 string. */
    public static Hdf5Value string(final String s) {
        return new Hdf5Value(Hdf5Type.STRING, new long[0], new String[] {s});
    }

    /** A 1-D array of UTF-8 strings. */
    public static Hdf5Value strings(final String... s) {
        return new Hdf5Value(Hdf5Type.STRING, new long[] {s.length}, s.clone());
    }

    /** A scalar float64. */
    public static Hdf5Value float64(final double v) {
        return new Hdf5Value(Hdf5Type.FLOAT64, new long[0], new double[] {v});
    }

    /** A scalar float32. */
    public static Hdf5Value float32(final float v) {
        return new Hdf5Value(Hdf5Type.FLOAT32, new long[0], new float[] {v});
    }

    /** A scalar int64. */
    public static Hdf5Value int64(final long v) {
        return new Hdf5Value(Hdf5Type.INT64, new long[0], new long[] {v});
    }

    /** An array of 32-bit integers (signed or unsigned type) with the given shape. */
    public static Hdf5Value ints(final Hdf5Type type, final int[] v, final long... shape) {
        if (type.kind() != Hdf5Type.Kind.FIXED || type.size() != 4) {
            throw new IllegalArgumentException("int data needs a 32-bit integer type");
        }
        return new Hdf5Value(type, checkShape(v.length, shape), v.clone());
    }

    /** An array of 64-bit integers (signed or unsigned type) with the given shape. */
    public static Hdf5Value longs(final Hdf5Type type, final long[] v, final long... shape) {
        if (type.kind() != Hdf5Type.Kind.FIXED || type.size() != 8) {
            throw new IllegalArgumentException("long data needs a 64-bit integer type");
        }
        return new Hdf5Value(type, checkShape(v.length, shape), v.clone());
    }

    /** An array of float32 with the given shape. */
    public static Hdf5Value floats(final float[] v, final long... shape) {
        return new Hdf5Value(Hdf5Type.FLOAT32, checkShape(v.length, shape), v.clone());
    }

    /** An array of float64 with the given shape. */
    public static Hdf5Value doubles(final double[] v, final long... shape) {
        return new Hdf5Value(Hdf5Type.FLOAT64, checkShape(v.length, shape), v.clone());
    }

    /** A scalar object reference to a group or dataset of the same file. */
    public static Hdf5Value reference(final Hdf5File.Node target) {
        return new Hdf5Value(Hdf5Type.REFERENCE, new long[0], new Hdf5File.Node[] {target});
    }

    private static long[] checkShape(final long n, final long[] shape) {
        long m = 1;
        for (final long d : shape) {
            m *= d;
        }
        if (m != n) {
            throw new IllegalArgumentException(n + " values do not fill shape " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** The type. */
    public Hdf5Type type() {
        return type;
    }

    /** A copy of the shape (empty for scalars). */
    public long[] shape() {
        return shape.clone();
    }

    long[] shapeRef() {
        return shape;
    }

    String[] stringsRef() {
        return data instanceof String[] s ? s : new String[0];
    }

    /** Element bytes, little-endian, resolving references and heap positions. */
    byte[] encode(final Hdf5File.Layout layout) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (data instanceof String[] s) {
            for (final String str : s) {
                final byte[] b = str.getBytes(StandardCharsets.UTF_8);
                Hdf5Type.le(out, b.length, 4);
                if (b.length == 0) {
                    Hdf5Type.le(out, 0, 8);
                    Hdf5Type.le(out, 0, 4);
                } else {
                    Hdf5Type.le(out, layout.heapAddress(), 8);
                    Hdf5Type.le(out, layout.heapIndex(str), 4);
                }
            }
        } else if (data instanceof int[] a) {
            for (final int v : a) {
                Hdf5Type.le(out, v, 4);
            }
        } else if (data instanceof long[] a) {
            for (final long v : a) {
                Hdf5Type.le(out, v, 8);
            }
        } else if (data instanceof float[] a) {
            for (final float v : a) {
                Hdf5Type.le(out, Float.floatToRawIntBits(v), 4);
            }
        } else if (data instanceof double[] a) {
            for (final double v : a) {
                Hdf5Type.le(out, Double.doubleToRawLongBits(v), 8);
            }
        } else if (data instanceof Hdf5File.Node[] nodes) {
            for (final Hdf5File.Node n : nodes) {
                Hdf5Type.le(out, layout.address(n), 8);
            }
        } else {
            throw new IllegalStateException("unknown value data " + data.getClass());
        }
        return out.toByteArray();
    }
}
