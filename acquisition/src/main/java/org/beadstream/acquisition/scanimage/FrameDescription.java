package org.beadstream.acquisition.scanimage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The per-frame fields ScanImage (2015 and later) writes in each page's ImageDescription, parsed without allocating:
 *
 * <pre>
 *   frameNumbers = 1
 *   acquisitionNumbers = 1
 *   frameNumberAcquisition = 1
 *   frameTimestamps_sec = 0.000000000
 *   acqTriggerTimestamps_sec = -0.000064550
 *   ...
 * </pre>
 *
 * One instance is reused for every page: {@link #parse(ByteBuffer, int)} overwrites all fields. Fields a page lacks
 * read as {@link #ABSENT} / NaN.
 *
 * <p>Not thread-safe (mutable holder); one per reading thread.
 */
public final class FrameDescription {

    /** Value of integer fields a description lacks. */
    public static final long ABSENT = -1;

    private static final byte[] FRAME_NUMBERS = ascii("frameNumbers");
    private static final byte[] ACQUISITION_NUMBERS = ascii("acquisitionNumbers");
    private static final byte[] FRAME_NUMBER_ACQUISITION = ascii("frameNumberAcquisition");
    private static final byte[] FRAME_TIMESTAMPS = ascii("frameTimestamps_sec");
    private static final byte[] ACQ_TRIGGER_TIMESTAMPS = ascii("acqTriggerTimestamps_sec");

    private long frameNumber = ABSENT;
    private long acquisitionNumber = ABSENT;
    private long frameNumberAcquisition = ABSENT;
    private double frameTimestampSeconds = Double.NaN;
    private double acqTriggerTimestampSeconds = Double.NaN;
    private int malformedFields;

    private static byte[] ascii(final String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Parses the first {@code length} bytes of {@code text} (absolute indices from 0). Unknown lines are skipped; a
     * known key with an unparsable value leaves the field absent and counts in {@link #malformedFields()}.
     *
     * @return this
     */
    public FrameDescription parse(final ByteBuffer text, final int length) {
        frameNumber = ABSENT;
        acquisitionNumber = ABSENT;
        frameNumberAcquisition = ABSENT;
        frameTimestampSeconds = Double.NaN;
        acqTriggerTimestampSeconds = Double.NaN;
        malformedFields = 0;
        int lineStart = 0;
        final int n = Math.min(length, text.capacity());
        while (lineStart < n) {
            int lineEnd = lineStart;
            while (lineEnd < n && text.get(lineEnd) != '\n' && text.get(lineEnd) != '\r') {
                lineEnd++;
            }
            int eq = -1;
            for (int i = lineStart; i < lineEnd; i++) {
                if (text.get(i) == '=') {
                    eq = i;
                    break;
                }
            }
            if (eq > lineStart) {
                int keyEnd = eq;
                while (keyEnd > lineStart && text.get(keyEnd - 1) == ' ') {
                    keyEnd--;
                }
                if (matches(text, lineStart, keyEnd, FRAME_NUMBERS)) {
                    frameNumber = parseLong(text, eq + 1, lineEnd);
                } else if (matches(text, lineStart, keyEnd, ACQUISITION_NUMBERS)) {
                    acquisitionNumber = parseLong(text, eq + 1, lineEnd);
                } else if (matches(text, lineStart, keyEnd, FRAME_NUMBER_ACQUISITION)) {
                    frameNumberAcquisition = parseLong(text, eq + 1, lineEnd);
                } else if (matches(text, lineStart, keyEnd, FRAME_TIMESTAMPS)) {
                    frameTimestampSeconds = parseDouble(text, eq + 1, lineEnd);
                } else if (matches(text, lineStart, keyEnd, ACQ_TRIGGER_TIMESTAMPS)) {
                    acqTriggerTimestampSeconds = parseDouble(text, eq + 1, lineEnd);
                }
            }
            lineStart = lineEnd + 1;
        }
        return this;
    }

    private static boolean matches(final ByteBuffer t, final int from, final int to, final byte[] key) {
        if (to - from != key.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (t.get(from + i) != key[i]) {
                return false;
            }
        }
        return true;
    }

    private long parseLong(final ByteBuffer t, final int from, final int to) {
        int i = from;
        while (i < to && t.get(i) == ' ') {
            i++;
        }
        long v = 0;
        int digits = 0;
        while (i < to && t.get(i) >= '0' && t.get(i) <= '9' && digits < 18) {
            v = v * 10 + (t.get(i) - '0');
            i++;
            digits++;
        }
        while (i < to && t.get(i) == ' ') {
            i++;
        }
        if (digits == 0 || i != to) {
            malformedFields++;
            return ABSENT;
        }
        return v;
    }

    private double parseDouble(final ByteBuffer t, final int from, final int to) {
        int i = from;
        while (i < to && t.get(i) == ' ') {
            i++;
        }
        boolean negative = false;
        if (i < to && (t.get(i) == '-' || t.get(i) == '+')) {
            negative = t.get(i) == '-';
            i++;
        }
        long mantissa = 0;
        int scale = 0;
        int digits = 0;
        while (i < to && t.get(i) >= '0' && t.get(i) <= '9') {
            if (digits < 17) {
                mantissa = mantissa * 10 + (t.get(i) - '0');
                digits++;
            } else {
                scale++;
            }
            i++;
        }
        if (i < to && t.get(i) == '.') {
            i++;
            while (i < to && t.get(i) >= '0' && t.get(i) <= '9') {
                if (digits < 17) {
                    mantissa = mantissa * 10 + (t.get(i) - '0');
                    digits++;
                    scale--;
                }
                i++;
            }
        }
        if (i < to && (t.get(i) == 'e' || t.get(i) == 'E')) {
            i++;
            boolean expNeg = false;
            if (i < to && (t.get(i) == '-' || t.get(i) == '+')) {
                expNeg = t.get(i) == '-';
                i++;
            }
            int exp = 0;
            int expDigits = 0;
            while (i < to && t.get(i) >= '0' && t.get(i) <= '9' && expDigits < 4) {
                exp = exp * 10 + (t.get(i) - '0');
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                malformedFields++;
                return Double.NaN;
            }
            scale += expNeg ? -exp : exp;
        }
        while (i < to && t.get(i) == ' ') {
            i++;
        }
        if (digits == 0 || i != to) {
            malformedFields++;
            return Double.NaN;
        }
        final double v = scale >= 0 ? mantissa * Math.pow(10, scale) : mantissa / Math.pow(10, -scale);
        return negative ? -v : v;
    }

    /** ScanImage's running frame number ({@code frameNumbers}, 1-based), or {@link #ABSENT}. */
    public long frameNumber() {
        return frameNumber;
    }

    /** Acquisition number ({@code acquisitionNumbers}), or {@link #ABSENT}. */
    public long acquisitionNumber() {
        return acquisitionNumber;
    }

    /** Frame number within the acquisition ({@code frameNumberAcquisition}), or {@link #ABSENT}. */
    public long frameNumberAcquisition() {
        return frameNumberAcquisition;
    }

    /** Seconds since the acquisition started ({@code frameTimestamps_sec}), or NaN. */
    public double frameTimestampSeconds() {
        return frameTimestampSeconds;
    }

    /** Trigger time of the acquisition ({@code acqTriggerTimestamps_sec}), or NaN. */
    public double acqTriggerTimestampSeconds() {
        return acqTriggerTimestampSeconds;
    }

    /** Known fields whose values could not be parsed in the last description. */
    public int malformedFields() {
        return malformedFields;
    }
}
