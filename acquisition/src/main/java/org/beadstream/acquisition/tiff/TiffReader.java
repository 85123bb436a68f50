package org.beadstream.acquisition.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.beadstream.acquisition.frame.FrameGeometry;
import org.beadstream.acquisition.frame.FrameSlot;

/**
 * Reads one classic TIFF or BigTIFF file (little or big endian) of uncompressed 8/16-bit single-sample pages, in strips
 * or tiles. Every IFD is read once at {@link #open(Path)} (with loop detection and bounds checks on every offset), so
 * reading a page is one positional {@link FileChannel} read straight into the destination (one per strip or tile when
 * they are not contiguous), followed by an in-place conversion to int16 little-endian when the file's samples are not
 * already that. Reading a page allocates nothing.
 *
 * <p>Output samples are int16 little-endian, row-major: see {@link PixelType} for how other types map.
 *
 * <p>Thread-safety: the page index and {@link #page(int)} are immutable and may be read from any thread; the read
 * methods share a tile scratch buffer and conversion counters, so one thread at a time reads pixels.
 */
public final class TiffReader implements AutoCloseable {

    /** TIFF tag numbers we use. */
    static final int TAG_NEW_SUBFILE_TYPE = 254;
    static final int TAG_WIDTH = 256;
    static final int TAG_HEIGHT = 257;
    static final int TAG_BITS_PER_SAMPLE = 258;
    static final int TAG_COMPRESSION = 259;
    static final int TAG_PHOTOMETRIC = 262;
    static final int TAG_DESCRIPTION = 270;
    static final int TAG_STRIP_OFFSETS = 273;
    static final int TAG_SAMPLES_PER_PIXEL = 277;
    static final int TAG_ROWS_PER_STRIP = 278;
    static final int TAG_STRIP_BYTE_COUNTS = 279;
    static final int TAG_PLANAR_CONFIG = 284;
    static final int TAG_SOFTWARE = 305;
    static final int TAG_ARTIST = 315;
    static final int TAG_TILE_WIDTH = 322;
    static final int TAG_TILE_LENGTH = 323;
    static final int TAG_TILE_OFFSETS = 324;
    static final int TAG_TILE_BYTE_COUNTS = 325;
    static final int TAG_SAMPLE_FORMAT = 339;

    /** ImageDescription tag. */
    public static final int DESCRIPTION = TAG_DESCRIPTION;
    /** Software tag (the ScanImage 2016+ SI.* header). */
    public static final int SOFTWARE = TAG_SOFTWARE;
    /** Artist tag (the ScanImage 2016+ ROI JSON). */
    public static final int ARTIST = TAG_ARTIST;

    /** Most entries we accept in one IFD (real files have 10-30). */
    static final int MAX_IFD_ENTRIES = 4096;
    /** Longest text tag we read, in bytes (ScanImage headers are about 20-100 KiB). */
    public static final int MAX_TEXT_BYTES = 16 << 20;
    /** Most strips or tiles in one page. */
    static final int MAX_SEGMENTS = 1 << 20;
    /** Most pages indexed in one file (a 10 GB ScanImage file of config-A pages has about 14,000). */
    public static final int MAX_PAGES = 1 << 24;

    private static final int[] TYPE_SIZES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4, 0, 0, 8, 8, 8};

    private final Path file;
    private final FileChannel channel;
    private final long fileSize;
    private final ByteOrder order;
    private final boolean bigTiff;
    private final List<TiffPage> pages;
    private final ByteBuffer tileScratch;
    private final UnsafeBuffer tileView;
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private long saturatedPixels;
    private boolean closed;

    private TiffReader(final Path file, final FileChannel channel, final long fileSize, final ByteOrder order,
            final boolean bigTiff, final List<TiffPage> pages, final int maxTileBytes) {
        this.file = file;
        this.channel = channel;
        this.fileSize = fileSize;
        this.order = order;
        this.bigTiff = bigTiff;
        this.pages = Collections.unmodifiableList(pages);
        this.tileScratch = maxTileBytes > 0 ? ByteBuffer.allocateDirect(maxTileBytes) : null;
        this.tileView = tileScratch != null ? new UnsafeBuffer(tileScratch) : null;
    }

    /**
     * Opens {@code file} and indexes all its pages.
     *
     * @throws TiffFormatException if the file is missing, unreadable, not a TIFF, corrupt, or has a page we cannot read
     */
    public static TiffReader open(final Path file) {
        final FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE, "no such file");
        } catch (IOException | RuntimeException e) {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE, "cannot open: " + e.getMessage(), e);
        }
        try {
            return index(file, ch);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE, "read error: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(final FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to say than the original failure
        }
    }

    // ------------------------------------------------------------------------------------------------ indexing

    private static TiffReader index(final Path file, final FileChannel ch) throws IOException {
        final long size = ch.size();
        if (size < 8) {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE,
                    "not a TIFF file: only " + size + " bytes, shorter than a TIFF header");
        }
        final ByteBuffer head = ByteBuffer.allocate(16);
        readFully(file, ch, head, 0, (int) Math.min(16, size), TiffFormatException.NO_PAGE, "header");
        final ByteOrder order;
        if (head.get(0) == 'I' && head.get(1) == 'I') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (head.get(0) == 'M' && head.get(1) == 'M') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE,
                    "not a TIFF file: does not start with II or MM");
        }
        head.order(order);
        final int magic = head.getShort(2) & 0xFFFF;
        final boolean big;
        long first;
        if (magic == 42) {
            big = false;
            first = head.getInt(4) & 0xFFFFFFFFL;
        } else if (magic == 43) {
            big = true;
            if (size < 16) {
                throw new TiffFormatException(file, TiffFormatException.NO_PAGE,
                        "truncated BigTIFF header: " + size + " bytes");
            }
            if (head.getShort(4) != 8 || head.getShort(6) != 0) {
                throw new TiffFormatException(file, TiffFormatException.NO_PAGE,
                        "BigTIFF header declares offsets of " + head.getShort(4) + " bytes; only 8 is defined");
            }
            first = head.getLong(8);
        } else {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE,
                    "not a TIFF file: version " + magic + " (42 is TIFF, 43 BigTIFF)");
        }
        final Indexer ix = new Indexer(file, ch, size, order, big);
        final List<TiffPage> pages = new ArrayList<>();
        final Set<Long> seen = new HashSet<>();
        long offset = first;
        while (offset != 0) {
            final int pageNo = pages.size();
            if (pageNo >= MAX_PAGES) {
                throw new TiffFormatException(file, pageNo, "more than " + MAX_PAGES
                        + " pages in one file; split the recording into files");
            }
            if (!seen.add(offset)) {
                throw new TiffFormatException(file, pageNo,
                        "IFD offset " + offset + " was already visited: the IFD chain loops");
            }
            offset = ix.readIfd(pageNo, offset, pages);
        }
        if (pages.isEmpty()) {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE, "the file holds no image (no IFD)");
        }
        return new TiffReader(file, ch, size, order, big, pages, ix.maxTileBytes);
    }

    /** Parses IFDs; lives only during {@link #open}. */
    private static final class Indexer {
        final Path file;
        final FileChannel ch;
        final long size;
        final ByteOrder order;
        final boolean big;
        final int entrySize;
        ByteBuffer buf = ByteBuffer.allocate(4096);
        int maxTileBytes;

        Indexer(final Path file, final FileChannel ch, final long size, final ByteOrder order, final boolean big) {
            this.file = file;
            this.ch = ch;
            this.size = size;
            this.order = order;
            this.big = big;
            this.entrySize = big ? 20 : 12;
        }

        ByteBuffer read(final int page, final long at, final int length, final String what) throws IOException {
            if (at < 0 || at > size || length > size - at) {
                throw new TiffFormatException(file, page, what + " at byte " + at + " (" + length
                        + " bytes) lies past the end of the file (" + size + " bytes)");
            }
            if (buf.capacity() < length) {
                buf = ByteBuffer.allocate(length);
            }
            buf.clear().order(order);
            readFully(file, ch, buf, at, length, page, what);
            return buf;
        }

        /** Reads the IFD at {@code at}, adds its page, and returns the next IFD's offset (0 at the end). */
        long readIfd(final int page, final long at, final List<TiffPage> pages) throws IOException {
            final int countSize = big ? 8 : 2;
            ByteBuffer b = read(page, at, countSize, "IFD");
            final long count = big ? b.getLong(0) : b.getShort(0) & 0xFFFF;
            if (count < 1 || count > MAX_IFD_ENTRIES) {
                throw new TiffFormatException(file, page, "IFD at byte " + at + " declares "
                        + Long.toUnsignedString(count)
                        + " entries (expected 1.." + MAX_IFD_ENTRIES + ")");
            }
            final int n = (int) count;
            final int tableBytes = n * entrySize + (big ? 8 : 4);
            b = read(page, at + countSize, tableBytes, "IFD of " + n + " entries");
            final byte[] table = new byte[tableBytes];
            b.get(0, table);
            final ByteBuffer t = ByteBuffer.wrap(table).order(order);
            final long next = big ? t.getLong(n * entrySize) : t.getInt(n * entrySize) & 0xFFFFFFFFL;
            if (next < 0 || next > size - (big ? 8 : 2)) {
                throw new TiffFormatException(file, page, "offset of the next IFD (" + next
                        + ") lies past the end of the file (" + size + " bytes)");
            }
            long width = -1;
            long height = -1;
            int bits = 1;
            int compression = 1;
            int samples = 1;
            int sampleFormat = 1;
            int planar = 1;
            long rowsPerStrip = -1;
            long tileW = 0;
            long tileH = 0;
            long[] offsets = null;
            long[] counts = null;
            boolean tileOffsets = false;
            boolean tileCounts = false;
            final long[] textOffsets = new long[3];
            final int[] textLengths = new int[3];
            for (int i = 0; i < n; i++) {
                final int e = i * entrySize;
                final int tag = t.getShort(e) & 0xFFFF;
                final int type = t.getShort(e + 2) & 0xFFFF;
                final long cnt = big ? t.getLong(e + 4) : t.getInt(e + 4) & 0xFFFFFFFFL;
                final int valuePos = e + (big ? 12 : 8);
                final long valueFilePos = at + countSize + valuePos;
                switch (tag) {
                    case TAG_WIDTH -> width = scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_HEIGHT -> height = scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_BITS_PER_SAMPLE -> bits = (int) firstOf(page, t, tag, type, cnt, valuePos, valueFilePos);
                    case TAG_COMPRESSION -> compression = (int) scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_SAMPLES_PER_PIXEL -> samples = (int) scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_SAMPLE_FORMAT -> sampleFormat = (int) firstOf(page, t, tag, type, cnt, valuePos,
                            valueFilePos);
                    case TAG_PLANAR_CONFIG -> planar = (int) scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_ROWS_PER_STRIP -> rowsPerStrip = scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_TILE_WIDTH -> tileW = scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_TILE_LENGTH -> tileH = scalar(page, t, tag, type, cnt, valuePos);
                    case TAG_STRIP_OFFSETS, TAG_TILE_OFFSETS -> {
                        offsets = array(page, t, tag, type, cnt, valuePos, valueFilePos);
                        tileOffsets = tag == TAG_TILE_OFFSETS;
                    }
                    case TAG_STRIP_BYTE_COUNTS, TAG_TILE_BYTE_COUNTS -> {
                        counts = array(page, t, tag, type, cnt, valuePos, valueFilePos);
                        tileCounts = tag == TAG_TILE_BYTE_COUNTS;
                    }
                    case TAG_DESCRIPTION, TAG_SOFTWARE, TAG_ARTIST -> {
                        final int slot = textSlot(tag);
                        if (type != 2 && type != 1 && type != 7) {
                            throw new TiffFormatException(file, page, "tag " + tagName(tag) + " has type " + type
                                    + ", expected ASCII (2)");
                        }
                        if (cnt < 0 || cnt > MAX_TEXT_BYTES) {
                            throw new TiffFormatException(file, page, "tag " + tagName(tag) + " declares "
                                    + Long.toUnsignedString(cnt) + " bytes, more than the limit of " + MAX_TEXT_BYTES);
                        }
                        final long pos = cnt <= (big ? 8 : 4) ? valueFilePos : offsetValue(t, valuePos);
                        if (pos < 0 || pos > size || cnt > size - pos) {
                            throw new TiffFormatException(file, page, "tag " + tagName(tag) + " (" + cnt
                                    + " bytes at byte " + pos + ") lies past the end of the file (" + size
                                    + " bytes)");
                        }
                        textOffsets[slot] = pos;
                        textLengths[slot] = (int) cnt;
                    }
                    default -> {
                        // tags we do not need (resolution, orientation, date...) are skipped
                    }
                }
            }
            pages.add(buildPage(page, width, height, bits, compression, samples, sampleFormat, planar, rowsPerStrip,
                    tileW, tileH, offsets, counts, tileOffsets, tileCounts, textOffsets, textLengths));
            return next;
        }

        private TiffPage buildPage(final int page, final long width, final long height, final int bits,
                final int compression, final int samples, final int sampleFormat, final int planar,
                final long rowsPerStripIn, final long tileW, final long tileH, final long[] offsets,
                final long[] counts, final boolean tileOffsets, final boolean tileCounts, final long[] textOffsets,
                final int[] textLengths) {
            if (width < 1 || height < 1) {
                throw new TiffFormatException(file, page, width < 0 || height < 0
                        ? "missing ImageWidth or ImageLength tag" : "empty image of " + width + " x " + height);
            }
            if (width > FrameGeometry.MAX_PIXELS_PER_PAGE || height > FrameGeometry.MAX_PIXELS_PER_PAGE
                    || width * height > FrameGeometry.MAX_PIXELS_PER_PAGE) {
                throw new TiffFormatException(file, page, "page of " + width + " x " + height
                        + " pixels exceeds the limit of " + FrameGeometry.MAX_PIXELS_PER_PAGE + " pixels");
            }
            if (compression != 1) {
                throw new TiffFormatException(file, page, "compressed pages are not supported (Compression = "
                        + compression + " " + compressionName(compression) + "; only 1, uncompressed)");
            }
            if (samples != 1) {
                throw new TiffFormatException(file, page, "unsupported: " + samples
                        + " samples per pixel (only single-channel grey pages)");
            }
            if (planar != 1 && planar != 2) {
                throw new TiffFormatException(file, page, "invalid PlanarConfiguration " + planar);
            }
            final Optional<PixelType> type = PixelType.of(bits, sampleFormat);
            if (type.isEmpty()) {
                throw new TiffFormatException(file, page, "unsupported sample type: " + bits
                        + " bits, SampleFormat " + sampleFormat + " (only 8 or 16-bit integers)");
            }
            if (offsets == null || counts == null) {
                throw new TiffFormatException(file, page, "missing " + (offsets == null ? "StripOffsets/TileOffsets"
                        : "StripByteCounts/TileByteCounts") + " tag");
            }
            if (tileOffsets != tileCounts) {
                throw new TiffFormatException(file, page, "mixes strip and tile tags");
            }
            if (offsets.length != counts.length) {
                throw new TiffFormatException(file, page, offsets.length + " strip/tile offsets but " + counts.length
                        + " byte counts");
            }
            final int bps = type.get().bytes();
            final int w = (int) width;
            final int h = (int) height;
            int rowsPerStrip = 0;
            int tw = 0;
            int th = 0;
            final long expectedSegments;
            final long segBytes;
            if (tileOffsets) {
                if (tileW < 1 || tileH < 1 || tileW > (1 << 16) || tileH > (1 << 16)
                        || tileW * tileH * bps > FrameGeometry.MAX_PIXELS_PER_PAGE) {
                    throw new TiffFormatException(file, page, "invalid tile size " + tileW + " x " + tileH);
                }
                tw = (int) tileW;
                th = (int) tileH;
                expectedSegments = ((w + tileW - 1) / tileW) * ((h + tileH - 1) / tileH);
                segBytes = tileW * tileH * bps;
                maxTileBytes = (int) Math.max(maxTileBytes, segBytes);
            } else {
                rowsPerStrip = (int) (rowsPerStripIn < 1 || rowsPerStripIn > h ? h : rowsPerStripIn);
                expectedSegments = (h + rowsPerStrip - 1) / rowsPerStrip;
                segBytes = -1;
            }
            if (offsets.length != expectedSegments) {
                throw new TiffFormatException(file, page, "has " + offsets.length + (tileOffsets ? " tiles" : " strips")
                        + " but a " + w + " x " + h + " page needs " + expectedSegments);
            }
            boolean contiguous = true;
            long expectNext = offsets[0];
            for (int s = 0; s < offsets.length; s++) {
                final long need = segBytes > 0 ? segBytes
                        : (long) Math.min(rowsPerStrip, h - s * rowsPerStrip) * w * bps;
                if (counts[s] < need) {
                    throw new TiffFormatException(file, page, (tileOffsets ? "tile " : "strip ") + s + " declares "
                            + counts[s] + " bytes but needs " + need + " (truncated or compressed data)");
                }
                if (offsets[s] < 0 || offsets[s] > size || need > size - offsets[s]) {
                    throw new TiffFormatException(file, page, (tileOffsets ? "tile " : "strip ") + s
                            + " ends at byte " + (offsets[s] + need) + ", past the end of the file (" + size
                            + " bytes)");
                }
                contiguous &= offsets[s] == expectNext;
                expectNext = offsets[s] + need;
            }
            final long contiguousOffset = !tileOffsets && contiguous ? offsets[0] : -1;
            return new TiffPage(page, w, h, type.get(), rowsPerStrip, tw, th, offsets, counts, contiguousOffset,
                    textOffsets, textLengths);
        }

        private long offsetValue(final ByteBuffer t, final int valuePos) {
            return big ? t.getLong(valuePos) : t.getInt(valuePos) & 0xFFFFFFFFL;
        }

        private int typeSize(final int page, final int tag, final int type) {
            if (type < 1 || type >= TYPE_SIZES.length || TYPE_SIZES[type] == 0) {
                throw new TiffFormatException(file, page, "tag " + tagName(tag) + " has unknown type " + type);
            }
            return TYPE_SIZES[type];
        }

        private long scalar(final int page, final ByteBuffer t, final int tag, final int type, final long cnt,
                final int valuePos) {
            if (cnt != 1) {
                throw new TiffFormatException(file, page, "tag " + tagName(tag) + " has " + Long.toUnsignedString(cnt)
                        + " values, expected 1");
            }
            return integerAt(page, t, tag, type, valuePos);
        }

        private long integerAt(final int page, final ByteBuffer t, final int tag, final int type, final int pos) {
            return switch (type) {
                case 1, 7 -> t.get(pos) & 0xFF;
                case 3 -> t.getShort(pos) & 0xFFFF;
                case 4, 13 -> t.getInt(pos) & 0xFFFFFFFFL;
                case 16, 18 -> {
                    final long v = t.getLong(pos);
                    if (v < 0) {
                        throw new TiffFormatException(file, page, "tag " + tagName(tag) + " value "
                                + Long.toUnsignedString(v) + " is out of range");
                    }
                    yield v;
                }
                default -> throw new TiffFormatException(file, page, "tag " + tagName(tag)
                        + " must be an unsigned integer, has type " + type);
            };
        }

        private long firstOf(final int page, final ByteBuffer t, final int tag, final int type, final long cnt,
                final int valuePos, final long valueFilePos) throws IOException {
            if (cnt < 1) {
                throw new TiffFormatException(file, page, "tag " + tagName(tag) + " has no value");
            }
            final long[] all = array(page, t, tag, type, Math.min(cnt, 16), cnt, valuePos, valueFilePos);
            return all[0];
        }

        private long[] array(final int page, final ByteBuffer t, final int tag, final int type, final long cnt,
                final int valuePos, final long valueFilePos) throws IOException {
            return array(page, t, tag, type, cnt, cnt, valuePos, valueFilePos);
        }

        private long[] array(final int page, final ByteBuffer t, final int tag, final int type, final long want,
                final long declared, final int valuePos, final long valueFilePos) throws IOException {
            final int ts = typeSize(page, tag, type);
            if (declared < 1 || declared > MAX_SEGMENTS) {
                throw new TiffFormatException(file, page, "tag " + tagName(tag) + " declares "
                        + Long.toUnsignedString(declared) + " values (expected 1.." + MAX_SEGMENTS + ")");
            }
            final long bytes = declared * ts;
            final int n = (int) want;
            final long[] out = new long[n];
            if (bytes <= (big ? 8 : 4)) {
                for (int i = 0; i < n; i++) {
                    out[i] = integerAt(page, t, tag, type, valuePos + i * ts);
                }
                return out;
            }
            final long at = offsetValue(t, valuePos);
            final ByteBuffer b = read(page, at, (int) bytes, "values of tag " + tagName(tag));
            for (int i = 0; i < n; i++) {
                out[i] = integerAt(page, b, tag, type, i * ts);
            }
            return out;
        }
    }

    static int textSlot(final int tag) {
        return switch (tag) {
            case TAG_DESCRIPTION -> 0;
            case TAG_SOFTWARE -> 1;
            case TAG_ARTIST -> 2;
            default -> -1;
        };
    }

    static String tagName(final int tag) {
        return switch (tag) {
            case TAG_WIDTH -> "ImageWidth (256)";
            case TAG_HEIGHT -> "ImageLength (257)";
            case TAG_BITS_PER_SAMPLE -> "BitsPerSample (258)";
            case TAG_COMPRESSION -> "Compression (259)";
            case TAG_DESCRIPTION -> "ImageDescription (270)";
            case TAG_STRIP_OFFSETS -> "StripOffsets (273)";
            case TAG_SAMPLES_PER_PIXEL -> "SamplesPerPixel (277)";
            case TAG_ROWS_PER_STRIP -> "RowsPerStrip (278)";
            case TAG_STRIP_BYTE_COUNTS -> "StripByteCounts (279)";
            case TAG_PLANAR_CONFIG -> "PlanarConfiguration (284)";
            case TAG_SOFTWARE -> "Software (305)";
            case TAG_ARTIST -> "Artist (315)";
            case TAG_TILE_WIDTH -> "TileWidth (322)";
            case TAG_TILE_LENGTH -> "TileLength (323)";
            case TAG_TILE_OFFSETS -> "TileOffsets (324)";
            case TAG_TILE_BYTE_COUNTS -> "TileByteCounts (325)";
            case TAG_SAMPLE_FORMAT -> "SampleFormat (339)";
            default -> String.valueOf(tag);
        };
    }

    private static String compressionName(final int c) {
        return switch (c) {
            case 5 -> "(LZW)";
            case 7 -> "(JPEG)";
            case 8, 32946 -> "(Deflate)";
            case 32773 -> "(PackBits)";
            case 50000 -> "(Zstd)";
            default -> "";
        };
    }

    private static void readFully(final Path file, final FileChannel ch, final ByteBuffer dst, final long at,
            final int length, final long page, final String what) throws IOException {
        readFully(file, ch, dst, at, length, page, what, -1);
    }

    /** Reads exactly {@code length} bytes; the message names {@code what} (and text tag {@code tag} if >= 0). */
    private static void readFully(final Path file, final FileChannel ch, final ByteBuffer dst, final long at,
            final int length, final long page, final String what, final int tag) throws IOException {
        dst.clear().limit(length);
        long pos = at;
        while (dst.hasRemaining()) {
            final int r = ch.read(dst, pos);
            if (r < 0) {
                throw new TiffFormatException(file, page, "file ends while reading the " + what
                        + (tag >= 0 ? tagName(tag) : "") + " at byte " + pos);
            }
            pos += r;
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** The file this reader reads. */
    public Path file() {
        return file;
    }

    /** Number of pages (IFDs) in the file. */
    public int pageCount() {
        return pages.size();
    }

    /** Page {@code i}'s layout. */
    public TiffPage page(final int i) {
        if (i < 0 || i >= pages.size()) {
            throw new IndexOutOfBoundsException(file + ": page " + i + " does not exist (" + pages.size() + " pages)");
        }
        return pages.get(i);
    }

    /** Whether the file is a BigTIFF (64-bit offsets). */
    public boolean isBigTiff() {
        return bigTiff;
    }

    /** The file's byte order. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** The file's size in bytes at open. */
    public long fileSize() {
        return fileSize;
    }

    /**
     * Pixels of unsigned 16-bit pages that exceeded 32767 and were saturated, counted over every read so far. Stays 0
     * for signed data and for the 12- to 14-bit ADC data microscopes write.
     */
    public long saturatedPixels() {
        return saturatedPixels;
    }

    /**
     * Text of tag {@code tag} (use {@link #DESCRIPTION}, {@link #SOFTWARE}, {@link #ARTIST}) of page {@code page},
     * decoded as UTF-8 up to the first NUL; empty if the page lacks it. Allocates: metadata only, not per frame.
     */
    public String text(final int page, final int tag) {
        final TiffPage p = page(page);
        final int slot = textSlot(tag);
        if (slot < 0) {
            throw new IllegalArgumentException("tag " + tag + " is not a text tag we index (270, 305, 315)");
        }
        final int len = p.textLength(slot);
        if (len == 0) {
            return "";
        }
        final ByteBuffer b = ByteBuffer.allocate(len);
        try {
            readFully(file, channel, b, p.textOffset(slot), len, page, "tag ", tag);
        } catch (IOException e) {
            throw new TiffFormatException(file, page, "read error in tag " + tagName(tag) + ": " + e.getMessage(), e);
        }
        int end = 0;
        while (end < len && b.get(end) != 0) {
            end++;
        }
        return new String(b.array(), 0, end, StandardCharsets.UTF_8);
    }

    /**
     * Reads the text tag {@code tag} of page {@code page} into {@code dst} (from position 0, up to its capacity) and
     * returns the number of bytes read, stopping at the first NUL. Allocation-free, for per-frame descriptions.
     */
    public int readText(final int page, final int tag, final ByteBuffer dst) {
        final TiffPage p = page(page);
        final int slot = textSlot(tag);
        if (slot < 0) {
            throw new IllegalArgumentException("tag " + tag + " is not a text tag we index (270, 305, 315)");
        }
        final int len = Math.min(p.textLength(slot), dst.capacity());
        if (len == 0) {
            return 0;
        }
        try {
            readFully(file, channel, dst, p.textOffset(slot), len, page, "tag ", tag);
        } catch (IOException e) {
            throw new TiffFormatException(file, page, "read error in tag " + tagName(tag) + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < len; i++) {
            if (dst.get(i) == 0) {
                return i;
            }
        }
        return len;
    }

    // ------------------------------------------------------------------------------------------------ pixels

    /**
     * Reads page {@code page} into {@code slot}: sets its shape to the page's and fills it with int16 little-endian
     * pixels. Does not touch the slot's header. Allocation-free.
     *
     * @throws IllegalArgumentException if the page does not fit the slot
     * @throws TiffFormatException      on I/O errors or a file that shrank since open
     */
    public void readPage(final int page, final FrameSlot slot) {
        final TiffPage p = page(page);
        if ((long) p.width() * p.height() * 2 > slot.capacityBytes()) {
            throw new IllegalArgumentException(file + ": page " + page + " of " + p.width() + " x " + p.height()
                    + " int16 pixels does not fit a slot of " + slot.capacityBytes() + " bytes");
        }
        slot.setShape(p.width(), p.height());
        readPage(page, slot.byteBuffer());
    }

    /**
     * Reads page {@code page} as int16 little-endian pixels into {@code dst} from index 0 (absolute; the buffer's
     * position, limit and byte order are left as they were). {@code dst} may be direct (fastest) or heap.
     * Allocation-free.
     *
     * @throws IllegalArgumentException if {@code dst} holds fewer than width x height x 2 bytes
     */
    public void readPage(final int page, final ByteBuffer dst) {
        final TiffPage p = page(page);
        if (closed) {
            throw new IllegalStateException(file + ": reader is closed");
        }
        final int n = p.width() * p.height();
        final int outBytes = n * 2;
        if (dst.capacity() < outBytes) {
            throw new IllegalArgumentException(file + ": page " + page + " needs " + outBytes
                    + " bytes but the buffer holds " + dst.capacity());
        }
        final int oldPos = dst.position();
        final int oldLimit = dst.limit();
        final PixelType type = p.pixelType();
        final int bps = type.bytes();
        final int rawAt = bps == 1 ? n : 0;
        try {
            if (p.contiguousOffset() >= 0) {
                readInto(dst, rawAt, (int) p.pixelBytes(), p.contiguousOffset(), page);
            } else if (!p.tiled()) {
                final int rowBytes = p.width() * bps;
                for (int s = 0; s < p.segmentCount(); s++) {
                    final int rows = Math.min(p.rowsPerStrip(), p.height() - s * p.rowsPerStrip());
                    readInto(dst, rawAt + s * p.rowsPerStrip() * rowBytes, rows * rowBytes, p.segmentOffset(s), page);
                }
            } else {
                readTiles(p, dst, rawAt, page);
            }
        } finally {
            dst.limit(dst.capacity()).position(0);
            dst.limit(oldLimit).position(oldPos);
        }
        convert(p, dst, n);
    }

    private void readTiles(final TiffPage p, final ByteBuffer dst, final int rawAt, final int page) {
        final int bps = p.pixelType().bytes();
        final int tw = p.tileWidth();
        final int th = p.tileHeight();
        final int across = (p.width() + tw - 1) / tw;
        final int tileBytes = tw * th * bps;
        final UnsafeBuffer out = view;
        out.wrap(dst);
        final UnsafeBuffer tile = tileView;
        for (int t = 0; t < p.segmentCount(); t++) {
            readInto(tileScratch, 0, tileBytes, p.segmentOffset(t), page);
            final int x0 = (t % across) * tw;
            final int y0 = (t / across) * th;
            final int cols = Math.min(tw, p.width() - x0);
            final int rows = Math.min(th, p.height() - y0);
            for (int r = 0; r < rows; r++) {
                out.putBytes(rawAt + ((y0 + r) * p.width() + x0) * bps, tile, r * tw * bps, cols * bps);
            }
        }
    }

    private void readInto(final ByteBuffer dst, final int at, final int length, final long filePos, final int page) {
        dst.limit(dst.capacity()).position(at).limit(at + length);
        long pos = filePos;
        try {
            while (dst.hasRemaining()) {
                final int r = channel.read(dst, pos);
                if (r < 0) {
                    throw new TiffFormatException(file, page, "file ends at byte " + pos
                            + " inside the pixel data (truncated since it was opened?)");
                }
                pos += r;
            }
        } catch (IOException e) {
            throw new TiffFormatException(file, page, "read error at byte " + pos + ": " + e.getMessage(), e);
        }
    }

    /** Converts the raw samples (at 0 for 16-bit, at n for 8-bit) to int16 little-endian in place. */
    private void convert(final TiffPage p, final ByteBuffer dst, final int n) {
        final PixelType type = p.pixelType();
        final boolean little = order == ByteOrder.LITTLE_ENDIAN;
        if (type == PixelType.INT16 && little) {
            return;
        }
        final UnsafeBuffer b = view;
        b.wrap(dst);
        switch (type) {
            case INT16 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort(i << 1, Short.reverseBytes(b.getShort(i << 1)));
                }
            }
            case UINT16 -> {
                long saturated = 0;
                for (int i = 0; i < n; i++) {
                    short v = b.getShort(i << 1);
                    if (!little) {
                        v = Short.reverseBytes(v);
                    }
                    if (v < 0) {
                        v = Short.MAX_VALUE;
                        saturated++;
                    }
                    b.putShort(i << 1, v, ByteOrder.LITTLE_ENDIAN);
                }
                saturatedPixels += saturated;
            }
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort(i << 1, (short) (b.getByte(n + i) & 0xFF), ByteOrder.LITTLE_ENDIAN);
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    b.putShort(i << 1, b.getByte(n + i), ByteOrder.LITTLE_ENDIAN);
                }
            }
            default -> throw new IllegalStateException("unreachable sample type " + type);
        }
    }

    /** Closes the file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(channel);
    }

    @Override
    public String toString() {
        return "TiffReader{" + file + ", " + (bigTiff ? "BigTIFF" : "TIFF") + " " + order + ", " + pages.size()
                + " pages}";
    }
}
