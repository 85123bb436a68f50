package org.beadstream.acquisition.tiff;

import java.util.Optional;

/**
 * The sample types we read: 8- and 16-bit integers, signed or unsigned (TIFF BitsPerSample 8 or 16 with SampleFormat 1
 * or 2). Every type is delivered as int16: 8-bit samples are widened, unsigned 16-bit samples above 32767 saturate at
 * 32767 (and are counted, see {@link TiffReader#saturatedPixels()}).
 *
 * <p>Immutable and thread-safe.
 */
public enum PixelType {
    /** Unsigned 8-bit. */
    UINT8(1, false),
    /** Signed 8-bit. */
    INT8(1, true),
    /** Unsigned 16-bit (ScanImage 3.x, most microscopes). */
    UINT16(2, false),
    /** Signed 16-bit (ScanImage 2015 and later raw data). */
    INT16(2, true);

    private final int bytes;
    private final boolean signed;

    PixelType(final int bytes, final boolean signed) {
        this.bytes = bytes;
        this.signed = signed;
    }

    /** Bytes per sample in the file. */
    public int bytes() {
        return bytes;
    }

    /** Whether samples are two's complement. */
    public boolean signed() {
        return signed;
    }

    /** The type for TIFF BitsPerSample {@code bits} and SampleFormat {@code sampleFormat}, if we support it. */
    static Optional<PixelType> of(final int bits, final int sampleFormat) {
        if (sampleFormat != 1 && sampleFormat != 2) {
            return Optional.empty();
        }
        final boolean s = sampleFormat == 2;
        if (bits == 8) {
            return Optional.of(s ? INT8 : UINT8);
        }
        if (bits == 16) {
            return Optional.of(s ? INT16 : UINT16);
        }
        return Optional.empty();
    }
}
