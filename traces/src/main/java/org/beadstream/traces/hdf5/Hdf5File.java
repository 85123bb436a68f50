package org.beadstream.traces.hdf5;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An HDF5 file built as a tree in memory (groups, datasets, attributes, links) and written in one pass by
 * {@link #write(Path)}; large datasets stream their bytes from a {@link DataSource} during the write.
 *
 * <pre>{@code
 * Hdf5File h5 = new Hdf5File();
 * Hdf5File.Group g = h5.root().group("processing");
 * g.attribute("neurodata_type", Hdf5Value.string("ProcessingModule"));
 * Hdf5File.Dataset d = g.dataset("data", Hdf5Value.floats(values, 10, 3));
 * g.softLink("alias", "/processing/data");
 * h5.write(Path.of("out.h5"));
 * }</pre>
 *
 * File layout written (all offsets and lengths 8 bytes, little-endian):
 * <pre>
 *   0      superblock v2 (48 bytes, lookup3 checksum) -> root group object header
 *   48     object headers v2 ("OHDR", one chunk, lookup3 checksum), depth-first from the root
 *   ...    global heap collection ("GCOL") holding every variable-length string
 *   ...    raw data of each dataset (contiguous layout), 8-byte aligned
 * </pre>
 *
 * <p>Not thread-safe: build and write from one thread.
 */
public final class Hdf5File {

    private static final long UNDEFINED = -1L;
    private static final int MSG_DATASPACE = 0x01;
    private static final int MSG_LINK_INFO = 0x02;
    private static final int MSG_DATATYPE = 0x03;
    private static final int MSG_FILL_VALUE = 0x05;
    private static final int MSG_LINK = 0x06;
    private static final int MSG_LAYOUT = 0x08;
    private static final int MSG_GROUP_INFO = 0x0A;
    private static final int MSG_ATTRIBUTE = 0x0C;

    private final Group root = new Group("", null);

    /** The root group. */
    public Group root() {
        return root;
    }

    /** A group or dataset: has attributes and an object header. */
    public abstract static class Node {
        private final String name;
        private final Group parent;
        private final Map<String, Hdf5Value> attributes = new LinkedHashMap<>();

        Node(final String name, final Group parent) {
            this.name = name;
            this.parent = parent;
        }

        /** The link name under its parent ("" for the root). */
        public String name() {
            return name;
        }

        /** Absolute path, e.g. {@code /processing/ophys}. */
        public String path() {
            if (parent == null) {
                return "/";
            }
            final String p = parent.path();
            return (p.equals("/") ? "" : p) + "/" + name;
        }

        /** Sets (or replaces) an attribute. */
        public Node attribute(final String attributeName, final Hdf5Value value) {
            checkName(attributeName);
            attributes.put(attributeName, value);
            return this;
        }

        /** Sets a scalar string attribute. */
        public Node attribute(final String attributeName, final String value) {
            return attribute(attributeName, Hdf5Value.string(value));
        }

        Map<String, Hdf5Value> attributes() {
            return attributes;
        }
    }

    /** A group: links to children (hard) and soft links by path. */
    public static final class Group extends Node {
        private final Map<String, Object> links = new LinkedHashMap<>();

        Group(final String name, final Group parent) {
            super(name, parent);
        }

        private void claim(final String linkName) {
            checkName(linkName);
            if (links.containsKey(linkName)) {
                throw new IllegalArgumentException(path() + " already has a link named " + linkName);
            }
        }

        /** A new child group. */
        public Group group(final String childName) {
            claim(childName);
            final Group g = new Group(childName, this);
            links.put(childName, g);
            return g;
        }

        /** A new child dataset holding an in-memory value. */
        public Dataset dataset(final String childName, final Hdf5Value value) {
            claim(childName);
            final Dataset d = new Dataset(childName, this, value.type(), value.shapeRef(), value, null);
            links.put(childName, d);
            return d;
        }

        /** A new child dataset whose bytes are streamed from {@code source} at write time. */
        public Dataset dataset(final String childName, final Hdf5Type type, final long[] shape,
                               final DataSource source) {
            claim(childName);
            if (type.kind() == Hdf5Type.Kind.VLEN_STRING || type.kind() == Hdf5Type.Kind.REFERENCE) {
                throw new IllegalArgumentException("streamed dataset " + childName + " must be numeric or compound");
            }
            final Dataset d = new Dataset(childName, this, type, shape.clone(), null, source);
            links.put(childName, d);
            return d;
        }

        /** A soft link to an absolute path in this file (NWB links, e.g. {@code imaging_plane}). */
        public Group softLink(final String linkName, final String targetPath) {
            claim(linkName);
            if (!targetPath.startsWith("/")) {
                throw new IllegalArgumentException("soft link target must be an absolute path, was " + targetPath);
            }
            links.put(linkName, targetPath);
            return this;
        }

        /** A hard link to an existing group or dataset (a second name for the same object). */
        public Group hardLink(final String linkName, final Node target) {
            claim(linkName);
            links.put(linkName, new HardLink(target));
            return this;
        }

        /** The child group or dataset of that name, or throws. */
        public Node child(final String childName) {
            final Object o = links.get(childName);
            if (o instanceof Node n) {
                return n;
            }
            throw new IllegalArgumentException(path() + " has no child " + childName);
        }
    }

    private record HardLink(Node target) {
    }

    /** A dataset with contiguous storage. */
    public static final class Dataset extends Node {
        private final Hdf5Type type;
        private final long[] shape;
        private final Hdf5Value value;
        private final DataSource source;

        Dataset(final String name, final Group parent, final Hdf5Type type, final long[] shape,
                final Hdf5Value value, final DataSource source) {
            super(name, parent);
            this.type = type;
            this.shape = shape;
            this.value = value;
            this.source = source;
            for (final long d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("dataset " + name + " has a negative dimension");
                }
            }
        }

        /** Bytes of raw data. */
        public long dataBytes() {
            long n = type.size();
            for (final long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private static void checkName(final String n) {
        if (n.isEmpty() || n.contains("/") || n.equals(".")) {
            throw new IllegalArgumentException("invalid HDF5 name '" + n + "'");
        }
        if (n.getBytes(StandardCharsets.UTF_8).length > 255) {
            throw new IllegalArgumentException("HDF5 name longer than 255 bytes: " + n);
        }
    }

    /** Addresses assigned during layout. */
    static final class Layout {
        private final Map<Node, Long> headers = new IdentityHashMap<>();
        private final Map<Dataset, Long> data = new IdentityHashMap<>();
        private final Map<String, Integer> heapIndex = new LinkedHashMap<>();
        private long heapAddress;
        private boolean sizing = true;

        long address(final Node n) {
            if (sizing) {
                return 0;
            }
            final Long a = headers.get(n);
            if (a == null) {
                throw new IllegalStateException("reference to " + n.path() + ", which is not in this file");
            }
            return a;
        }

        long heapAddress() {
            return sizing ? 0 : heapAddress;
        }

        int heapIndex(final String s) {
            if (sizing) {
                return 0;
            }
            return heapIndex.get(s);
        }
    }

    /**
     * Writes the file (replacing an existing one).
     *
     * @throws IOException naming the file, or the dataset whose source wrote the wrong number of bytes
     */
    public void write(final Path file) throws IOException {
        final List<Node> nodes = new ArrayList<>();
        collect(root, nodes);
        final Layout layout = new Layout();
        // strings for the global heap
        for (final Node n : nodes) {
            for (final Hdf5Value v : n.attributes().values()) {
                addStrings(layout, v);
            }
            if (n instanceof Dataset d && d.value != null) {
                addStrings(layout, d.value);
            }
        }
        // sizes of headers (addresses do not change sizes)
        long pos = 48;
        for (final Node n : nodes) {
            layout.headers.put(n, pos);
            pos += header(n, layout).length;
        }
        final byte[] heapProbe = heap(layout, pos);
        if (!layout.heapIndex.isEmpty()) {
            layout.heapAddress = pos;
            pos += heapProbe.length;
        }
        for (final Node n : nodes) {
            if (n instanceof Dataset d) {
                pos = align8(pos);
                layout.data.put(d, d.dataBytes() == 0 ? UNDEFINED : pos);
                pos += d.dataBytes();
            }
        }
        final long eof = pos;
        layout.sizing = false;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ)) {
            writeAt(ch, 0, superblock(layout.headers.get(root), eof));
            for (final Node n : nodes) {
                writeAt(ch, layout.headers.get(n), header(n, layout));
            }
            if (!layout.heapIndex.isEmpty()) {
                writeAt(ch, layout.heapAddress, heap(layout, layout.heapAddress));
            }
            for (final Node n : nodes) {
                if (n instanceof Dataset d && d.dataBytes() > 0) {
                    final long at = layout.data.get(d);
                    final long written;
                    if (d.value != null) {
                        final byte[] b = d.value.encode(layout);
                        writeAt(ch, at, b);
                        written = b.length;
                    } else {
                        written = d.source.writeTo(ch, at);
                    }
                    if (written != d.dataBytes()) {
                        throw new IOException(file + ": dataset " + d.path() + " wrote " + written
                                + " bytes, expected " + d.dataBytes());
                    }
                }
            }
            if (ch.size() < eof) {
                writeAt(ch, eof - 1, new byte[] {0});
            }
            ch.force(true);
        }
    }

    private static long align8(final long p) {
        return (p + 7) & ~7L;
    }

    private static void collect(final Group g, final List<Node> out) {
        out.add(g);
        for (final Object o : g.links.values()) {
            if (o instanceof Group child) {
                collect(child, out);
            } else if (o instanceof Dataset d) {
                out.add(d);
            }
        }
    }

    private static void addStrings(final Layout layout, final Hdf5Value v) {
        for (final String s : v.stringsRef()) {
            if (!s.isEmpty() && !layout.heapIndex.containsKey(s)) {
                layout.heapIndex.put(s, layout.heapIndex.size() + 1);
            }
        }
        if (layout.heapIndex.size() > 65535) {
            throw new IllegalStateException("more than 65535 distinct strings in one file");
        }
    }

    private static void writeAt(final FileChannel ch, final long at, final byte[] bytes) throws IOException {
        final ByteBuffer b = ByteBuffer.wrap(bytes);
        long p = at;
        while (b.hasRemaining()) {
            p += ch.write(b, p);
        }
    }

    private static byte[] superblock(final long rootAddress, final long eof) {
        final ByteBuffer b = ByteBuffer.allocate(48).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'});
        b.put((byte) 2).put((byte) 8).put((byte) 8).put((byte) 0);
        b.putLong(0).putLong(UNDEFINED).putLong(eof).putLong(rootAddress);
        b.putInt(Lookup3.hash(b.array(), 0, 44));
        return b.array();
    }

    private static byte[] heap(final Layout layout, final long at) {
        final ByteArrayOutputStream objects = new ByteArrayOutputStream();
        for (final Map.Entry<String, Integer> e : layout.heapIndex.entrySet()) {
            final byte[] s = e.getKey().getBytes(StandardCharsets.UTF_8);
            Hdf5Type.le(objects, e.getValue(), 2);
            Hdf5Type.le(objects, 1, 2);
            Hdf5Type.le(objects, 0, 4);
            Hdf5Type.le(objects, s.length, 8);
            objects.write(s, 0, s.length);
            for (int pad = s.length; pad % 8 != 0; pad++) {
                objects.write(0);
            }
        }
        final long used = 16 + objects.size();
        final long size = Math.max(4096, align8(used + 16));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('G');
        out.write('C');
        out.write('O');
        out.write('L');
        out.write(1);
        out.write(0);
        out.write(0);
        out.write(0);
        Hdf5Type.le(out, size, 8);
        final byte[] o = objects.toByteArray();
        out.write(o, 0, o.length);
        // free-space object (index 0) covering the rest of the collection, its own header included
        Hdf5Type.le(out, 0, 2);
        Hdf5Type.le(out, 0, 2);
        Hdf5Type.le(out, 0, 4);
        Hdf5Type.le(out, size - used, 8);
        while (out.size() < size) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] header(final Node n, final Layout layout) {
        final ByteArrayOutputStream msgs = new ByteArrayOutputStream();
        if (n instanceof Group g) {
            final ByteArrayOutputStream li = new ByteArrayOutputStream();
            li.write(0);
            li.write(0);
            Hdf5Type.le(li, UNDEFINED, 8);
            Hdf5Type.le(li, UNDEFINED, 8);
            message(msgs, MSG_LINK_INFO, 0, li.toByteArray());
            message(msgs, MSG_GROUP_INFO, 0, new byte[] {0, 0});
            for (final Map.Entry<String, Object> e : g.links.entrySet()) {
                message(msgs, MSG_LINK, 0, link(e.getKey(), e.getValue(), layout));
            }
        } else {
            final Dataset d = (Dataset) n;
            message(msgs, MSG_DATASPACE, 0, dataspace(d.shape));
            message(msgs, MSG_DATATYPE, 1, d.type.encode());
            message(msgs, MSG_FILL_VALUE, 1, new byte[] {3, 0x0A});
            final ByteArrayOutputStream lay = new ByteArrayOutputStream();
            lay.write(3);
            lay.write(1);
            Hdf5Type.le(lay, layout.sizing ? 0 : layout.data.get(d), 8);
            Hdf5Type.le(lay, d.dataBytes(), 8);
            message(msgs, MSG_LAYOUT, 0, lay.toByteArray());
        }
        for (final Map.Entry<String, Hdf5Value> e : n.attributes().entrySet()) {
            message(msgs, MSG_ATTRIBUTE, 0, attribute(e.getKey(), e.getValue(), layout));
        }
        final byte[] body = msgs.toByteArray();
        final ByteBuffer b = ByteBuffer.allocate(4 + 1 + 1 + 4 + body.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {'O', 'H', 'D', 'R'}).put((byte) 2).put((byte) 0x02).putInt(body.length).put(body);
        b.putInt(Lookup3.hash(b.array(), 0, b.position()));
        return b.array();
    }

    private static void message(final ByteArrayOutputStream out, final int type, final int flags,
                                final byte[] data) {
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("HDF5 header message of " + data.length
                    + " bytes exceeds 65535 (attribute too large: store it as a dataset)");
        }
        out.write(type);
        Hdf5Type.le(out, data.length, 2);
        out.write(flags);
        out.write(data, 0, data.length);
    }

    private static byte[] dataspace(final long[] shape) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(2);
        out.write(shape.length);
        out.write(0);
        out.write(shape.length == 0 ? 0 : 1);
        for (final long d : shape) {
            Hdf5Type.le(out, d, 8);
        }
        return out.toByteArray();
    }

    private static byte[] link(final String name, final Object target, final Layout layout) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        out.write(1);
        final boolean soft = target instanceof String;
        out.write((soft ? 0x08 : 0x00) | 0x10);
        if (soft) {
            out.write(1);
        }
        out.write(1);
        out.write(n.length);
        out.write(n, 0, n.length);
        if (soft) {
            final byte[] p = ((String) target).getBytes(StandardCharsets.UTF_8);
            Hdf5Type.le(out, p.length, 2);
            out.write(p, 0, p.length);
        } else {
            final Node node = target instanceof HardLink h ? h.target() : (Node) target;
            Hdf5Type.le(out, layout.address(node), 8);
        }
        return out.toByteArray();
    }

    private static byte[] attribute(final String name, final Hdf5Value v, final Layout layout) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] n = name.getBytes(StandardCharsets.UTF_8);
        final byte[] type = v.type().encode();
        final byte[] space = dataspace(v.shapeRef());
        out.write(3);
        out.write(0);
        Hdf5Type.le(out, n.length + 1, 2);
        Hdf5Type.le(out, type.length, 2);
        Hdf5Type.le(out, space.length, 2);
        out.write(1);
        out.write(n, 0, n.length);
        out.write(0);
        out.write(type, 0, type.length);
        out.write(space, 0, space.length);
        final byte[] data = v.encode(layout);
        out.write(data, 0, data.length);
        return out.toByteArray();
    }
}
