package org.beadstream.traces.nwb;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * What an NWB file needs that a run folder does not hold: session identity and the optical setup.
 *
 * @param identifier unique identifier of the file (NWB {@code identifier})
 * @param sessionDescription NWB {@code session_description}
 * @param sessionStartTime NWB {@code session_start_time}, with offset
 * @param indicator calcium indicator, e.g. "GCaMP6s"
 * @param location brain area, e.g. "VISp"
 * @param excitationLambdaNm excitation wavelength, nm
 * @param emissionLambdaNm emission wavelength, nm
 * @param deviceDescription microscope description
 * @param planeSpacingUm axial distance between planes, um (NaN when unknown)
 * <p>Immutable and thread-safe.
 */
public record NwbMetadata(String identifier, String sessionDescription, OffsetDateTime sessionStartTime,
                          String indicator, String location, double excitationLambdaNm, double emissionLambdaNm,
                          String deviceDescription, double planeSpacingUm) {

    /** Validates the fields. */
    public NwbMetadata {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(sessionDescription, "sessionDescription");
        Objects.requireNonNull(sessionStartTime, "sessionStartTime");
        Objects.requireNonNull(indicator, "indicator");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(deviceDescription, "deviceDescription");
        if (identifier.isBlank()) {
            throw new IllegalArgumentException("NWB identifier must not be blank");
        }
        if (!(excitationLambdaNm > 0) || !(emissionLambdaNm > 0)) {
            throw new IllegalArgumentException("wavelengths must be > 0 nm, were " + excitationLambdaNm + " and "
                    + emissionLambdaNm);
        }
    }

    /**
     * Defaults for a light-beads microscope run: GCaMP6s, 960 nm excitation (the LBM papers' laser), 510 nm emission,
     * location "unknown".
     */
    public static NwbMetadata defaults(final String identifier, final OffsetDateTime start) {
        return new NwbMetadata(identifier, "BeadStream light-beads microscopy run " + identifier, start, "GCaMP6s",
                "unknown", 960, 510, "light-beads microscope (LBM), ScanImage", Double.NaN);
    }

    /** Copy with another indicator. */
    public NwbMetadata withIndicator(final String value) {
        return new NwbMetadata(identifier, sessionDescription, sessionStartTime, value, location, excitationLambdaNm,
                emissionLambdaNm, deviceDescription, planeSpacingUm);
    }

    /** Copy with another location. */
    public NwbMetadata withLocation(final String value) {
        return new NwbMetadata(identifier, sessionDescription, sessionStartTime, indicator, value, excitationLambdaNm,
                emissionLambdaNm, deviceDescription, planeSpacingUm);
    }

    /** Copy with another session description. */
    public NwbMetadata withSessionDescription(final String value) {
        return new NwbMetadata(identifier, value, sessionStartTime, indicator, location, excitationLambdaNm,
                emissionLambdaNm, deviceDescription, planeSpacingUm);
    }

    /** Copy with other wavelengths (nm). */
    public NwbMetadata withWavelengths(final double excitationNm, final double emissionNm) {
        return new NwbMetadata(identifier, sessionDescription, sessionStartTime, indicator, location, excitationNm,
                emissionNm, deviceDescription, planeSpacingUm);
    }

    /** Copy with another plane spacing (um). */
    public NwbMetadata withPlaneSpacingUm(final double value) {
        return new NwbMetadata(identifier, sessionDescription, sessionStartTime, indicator, location,
                excitationLambdaNm, emissionLambdaNm, deviceDescription, value);
    }
}
