package org.beadstream.acquisition.tiff;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: builds TIFF files byte by byte in every variant the reader must handle (classic or BigTIFF, either byte
 * order, 8 or 16 bits, signed or not, strips or tiles, contiguous or scattered segments), and lets tests corrupt them.
 * Layout: header, then for each page its segments followed by its IFD (and out-of-line values).
 */
final class TiffBuilder {

    boolean big;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    int bits = 16;
    int sampleFormat = 2;
    int compression = 1;
    int samplesPerPixel = 1;
    int rowsPerStrip;
    int tileWidth;
    int tileHeight;
    boolean reverseSegments;
    String description;

    /** Offsets of each page's IFD in the last built file. */
    final List<Long> ifdOffsets = new ArrayList<>();
    /** Offset of the first segment of each page in the last built file. */
    final List<Long> firstSegment = new ArrayList<>();

    private ByteArrayOutputStream out;

    static TiffBuilder classic() {
        return new TiffBuilder();
    }

    static TiffBuilder bigTiff() {
        final TiffBuilder b = new TiffBuilder();
        b.big = true;
        return b;
    }

    /** Pages of int16 values (8-bit files keep the low byte). */
    byte[] build(final int width, final int height, final short[]... pages) {
        out = new ByteArrayOutputStream();
        ifdOffsets.clear();
        firstSegment.clear();
        final ByteBuffer head = buf(big ? 16 : 8);
        head.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        head.put((byte) (order == ByteOrder.LITTLE_ENDIAN ? 'I' : 'M'));
        if (big) {
            head.putShort((short) 43).putShort((short) 8).putShort((short) 0).putLong(0);
        } else {
            head.putShort((short) 42).putInt(0);
        }
        write(head);
        long prevNextPointer = big ? 8 : 4;
        final byte[] file0;
        final List<long[]> patches = new ArrayList<>();
        for (final short[] page : pages) {
            final int bps = bits / 8;
            final List<byte[]> segs = new ArrayList<>();
            final boolean tiled = tileWidth > 0;
            if (tiled) {
                final int across = (width + tileWidth - 1) / tileWidth;
                final int down = (height + tileHeight - 1) / tileHeight;
                for (int ty = 0; ty < down; ty++) {
                    for (int tx = 0; tx < across; tx++) {
                        final ByteBuffer t = buf(tileWidth * tileHeight * bps * samplesPerPixel);
                        for (int y = 0; y < tileHeight; y++) {
                            for (int x = 0; x < tileWidth; x++) {
                                final int gx = tx * tileWidth + x;
                                final int gy = ty * tileHeight + y;
                                final short v = gx < width && gy < height ? page[gy * width + gx] : (short) 0x5A5A;
                                for (int s = 0; s < samplesPerPixel; s++) {
                                    sample(t, v, bps);
                                }
                            }
                        }
                        segs.add(t.array());
                    }
                }
            } else {
                final int rps = rowsPerStrip > 0 ? rowsPerStrip : height;
                for (int y0 = 0; y0 < height; y0 += rps) {
                    final int rows = Math.min(rps, height - y0);
                    final ByteBuffer t = buf(rows * width * bps * samplesPerPixel);
                    for (int i = y0 * width; i < (y0 + rows) * width; i++) {
                        for (int s = 0; s < samplesPerPixel; s++) {
                            sample(t, page[i], bps);
                        }
                    }
                    segs.add(t.array());
                }
            }
            final long[] offsets = new long[segs.size()];
            final long[] counts = new long[segs.size()];
            final int[] writeOrder = new int[segs.size()];
            for (int i = 0; i < segs.size(); i++) {
                writeOrder[i] = reverseSegments ? segs.size() - 1 - i : i;
            }
            for (final int i : writeOrder) {
                offsets[i] = out.size();
                counts[i] = segs.get(i).length;
                out.write(segs.get(i), 0, segs.get(i).length);
            }
            firstSegment.add(offsets[0]);
            align();
            // out-of-line arrays and description
            long offArray = -1;
            long cntArray = -1;
            final int entrySize = big ? 20 : 12;
            final int inlineBytes = big ? 8 : 4;
            if (segs.size() * (big ? 8L : 4L) > inlineBytes) {
                offArray = out.size();
                write(longs(offsets));
                cntArray = out.size();
                write(longs(counts));
            }
            long descAt = -1;
            byte[] desc = null;
            if (description != null) {
                desc = (description + '\0').getBytes(StandardCharsets.US_ASCII);
                descAt = out.size();
                out.write(desc, 0, desc.length);
                align();
            }
            final List<long[]> entries = new ArrayList<>();
            entries.add(new long[] {256, 4, 1, width});
            entries.add(new long[] {257, 4, 1, height});
            entries.add(new long[] {258, 3, 1, bits});
            entries.add(new long[] {259, 3, 1, compression});
            entries.add(new long[] {262, 3, 1, 1});
            if (desc != null) {
                entries.add(new long[] {270, 2, desc.length, descAt});
            }
            final int offType = big ? 16 : 4;
            entries.add(new long[] {tiled ? 324 : 273, offType, segs.size(), offArray >= 0 ? offArray : offsets[0]});
            entries.add(new long[] {277, 3, 1, samplesPerPixel});
            if (!tiled) {
                entries.add(new long[] {278, 4, 1, rowsPerStrip > 0 ? rowsPerStrip : height});
            } else {
                entries.add(new long[] {322, 3, 1, tileWidth});
                entries.add(new long[] {323, 3, 1, tileHeight});
            }
            entries.add(new long[] {tiled ? 325 : 279, offType, segs.size(), cntArray >= 0 ? cntArray : counts[0]});
            if (sampleFormat > 0) {
                entries.add(new long[] {339, 3, 1, sampleFormat});
            }
            entries.sort((a, b) -> Long.compare(a[0], b[0]));
            final long ifdAt = out.size();
            ifdOffsets.add(ifdAt);
            patches.add(new long[] {prevNextPointer, ifdAt});
            final ByteBuffer ifd = buf((big ? 8 : 2) + entries.size() * entrySize + (big ? 8 : 4));
            if (big) {
                ifd.putLong(entries.size());
            } else {
                ifd.putShort((short) entries.size());
            }
            for (final long[] e : entries) {
                ifd.putShort((short) e[0]).putShort((short) e[1]);
                if (big) {
                    ifd.putLong(e[2]);
                } else {
                    ifd.putInt((int) e[2]);
                }
                final boolean inline = e[0] != 270 && !(e[2] > 1 && (e[0] == 273 || e[0] == 279 || e[0] == 324
                        || e[0] == 325) && offArray >= 0);
                if (inline && e[1] == 3) {
                    ifd.putShort((short) e[3]).putShort((short) 0);
                    if (big) {
                        ifd.putInt(0);
                    }
                } else if (inline && e[1] == 4 && big) {
                    ifd.putInt((int) e[3]).putInt(0);
                } else if (big) {
                    ifd.putLong(e[3]);
                } else {
                    ifd.putInt((int) e[3]);
                }
            }
            prevNextPointer = ifdAt + (big ? 8 : 2) + (long) entries.size() * entrySize;
            if (big) {
                ifd.putLong(0);
            } else {
                ifd.putInt(0);
            }
            write(ifd);
        }
        file0 = out.toByteArray();
        final ByteBuffer f = ByteBuffer.wrap(file0).order(order);
        for (final long[] p : patches) {
            if (big) {
                f.putLong((int) p[0], p[1]);
            } else {
                f.putInt((int) p[0], (int) p[1]);
            }
        }
        return file0;
    }

    private void sample(final ByteBuffer t, final short v, final int bps) {
        if (bps == 1) {
            t.put((byte) v);
        } else {
            t.putShort(v);
        }
    }

    private ByteBuffer longs(final long[] v) {
        final ByteBuffer b = buf(v.length * (big ? 8 : 4));
        for (final long x : v) {
            if (big) {
                b.putLong(x);
            } else {
                b.putInt((int) x);
            }
        }
        return b;
    }

    private ByteBuffer buf(final int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    private void write(final ByteBuffer b) {
        out.write(b.array(), 0, b.capacity());
    }

    private void align() {
        while (out.size() % 8 != 0) {
            out.write(0);
        }
    }

    /** A deterministic test page whose values fit the given bits and signedness. */
    static short[] pattern(final int width, final int height, final int seed, final int bits, final boolean signed) {
        final short[] p = new short[width * height];
        for (int i = 0; i < p.length; i++) {
            final int v = (i * 7919 + seed * 104729) & 0x7FFF;
            if (bits == 8) {
                p[i] = (short) (signed ? (byte) v : v & 0xFF);
            } else {
                p[i] = (short) (signed ? v - 16384 : v);
            }
        }
        return p;
    }
}
