package org.beadstream.traces.hdf5;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An HDF5 datatype as written in a datatype message: little-endian integers and IEEE floats, variable-length UTF-8
 * strings, object references, and compounds of these. Immutable and thread-safe.
 */
public final class Hdf5Type {

    enum Kind { FIXED, FLOAT, VLEN_STRING, REFERENCE, COMPOUND }

    /** Signed 8-bit integer. */
    public static final Hdf5Type INT8 = fixed(1, true);
    /** Unsigned 8-bit integer. */
    public static final Hdf5Type UINT8 = fixed(1, false);
    /** Signed 32-bit integer. */
    public static final Hdf5Type INT32 = fixed(4, true);
    /** Unsigned 32-bit integer. */
    public static final Hdf5Type UINT32 = fixed(4, false);
    /** Signed 64-bit integer. */
    public static final Hdf5Type INT64 = fixed(8, true);
    /** Unsigned 64-bit integer. */
    public static final Hdf5Type UINT64 = fixed(8, false);
    /** IEEE 754 binary32. */
    public static final Hdf5Type FLOAT32 = new Hdf5Type(Kind.FLOAT, 4, false, null, null);
    /** IEEE 754 binary64. */
    public static final Hdf5Type FLOAT64 = new Hdf5Type(Kind.FLOAT, 8, false, null, null);
    /** Variable-length UTF-8 string (stored in the global heap). */
    public static final Hdf5Type STRING = new Hdf5Type(Kind.VLEN_STRING, 16, false, null, null);
    /** Object reference (the address of an object header). */
    public static final Hdf5Type REFERENCE = new Hdf5Type(Kind.REFERENCE, 8, false, null, null);

    private final Kind kind;
    private final int size;
    private final boolean signed;
    private final String[] memberNames;
    private final Hdf5Type[] memberTypes;

    private Hdf5Type(final Kind kind, final int size, final boolean signed, final String[] names,
                     final Hdf5Type[] types) {
        this.kind = kind;
        this.size = size;
        this.signed = signed;
        this.memberNames = names;
        this.memberTypes = types;
    }

    private static Hdf5Type fixed(final int size, final boolean signed) {
        return new Hdf5Type(Kind.FIXED, size, signed, null, null);
    }

    /**
     * A compound of numeric members packed without padding, in the given order.
     *
     * @throws IllegalArgumentException when a member is not a fixed-point or floating-point type
     */
    public static Hdf5Type compound(final String[] names, final Hdf5Type[] types) {
        if (names.length != types.length || names.length == 0) {
            throw new IllegalArgumentException("compound needs one type per name and at least one member, had "
                    + names.length + " names and " + types.length + " types");
        }
        int size = 0;
        for (int i = 0; i < types.length; i++) {
            if (types[i].kind != Kind.FIXED && types[i].kind != Kind.FLOAT) {
                throw new IllegalArgumentException("compound member " + names[i] + " must be numeric");
            }
            size += types[i].size;
        }
        return new Hdf5Type(Kind.COMPOUND, size, false, names.clone(), types.clone());
    }

    /** Bytes per element in the file. */
    public int size() {
        return size;
    }

    Kind kind() {
        return kind;
    }

    /** The datatype message body. */
    byte[] encode() {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (kind) {
            case FIXED -> {
                header(out, 0, 1, signed ? 0x08 : 0x00, 0, 0, size);
                le(out, 0, 2);
                le(out, size * 8, 2);
            }
            case FLOAT -> {
                final boolean single = size == 4;
                header(out, 1, 1, 0x20, single ? 31 : 63, 0, size);
                le(out, 0, 2);
                le(out, size * 8, 2);
                out.write(single ? 23 : 52);
                out.write(single ? 8 : 11);
                out.write(0);
                out.write(single ? 23 : 52);
                le(out, single ? 127 : 1023, 4);
            }
            case VLEN_STRING -> {
                // type 1 = string, padding 0 = null-terminate, charset 1 = UTF-8
                header(out, 9, 1, 0x01, 0x01, 0, size);
                final byte[] base = UINT8.encode();
                out.write(base, 0, base.length);
            }
            case REFERENCE -> header(out, 7, 1, 0x00, 0, 0, size);
            case COMPOUND -> {
                header(out, 6, 3, memberNames.length & 0xff, (memberNames.length >> 8) & 0xff, 0, size);
                final int offsetBytes = size < 256 ? 1 : size < 65536 ? 2 : size < 1 << 24 ? 3 : 4;
                int offset = 0;
                for (int i = 0; i < memberNames.length; i++) {
                    final byte[] name = memberNames[i].getBytes(StandardCharsets.US_ASCII);
                    out.write(name, 0, name.length);
                    out.write(0);
                    le(out, offset, offsetBytes);
                    final byte[] t = memberTypes[i].encode();
                    out.write(t, 0, t.length);
                    offset += memberTypes[i].size;
                }
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        return out.toByteArray();
    }

    private static void header(final ByteArrayOutputStream out, final int cls, final int version, final int b0,
                               final int b1, final int b2, final int size) {
        out.write(version << 4 | cls);
        out.write(b0);
        out.write(b1);
        out.write(b2);
        le(out, size, 4);
    }

    static void le(final ByteArrayOutputStream out, final long v, final int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }
}
