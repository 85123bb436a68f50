package org.beadstream.acquisition.tiff;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.beadstream.acquisition.frame.FrameSlot;

/**
 * The pages of one or more TIFF files read as one sequence, as a recording split over files
 * ({@code name_00001.tif, name_00002.tif, ...}, or ScanImage's {@code name_00001_00001.tif, name_00001_00002.tif}).
 * Every page of every file must have the same width and height; a file that differs is rejected at open with its
 * name and page.
 *
 * <p>Thread-safety: as {@link TiffReader}: queries from any thread, pixel reads from one thread at a time.
 */
public final class TiffStack implements AutoCloseable {

    private static final Pattern NUMBERED = Pattern.compile("^(.*?)[_-](\\d+)(\\.[^.]+)$");

    private final TiffReader[] readers;
    private final long[] firstPage;
    private final long pageCount;
    private final int width;
    private final int height;

    private TiffStack(final TiffReader[] readers) {
        this.readers = readers;
        this.firstPage = new long[readers.length + 1];
        for (int i = 0; i < readers.length; i++) {
            firstPage[i + 1] = firstPage[i] + readers[i].pageCount();
        }
        this.pageCount = firstPage[readers.length];
        this.width = readers[0].page(0).width();
        this.height = readers[0].page(0).height();
    }

    /** A short name for a recording's files, for messages: the first file, and how many follow it. */
    public static String describe(final List<Path> files) {
        return files.get(0) + (files.size() > 1 ? " (+" + (files.size() - 1) + " files)" : "");
    }

    /**
     * Opens {@code files} in the given order and checks that every page has the size of the first.
     *
     * @throws TiffFormatException naming the file and page of the first problem
     */
    public static TiffStack open(final List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no TIFF files given");
        }
        final TiffReader[] readers = new TiffReader[files.size()];
        try {
            for (int i = 0; i < readers.length; i++) {
                readers[i] = TiffReader.open(files.get(i));
            }
            final TiffPage ref = readers[0].page(0);
            for (final TiffReader r : readers) {
                for (int p = 0; p < r.pageCount(); p++) {
                    final TiffPage pg = r.page(p);
                    if (pg.width() != ref.width() || pg.height() != ref.height()) {
                        throw new TiffFormatException(r.file(), p, "page of " + pg.width() + " x " + pg.height()
                                + " differs from the " + ref.width() + " x " + ref.height() + " pages of "
                                + readers[0].file().getFileName() + " (inconsistent page sizes)");
                    }
                }
            }
            return new TiffStack(readers);
        } catch (RuntimeException e) {
            for (final TiffReader r : readers) {
                if (r != null) {
                    r.close();
                }
            }
            throw e;
        }
    }

    /** Opens the whole recording {@code anyFile} belongs to (see {@link #recordingFiles(Path)}). */
    public static TiffStack openRecording(final Path anyFile) {
        return open(recordingFiles(anyFile));
    }

    /**
     * The files of the recording {@code file} belongs to, in acquisition order: its siblings whose names differ only
     * in the last {@code _NNNNN} (or {@code -NNNNN}) number, sorted by that number. A file without such a number is a
     * recording alone.
     */
    public static List<Path> recordingFiles(final Path file) {
        final Path name = file.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("not a file: " + file);
        }
        final Matcher m = NUMBERED.matcher(name.toString());
        if (!m.matches() || !Files.isRegularFile(file)) {
            return List.of(file);
        }
        final String prefix = m.group(1);
        final String ext = m.group(3);
        final Path dir = file.toAbsolutePath().getParent();
        final List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                final Matcher q = NUMBERED.matcher(p.getFileName().toString());
                if (q.matches() && q.group(1).equals(prefix) && q.group(3).equalsIgnoreCase(ext)
                        && Files.isRegularFile(p)) {
                    out.add(p);
                }
            });
        } catch (IOException e) {
            throw new TiffFormatException(file, TiffFormatException.NO_PAGE, "cannot list the recording's folder "
                    + dir + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((Path p) -> number(p)).thenComparing(Path::toString));
        return out;
    }

    private static java.math.BigInteger number(final Path p) {
        final Matcher q = NUMBERED.matcher(p.getFileName().toString());
        return q.matches() ? new java.math.BigInteger(q.group(2)) : java.math.BigInteger.ZERO;
    }

    /** Pages in all files. */
    public long pageCount() {
        return pageCount;
    }

    /** Page width in pixels. */
    public int width() {
        return width;
    }

    /** Page height in lines. */
    public int height() {
        return height;
    }

    /** Number of files. */
    public int fileCount() {
        return readers.length;
    }

    /** The reader of file {@code i}. */
    public TiffReader reader(final int i) {
        return readers[i];
    }

    /** The files, in order. */
    public List<Path> files() {
        return Arrays.stream(readers).map(TiffReader::file).toList();
    }

    /** Index of the file holding global page {@code page}. */
    public int fileIndexOf(final long page) {
        if (page < 0 || page >= pageCount) {
            throw new IndexOutOfBoundsException("page " + page + " does not exist (" + pageCount + " pages)");
        }
        int lo = 0;
        int hi = readers.length - 1;
        while (lo < hi) {
            final int mid = (lo + hi + 1) >>> 1;
            if (firstPage[mid] <= page) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Page number of global page {@code page} within its file. */
    public int localPage(final long page) {
        return (int) (page - firstPage[fileIndexOf(page)]);
    }

    /** Global page number of the first page of file {@code i}. */
    public long firstPageOf(final int i) {
        return firstPage[i];
    }

    /** Reads global page {@code page} into {@code slot} (shape and pixels; header untouched). Allocation-free. */
    public void readPage(final long page, final FrameSlot slot) {
        final int f = fileIndexOf(page);
        readers[f].readPage((int) (page - firstPage[f]), slot);
    }

    /** Reads global page {@code page} into {@code dst} from index 0. Allocation-free. */
    public void readPage(final long page, final ByteBuffer dst) {
        final int f = fileIndexOf(page);
        readers[f].readPage((int) (page - firstPage[f]), dst);
    }

    /** Text tag {@code tag} of global page {@code page}, see {@link TiffReader#text(int, int)}. */
    public String text(final long page, final int tag) {
        final int f = fileIndexOf(page);
        return readers[f].text((int) (page - firstPage[f]), tag);
    }

    /** Reads text tag {@code tag} of global page {@code page} into {@code dst}; see {@link TiffReader#readText}. */
    public int readText(final long page, final int tag, final ByteBuffer dst) {
        final int f = fileIndexOf(page);
        return readers[f].readText((int) (page - firstPage[f]), tag, dst);
    }

    /** Pixels saturated so far over all files (see {@link TiffReader#saturatedPixels()}). */
    public long saturatedPixels() {
        long s = 0;
        for (final TiffReader r : readers) {
            s += r.saturatedPixels();
        }
        return s;
    }

    /** Closes every file. Idempotent. */
    @Override
    public void close() {
        for (final TiffReader r : readers) {
            r.close();
        }
    }
}
