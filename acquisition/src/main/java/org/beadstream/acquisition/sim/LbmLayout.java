package org.beadstream.acquisition.sim;

import org.beadstream.acquisition.frame.FrameGeometry;

/**
 * Where everything lies in a simulated light-beads raw page, as ScanImage writes multi-ROI LBM data: the facts volume
 * assembly needs.
 *
 * <pre>
 *   raw page (width = stripWidth)                assembled plane (planeWidth x stripHeight)
 *   line 0            +-----------+              +--------+--------+-- ... --+
 *                     | strip 0   |  stripHeight | s0     | s1     |         |
 *                     +-----------+              | cols   | cols   |         |
 *   flyToLines        | fly-to    |  (junk)      | tL..   |        |         |
 *                     +-----------+              |  w-tR  |        |         |
 *   stripFirstLine(1) | strip 1   |              +--------+--------+-- ... --+
 *                     +-----------+               x = s * usefulWidth + (column - trimLeft)
 *                        ...
 * </pre>
 *
 * Strip {@code s} occupies page lines {@code [stripFirstLine(s), stripFirstLine(s) + stripHeight)}; its line
 * {@code r} is assembled row {@code r}; its column {@code j} (kept when {@code trimLeft <= j < stripWidth - trimRight})
 * is assembled column {@code s * usefulWidth() + j - trimLeft}. Reverse-scanned (odd) lines are the odd rows
 * {@code r} of each strip ({@link #isReverseRow(int)}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param planes       planes (channels) per volume
 * @param strips       ROI strips per page
 * @param stripWidth   pixels per strip line (= page width)
 * @param stripHeight  lines per strip (= assembled plane height)
 * @param flyToLines   lines between strips
 * @param trimLeft     pixels dropped at the left of each strip line
 * @param trimRight    pixels dropped at the right of each strip line
 * @param volumeRateHz volumes per second
 */
public record LbmLayout(int planes, int strips, int stripWidth, int stripHeight, int flyToLines, int trimLeft,
        int trimRight, double volumeRateHz) {

    /** Validates the fields. */
    public LbmLayout {
        if (planes < 1 || strips < 1 || stripWidth < 1 || stripHeight < 1 || flyToLines < 0 || trimLeft < 0
                || trimRight < 0 || trimLeft + trimRight >= stripWidth || !(volumeRateHz > 0)) {
            throw new IllegalArgumentException("invalid LBM layout: " + planes + " planes, " + strips + " strips of "
                    + stripWidth + " x " + stripHeight + ", " + flyToLines + " fly-to lines, trim " + trimLeft + "/"
                    + trimRight + ", " + volumeRateHz + " Hz");
        }
    }

    /** Raw page width in pixels. */
    public int pageWidth() {
        return stripWidth;
    }

    /** Raw page height in lines. */
    public int pageHeight() {
        return strips * stripHeight + (strips - 1) * flyToLines;
    }

    /** Pixels kept from each strip line. */
    public int usefulWidth() {
        return stripWidth - trimLeft - trimRight;
    }

    /** Assembled plane width in pixels. */
    public int planeWidth() {
        return strips * usefulWidth();
    }

    /** Assembled plane height in pixels. */
    public int planeHeight() {
        return stripHeight;
    }

    /** First page line of strip {@code s}. */
    public int stripFirstLine(final int s) {
        return s * (stripHeight + flyToLines);
    }

    /** The strip page line {@code line} belongs to, or -1 for a fly-to line. */
    public int stripOfLine(final int line) {
        final int period = stripHeight + flyToLines;
        final int s = line / period;
        return s < strips && line - s * period < stripHeight ? s : -1;
    }

    /** Assembled column of strip {@code s}'s raw column {@code j} (may lie outside the plane for trimmed columns). */
    public int assembledColumn(final int s, final int j) {
        return s * usefulWidth() + j - trimLeft;
    }

    /** Whether strip row {@code r} is scanned in reverse (odd rows), the lines that carry the scan-phase offset. */
    public boolean isReverseRow(final int r) {
        return (r & 1) == 1;
    }

    /** The page geometry. */
    public FrameGeometry frameGeometry() {
        return new FrameGeometry(pageWidth(), pageHeight(), planes, volumeRateHz);
    }
}
