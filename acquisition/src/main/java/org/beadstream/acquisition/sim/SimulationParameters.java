package org.beadstream.acquisition.sim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.beadstream.acquisition.frame.FrameGeometry;

/**
 * Every number of a light-beads simulation: page layout, optics, neurons, activity, background, noise, scan phase,
 * motion, seed and length. Units are in the names ({@code Um} micrometres, {@code Px} pixels, {@code S} seconds,
 * {@code Hz}, {@code Adu} analogue-digital units of the int16 samples, photons per pixel per frame). The meaning of each
 * and the model behind it are in docs/simulator.md.
 *
 * <p>Start from a preset ({@link #builder(String)}: {@code small}, {@code config-a}, {@code config-b}) and override what
 * you need; the canonical constructor validates every field with a message naming it and its value.
 *
 * <p>Immutable and thread-safe ({@link #planeOrder()} returns a copy).
 *
 * @param preset                 name of the preset this started from (for names and reports)
 * @param planes                 planes (beads) per volume, recorded as ScanImage channels
 * @param strips                 ROI strips per page, stacked vertically
 * @param stripWidth             pixels per strip line (the raw page width)
 * @param stripHeight            lines per strip (the assembled plane height)
 * @param flyToLines             lines between consecutive strips in the page
 * @param trimLeft               pixels cut from the left of every strip line at assembly
 * @param trimRight              pixels cut from the right of every strip line at assembly
 * @param volumeRateHz           volumes per second
 * @param planeOrder             depth index (0 = shallowest) of each channel; a permutation of 0..planes-1
 * @param pixelSizeUm            lateral pixel size in micrometres
 * @param planeSpacingUm         axial distance between consecutive depths
 * @param axialPsfFwhmUm         axial point-spread FWHM (a Gaussian) with which each plane integrates the tissue
 * @param planeOffsetMaxPx       largest lateral per-plane calibration offset (uniform in +-this per axis)
 * @param neurons                number of neurons in the simulated volume (which extends a margin beyond the field of
 *                               view; about 75 % (small) to 95 % (config-a) of them fall inside it)
 * @param somaDiameterMinUm      smallest mean soma diameter
 * @param somaDiameterMaxUm      largest mean soma diameter
 * @param somaAspectSpread       each semi-axis is the mean radius times 1 +- this (uniform)
 * @param nucleusRadiusFraction  nucleus semi-axes as a fraction of the soma's; 0 for no nucleus
 * @param nucleusBrightness      nucleus brightness relative to the cytosol (GCaMP is cytosolic: dimmer nucleus)
 * @param minNeuronDistanceUm    minimum centre-to-centre distance tried when placing neurons (0 allows any overlap)
 * @param footprintShapes        distinct soma shapes in the shape library (neurons draw one each)
 * @param baselinePhotons        median resting brightness of a soma, photons per pixel per frame at full weight
 * @param baselineSigma          log-normal spread (sigma of ln) of the resting brightness
 * @param spikeRateMedianHz      median firing rate of the active cells
 * @param spikeRateSigma         log-normal spread of the firing rates
 * @param silentFraction         fraction of cells that never fire
 * @param tauRiseS               calcium rise time constant
 * @param tauDecayMinS           shortest calcium decay time constant (uniform between min and max per cell)
 * @param tauDecayMaxS           longest calcium decay time constant
 * @param dffMax                 saturating dF/F of the indicator
 * @param hillK                  half-saturation of the Hill curve, in units of single-spike calcium peaks
 * @param hillN                  Hill coefficient
 * @param populationCoupling     largest coupling of a cell's rate to the shared slow population drive (rates are
 *                               multiplied by exp(coupling * drive), drive in [-1, 1])
 * @param backgroundPhotons      mean static background (autofluorescence), photons per pixel per frame
 * @param neuropilPhotons        mean neuropil brightness, photons per pixel per frame
 * @param neuropilModulation     relative modulation of the neuropil by the population drive
 * @param neuropilScaleUm        spatial correlation length of the neuropil texture
 * @param vessels                blood vessels (dark tubes) crossing the volume
 * @param vesselDarkening        fraction of light a vessel's centre line removes (0..1)
 * @param bleachFraction         fraction of fluorescence that bleaches away with time constant bleachTauS
 * @param bleachTauS             photobleaching time constant
 * @param noise                  whether shot and read noise are added (false gives exact, noise-free pages)
 * @param gainAduPerPhoton       ADU per detected photon
 * @param readNoiseAdu           Gaussian read-noise standard deviation
 * @param offsetAdu              int16 offset added to every sample
 * @param noiseTableLog2         log2 of the number of precomputed standard-normal samples
 * @param scanPhasePx            bidirectional scan-phase offset of odd lines, mean over strips
 * @param scanPhaseStripSpreadPx per-strip deviation of the scan phase (uniform in +-this)
 * @param rigidAmplitudePx       amplitude of the smooth rigid brain motion per axis
 * @param rigidJitterPx          standard deviation of the per-frame rigid jitter (clipped at 4 sigma)
 * @param nonrigidAmplitudePx    largest non-rigid displacement per axis
 * @param seed                   random seed; equal seeds give byte-identical pages
 * @param volumes                volumes to produce before end of stream; 0 for unbounded
 * @param liveBufferFrames       frames a live (paced) source holds before it loses frames to a slow reader
 */
public record SimulationParameters(
        String preset,
        int planes, int strips, int stripWidth, int stripHeight, int flyToLines, int trimLeft, int trimRight,
        double volumeRateHz, int[] planeOrder,
        double pixelSizeUm, double planeSpacingUm, double axialPsfFwhmUm, double planeOffsetMaxPx,
        int neurons, double somaDiameterMinUm, double somaDiameterMaxUm, double somaAspectSpread,
        double nucleusRadiusFraction, double nucleusBrightness, double minNeuronDistanceUm, int footprintShapes,
        double baselinePhotons, double baselineSigma, double spikeRateMedianHz, double spikeRateSigma,
        double silentFraction, double tauRiseS, double tauDecayMinS, double tauDecayMaxS, double dffMax, double hillK,
        double hillN, double populationCoupling,
        double backgroundPhotons, double neuropilPhotons, double neuropilModulation, double neuropilScaleUm,
        int vessels, double vesselDarkening,
        double bleachFraction, double bleachTauS,
        boolean noise, double gainAduPerPhoton, double readNoiseAdu, double offsetAdu, int noiseTableLog2,
        double scanPhasePx, double scanPhaseStripSpreadPx,
        double rigidAmplitudePx, double rigidJitterPx, double nonrigidAmplitudePx,
        long seed, long volumes, int liveBufferFrames) {

    /** Names of the presets {@link #builder(String)} knows. */
    public static final List<String> PRESETS = List.of("small", "config-a", "config-b");

    /** Largest number of neurons accepted. */
    public static final int MAX_NEURONS = 2_000_000;

    /** Largest motion or phase amplitude accepted, in pixels (keeps the scene margin bounded). */
    public static final double MAX_DISPLACEMENT_PX = 64;

    /** Validates every field; messages name the field and the value. */
    public SimulationParameters {
        if (preset == null || preset.isBlank()) {
            throw new IllegalArgumentException("preset name must not be empty");
        }
        atLeast("planes", planes, 1);
        atLeast("strips", strips, 1);
        atLeast("strip width", stripWidth, 1);
        atLeast("strip height", stripHeight, 2);
        atLeast("fly-to lines", flyToLines, 0);
        atLeast("left trim", trimLeft, 0);
        atLeast("right trim", trimRight, 0);
        if (trimLeft + trimRight >= stripWidth) {
            throw new IllegalArgumentException("trim of " + trimLeft + " + " + trimRight + " px leaves nothing of a "
                    + stripWidth + "-px strip");
        }
        final long pageHeight = (long) strips * stripHeight + (long) (strips - 1) * flyToLines;
        if (pageHeight > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page of " + strips + " strips of " + stripHeight + " lines and "
                    + flyToLines + " fly-to lines is too tall");
        }
        positive("volume rate (Hz)", volumeRateHz);
        // Delegates the page-size limit to the frame model so the two always agree.
        new FrameGeometry(stripWidth, (int) pageHeight, planes, volumeRateHz);
        if (planeOrder == null) {
            planeOrder = identity(planes);
        } else {
            planeOrder = planeOrder.clone();
            checkPermutation(planeOrder, planes);
        }
        positive("pixel size (um)", pixelSizeUm);
        positive("plane spacing (um)", planeSpacingUm);
        positive("axial PSF FWHM (um)", axialPsfFwhmUm);
        range("plane offset (px)", planeOffsetMaxPx, 0, MAX_DISPLACEMENT_PX);
        if (neurons < 0 || neurons > MAX_NEURONS) {
            throw new IllegalArgumentException("neurons must be between 0 and " + MAX_NEURONS + ", was " + neurons);
        }
        positive("smallest soma diameter (um)", somaDiameterMinUm);
        positive("largest soma diameter (um)", somaDiameterMaxUm);
        if (somaDiameterMinUm > somaDiameterMaxUm) {
            throw new IllegalArgumentException("smallest soma diameter " + somaDiameterMinUm
                    + " um exceeds the largest " + somaDiameterMaxUm + " um");
        }
        if (somaDiameterMaxUm * (1 + somaAspectSpread) / pixelSizeUm > 60) {
            throw new IllegalArgumentException("somata up to " + somaDiameterMaxUm + " um at " + pixelSizeUm
                    + " um/px exceed the 60-px footprint limit");
        }
        range("soma aspect spread", somaAspectSpread, 0, 0.9);
        range("nucleus radius fraction", nucleusRadiusFraction, 0, 0.95);
        range("nucleus brightness", nucleusBrightness, 0, 1);
        range("minimum neuron distance (um)", minNeuronDistanceUm, 0, 1000);
        if (footprintShapes < 1 || footprintShapes > 4096) {
            throw new IllegalArgumentException("footprint shapes must be between 1 and 4096, was " + footprintShapes);
        }
        positive("baseline brightness (photons)", baselinePhotons);
        range("baseline spread (sigma)", baselineSigma, 0, 3);
        range("median spike rate (Hz)", spikeRateMedianHz, 0, 1000);
        range("spike rate spread (sigma)", spikeRateSigma, 0, 3);
        range("silent fraction", silentFraction, 0, 1);
        positive("calcium rise time (s)", tauRiseS);
        positive("shortest calcium decay time (s)", tauDecayMinS);
        positive("longest calcium decay time (s)", tauDecayMaxS);
        if (tauDecayMinS > tauDecayMaxS) {
            throw new IllegalArgumentException("shortest calcium decay time " + tauDecayMinS
                    + " s exceeds the longest " + tauDecayMaxS + " s");
        }
        if (tauRiseS >= tauDecayMinS) {
            throw new IllegalArgumentException("calcium rise time " + tauRiseS
                    + " s must be shorter than the shortest decay time " + tauDecayMinS + " s");
        }
        range("saturating dF/F", dffMax, 0, 1000);
        positive("Hill half-saturation (spikes)", hillK);
        range("Hill coefficient", hillN, 0.5, 8);
        range("population coupling", populationCoupling, 0, 5);
        range("background (photons)", backgroundPhotons, 0, 1e6);
        range("neuropil (photons)", neuropilPhotons, 0, 1e6);
        range("neuropil modulation", neuropilModulation, 0, 1);
        positive("neuropil scale (um)", neuropilScaleUm);
        if (vessels < 0 || vessels > 10_000) {
            throw new IllegalArgumentException("vessels must be between 0 and 10000, was " + vessels);
        }
        range("vessel darkening", vesselDarkening, 0, 1);
        range("bleached fraction", bleachFraction, 0, 1);
        positive("bleaching time constant (s)", bleachTauS);
        positive("gain (ADU/photon)", gainAduPerPhoton);
        range("read noise (ADU)", readNoiseAdu, 0, 10_000);
        range("offset (ADU)", offsetAdu, Short.MIN_VALUE, Short.MAX_VALUE);
        if (noiseTableLog2 < 16 || noiseTableLog2 > 26) {
            throw new IllegalArgumentException("noise table size must be 2^16 to 2^26 samples, was 2^" + noiseTableLog2);
        }
        if ((1 << noiseTableLog2) < 4 * stripWidth) {
            throw new IllegalArgumentException("noise table of 2^" + noiseTableLog2
                    + " samples is too small for " + stripWidth + "-px lines");
        }
        range("scan phase (px)", scanPhasePx, -MAX_DISPLACEMENT_PX, MAX_DISPLACEMENT_PX);
        range("scan phase spread (px)", scanPhaseStripSpreadPx, 0, MAX_DISPLACEMENT_PX);
        range("rigid motion amplitude (px)", rigidAmplitudePx, 0, MAX_DISPLACEMENT_PX);
        range("rigid jitter (px)", rigidJitterPx, 0, MAX_DISPLACEMENT_PX / 4);
        range("non-rigid amplitude (px)", nonrigidAmplitudePx, 0, MAX_DISPLACEMENT_PX);
        if (volumes < 0) {
            throw new IllegalArgumentException("volumes must be >= 0 (0 = unbounded), was " + volumes);
        }
        atLeast("live buffer frames", liveBufferFrames, 1);
    }

    private static void atLeast(final String what, final long value, final long min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", was " + value);
        }
    }

    private static void positive(final String what, final double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be positive and finite, was " + value);
        }
    }

    private static void range(final String what, final double value, final double min, final double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", was " + value);
        }
    }

    private static int[] identity(final int n) {
        final int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    private static void checkPermutation(final int[] order, final int planes) {
        if (order.length != planes) {
            throw new IllegalArgumentException("plane order must list " + planes + " depths, one per plane, had "
                    + order.length);
        }
        final boolean[] seen = new boolean[planes];
        for (int c = 0; c < planes; c++) {
            final int d = order[c];
            if (d < 0 || d >= planes || seen[d]) {
                throw new IllegalArgumentException("plane order must be a permutation of 0.." + (planes - 1)
                        + ", was " + Arrays.toString(order));
            }
            seen[d] = true;
        }
    }

    /** Depth index (0 = shallowest) of each channel, a copy. */
    @Override
    public int[] planeOrder() {
        return planeOrder.clone();
    }

    /** Page width in pixels (a strip line). */
    public int pageWidth() {
        return stripWidth;
    }

    /** Page height in lines: strips and the fly-to lines between them. */
    public int pageHeight() {
        return strips * stripHeight + (strips - 1) * flyToLines;
    }

    /** Useful pixels per strip line after trimming. */
    public int usefulStripWidth() {
        return stripWidth - trimLeft - trimRight;
    }

    /**
     * Pixels of tissue simulated beyond each edge of the plane so that motion, scan phase and trimmed columns never
     * reveal an empty border: the largest displacement (rigid + 4 jitter sigmas + non-rigid), phase and trim, plus 2.
     */
    public int sceneMarginPx() {
        final double motionMax = rigidAmplitudePx + 4 * rigidJitterPx + nonrigidAmplitudePx;
        final double phaseMax = Math.abs(scanPhasePx) + scanPhaseStripSpreadPx;
        return (int) Math.ceil(motionMax + phaseMax + Math.max(trimLeft, trimRight)) + 2;
    }

    /**
     * Volume in cubic millimetres of the box neurons are placed in: the plane plus {@link #sceneMarginPx()} on each
     * side, over all planes plus half a spacing above and below.
     */
    public double neuronBoxVolumeMm3() {
        final int m = sceneMarginPx();
        final double w = (strips * (double) usefulStripWidth() + 2 * m) * pixelSizeUm;
        final double h = (stripHeight + 2.0 * m) * pixelSizeUm;
        return w * h * planes * planeSpacingUm * 1e-9;
    }

    /** Neurons per cubic millimetre in the placement box. */
    public double neuronDensityPerMm3() {
        return neurons / neuronBoxVolumeMm3();
    }

    /** The page geometry the source reports. */
    public FrameGeometry frameGeometry() {
        return new FrameGeometry(pageWidth(), pageHeight(), planes, volumeRateHz);
    }

    /** The layout facts assembly needs. */
    public LbmLayout layout() {
        return new LbmLayout(planes, strips, stripWidth, stripHeight, flyToLines, trimLeft, trimRight, volumeRateHz);
    }

    /** A builder starting from these values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SimulationParameters p && toString().equals(p.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SimulationParameters{preset=%s, planes=%d, strips=%d x %d x %d, flyTo=%d, "
                + "trim=%d/%d, rate=%s Hz, order=%s, neurons=%d, noise=%s, seed=%d, volumes=%d, all=%s}", preset,
                planes, strips, stripWidth, stripHeight, flyToLines, trimLeft, trimRight, volumeRateHz,
                Arrays.toString(planeOrder), neurons, noise, seed, volumes, Arrays.toString(new double[] {
                    pixelSizeUm, planeSpacingUm, axialPsfFwhmUm, planeOffsetMaxPx, somaDiameterMinUm,
                    somaDiameterMaxUm, somaAspectSpread, nucleusRadiusFraction, nucleusBrightness,
                    minNeuronDistanceUm, footprintShapes, baselinePhotons, baselineSigma, spikeRateMedianHz,
                    spikeRateSigma, silentFraction, tauRiseS, tauDecayMinS, tauDecayMaxS, dffMax, hillK, hillN,
                    populationCoupling, backgroundPhotons, neuropilPhotons, neuropilModulation, neuropilScaleUm,
                    vessels, vesselDarkening, bleachFraction, bleachTauS, gainAduPerPhoton, readNoiseAdu, offsetAdu,
                    noiseTableLog2, scanPhasePx, scanPhaseStripSpreadPx, rigidAmplitudePx, rigidJitterPx,
                    nonrigidAmplitudePx, liveBufferFrames}));
    }

    /** The validated parameters of a preset with its defaults. */
    public static SimulationParameters preset(final String name) {
        return builder(name).build();
    }

    /**
     * A builder holding the defaults of preset {@code name}:
     * <ul>
     *   <li>{@code small}: 6 planes, 2 strips of 68 x 128 with 8 fly-to lines, trim 2 + 2, plane 128 x 128, 10 Hz,
     *       300 neurons (tests and demos);</li>
     *   <li>{@code config-a}: 30 planes, 4 strips of 145 x 600 with 26 fly-to lines (page 145 x 2478), trim 1 px on
     *       the left only, plane 576 x 600, 9.608 Hz, 15000 neurons;</li>
     *   <li>{@code config-b}: 14 planes, 2 strips of 224 x 448 with 16 fly-to lines (page 224 x 912), no trim,
     *       plane 448 x 448, 17.067 Hz, 4000 neurons.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Builder builder(final String name) {
        final Builder b = new Builder();
        b.preset = name;
        switch (name == null ? "" : name) {
            case "small" -> b.layout(6, 2, 68, 128, 8, 2, 2).volumeRateHz(10).neurons(300);
            case "config-a" -> b.layout(30, 4, 145, 600, 26, 1, 0).volumeRateHz(9.608).neurons(15_000);
            case "config-b" -> b.layout(14, 2, 224, 448, 16, 0, 0).volumeRateHz(17.067).neurons(4_000);
            default -> throw new IllegalArgumentException("unknown simulator preset '" + name + "'; known: " + PRESETS);
        }
        return b;
    }

    /**
     * Collects parameters and validates them all in {@link #build()}. Defaults are those of the chosen preset; the
     * physical defaults are the same for every preset.
     *
     * <p>Not thread-safe.
     */
    public static final class Builder {
        private String preset = "custom";
        private int planes = 6;
        private int strips = 2;
        private int stripWidth = 68;
        private int stripHeight = 128;
        private int flyToLines = 8;
        private int trimLeft = 2;
        private int trimRight = 2;
        private double volumeRateHz = 10;
        private int[] planeOrder;
        private double pixelSizeUm = 1.0;
        private double planeSpacingUm = 15.0;
        private double axialPsfFwhmUm = 12.0;
        private double planeOffsetMaxPx = 3.0;
        private int neurons = 300;
        private double densityPerMm3;
        private double somaDiameterMinUm = 10;
        private double somaDiameterMaxUm = 15;
        private double somaAspectSpread = 0.2;
        private double nucleusRadiusFraction = 0.5;
        private double nucleusBrightness = 0.4;
        private double minNeuronDistanceUm = 9;
        private int footprintShapes = 128;
        private double baselinePhotons = 6;
        private double baselineSigma = 0.35;
        private double spikeRateMedianHz = 0.4;
        private double spikeRateSigma = 1.0;
        private double silentFraction = 0.2;
        private double tauRiseS = 0.05;
        private double tauDecayMinS = 0.5;
        private double tauDecayMaxS = 1.0;
        private double dffMax = 4.0;
        private double hillK = 4.0;
        private double hillN = 2.0;
        private double populationCoupling = 1.0;
        private double backgroundPhotons = 1.5;
        private double neuropilPhotons = 2.0;
        private double neuropilModulation = 0.3;
        private double neuropilScaleUm = 20;
        private int vessels = 6;
        private double vesselDarkening = 0.7;
        private double bleachFraction = 0.3;
        private double bleachTauS = 1800;
        private boolean noise = true;
        private double gainAduPerPhoton = 20;
        private double readNoiseAdu = 12;
        private double offsetAdu = 80;
        private int noiseTableLog2 = 22;
        private double scanPhasePx = 1.25;
        private double scanPhaseStripSpreadPx = 0.15;
        private double rigidAmplitudePx = 2.5;
        private double rigidJitterPx = 0.25;
        private double nonrigidAmplitudePx = 0.8;
        private long seed = 1;
        private long volumes;
        private int liveBufferFrames = 256;

        /** A builder with the {@code small} layout and the physical defaults. */
        public Builder() {
        }

        private Builder(final SimulationParameters p) {
            preset = p.preset;
            planes = p.planes;
            strips = p.strips;
            stripWidth = p.stripWidth;
            stripHeight = p.stripHeight;
            flyToLines = p.flyToLines;
            trimLeft = p.trimLeft;
            trimRight = p.trimRight;
            volumeRateHz = p.volumeRateHz;
            planeOrder = p.planeOrder.clone();
            pixelSizeUm = p.pixelSizeUm;
            planeSpacingUm = p.planeSpacingUm;
            axialPsfFwhmUm = p.axialPsfFwhmUm;
            planeOffsetMaxPx = p.planeOffsetMaxPx;
            neurons = p.neurons;
            somaDiameterMinUm = p.somaDiameterMinUm;
            somaDiameterMaxUm = p.somaDiameterMaxUm;
            somaAspectSpread = p.somaAspectSpread;
            nucleusRadiusFraction = p.nucleusRadiusFraction;
            nucleusBrightness = p.nucleusBrightness;
            minNeuronDistanceUm = p.minNeuronDistanceUm;
            footprintShapes = p.footprintShapes;
            baselinePhotons = p.baselinePhotons;
            baselineSigma = p.baselineSigma;
            spikeRateMedianHz = p.spikeRateMedianHz;
            spikeRateSigma = p.spikeRateSigma;
            silentFraction = p.silentFraction;
            tauRiseS = p.tauRiseS;
            tauDecayMinS = p.tauDecayMinS;
            tauDecayMaxS = p.tauDecayMaxS;
            dffMax = p.dffMax;
            hillK = p.hillK;
            hillN = p.hillN;
            populationCoupling = p.populationCoupling;
            backgroundPhotons = p.backgroundPhotons;
            neuropilPhotons = p.neuropilPhotons;
            neuropilModulation = p.neuropilModulation;
            neuropilScaleUm = p.neuropilScaleUm;
            vessels = p.vessels;
            vesselDarkening = p.vesselDarkening;
            bleachFraction = p.bleachFraction;
            bleachTauS = p.bleachTauS;
            noise = p.noise;
            gainAduPerPhoton = p.gainAduPerPhoton;
            readNoiseAdu = p.readNoiseAdu;
            offsetAdu = p.offsetAdu;
            noiseTableLog2 = p.noiseTableLog2;
            scanPhasePx = p.scanPhasePx;
            scanPhaseStripSpreadPx = p.scanPhaseStripSpreadPx;
            rigidAmplitudePx = p.rigidAmplitudePx;
            rigidJitterPx = p.rigidJitterPx;
            nonrigidAmplitudePx = p.nonrigidAmplitudePx;
            seed = p.seed;
            volumes = p.volumes;
            liveBufferFrames = p.liveBufferFrames;
        }

        /** Sets the page layout: planes, strips, strip size, fly-to lines and trim (left, right). */
        public Builder layout(final int planes, final int strips, final int stripWidth, final int stripHeight,
                final int flyToLines, final int trimLeft, final int trimRight) {
            this.planes = planes;
            this.strips = strips;
            this.stripWidth = stripWidth;
            this.stripHeight = stripHeight;
            this.flyToLines = flyToLines;
            this.trimLeft = trimLeft;
            this.trimRight = trimRight;
            this.planeOrder = null;
            return this;
        }

        /** Planes per volume (resets the plane order to identity). */
        public Builder planes(final int v) {
            planes = v;
            planeOrder = null;
            return this;
        }

        /** ROI strips per page. */
        public Builder strips(final int v) {
            strips = v;
            return this;
        }

        /** Strip (page) width in pixels. */
        public Builder stripWidth(final int v) {
            stripWidth = v;
            return this;
        }

        /** Lines per strip. */
        public Builder stripHeight(final int v) {
            stripHeight = v;
            return this;
        }

        /** Fly-to lines between strips. */
        public Builder flyToLines(final int v) {
            flyToLines = v;
            return this;
        }

        /** Pixels trimmed from the left and right of each strip line. */
        public Builder trim(final int left, final int right) {
            trimLeft = left;
            trimRight = right;
            return this;
        }

        /** Volumes per second. */
        public Builder volumeRateHz(final double v) {
            volumeRateHz = v;
            return this;
        }

        /** Depth index of each channel (a permutation); null for identity. */
        public Builder planeOrder(final int... v) {
            planeOrder = v == null ? null : v.clone();
            return this;
        }

        /** Lateral pixel size (um). */
        public Builder pixelSizeUm(final double v) {
            pixelSizeUm = v;
            return this;
        }

        /** Axial plane spacing (um). */
        public Builder planeSpacingUm(final double v) {
            planeSpacingUm = v;
            return this;
        }

        /** Axial PSF FWHM (um). */
        public Builder axialPsfFwhmUm(final double v) {
            axialPsfFwhmUm = v;
            return this;
        }

        /** Largest per-plane lateral offset (px). */
        public Builder planeOffsetMaxPx(final double v) {
            planeOffsetMaxPx = v;
            return this;
        }

        /** Number of neurons (clears a density set before). */
        public Builder neurons(final int v) {
            neurons = v;
            densityPerMm3 = 0;
            return this;
        }

        /** Soma diameter range (um). */
        public Builder somaDiameterUm(final double min, final double max) {
            somaDiameterMinUm = min;
            somaDiameterMaxUm = max;
            return this;
        }

        /** Per-axis spread of soma radii (fraction). */
        public Builder somaAspectSpread(final double v) {
            somaAspectSpread = v;
            return this;
        }

        /** Nucleus size (fraction of soma radii, 0 = none) and relative brightness. */
        public Builder nucleus(final double radiusFraction, final double brightness) {
            nucleusRadiusFraction = radiusFraction;
            nucleusBrightness = brightness;
            return this;
        }

        /**
         * Sets the number of neurons from a density (neurons per mm^3, e.g. about 9e4 in mouse cortex layer 2/3) over
         * the placement box ({@link SimulationParameters#neuronBoxVolumeMm3()}), computed when {@link #build()} runs.
         */
        public Builder neuronDensityPerMm3(final double v) {
            densityPerMm3 = v;
            return this;
        }

        /** Minimum centre distance tried at placement (um). */
        public Builder minNeuronDistanceUm(final double v) {
            minNeuronDistanceUm = v;
            return this;
        }

        /** Distinct soma shapes in the library. */
        public Builder footprintShapes(final int v) {
            footprintShapes = v;
            return this;
        }

        /** Median resting soma brightness (photons/px/frame) and its log-normal sigma. */
        public Builder baseline(final double medianPhotons, final double sigma) {
            baselinePhotons = medianPhotons;
            baselineSigma = sigma;
            return this;
        }

        /** Median firing rate (Hz) of active cells, log-normal sigma, and the silent fraction. */
        public Builder spikeRates(final double medianHz, final double sigma, final double silent) {
            spikeRateMedianHz = medianHz;
            spikeRateSigma = sigma;
            silentFraction = silent;
            return this;
        }

        /** Calcium rise time and decay-time range (s). */
        public Builder calciumKinetics(final double tauRise, final double tauDecayMin, final double tauDecayMax) {
            tauRiseS = tauRise;
            tauDecayMinS = tauDecayMin;
            tauDecayMaxS = tauDecayMax;
            return this;
        }

        /** Indicator saturation: dF/F maximum, half-saturation (spikes) and Hill coefficient. */
        public Builder indicator(final double dffMaximum, final double halfSaturation, final double hillCoefficient) {
            dffMax = dffMaximum;
            hillK = halfSaturation;
            hillN = hillCoefficient;
            return this;
        }

        /** Largest coupling of rates to the shared population drive. */
        public Builder populationCoupling(final double v) {
            populationCoupling = v;
            return this;
        }

        /** Background and neuropil brightness (photons/px/frame). */
        public Builder background(final double backgroundPhotonsValue, final double neuropilPhotonsValue) {
            backgroundPhotons = backgroundPhotonsValue;
            neuropilPhotons = neuropilPhotonsValue;
            return this;
        }

        /** Neuropil modulation by population activity and its spatial scale (um). */
        public Builder neuropil(final double modulation, final double scaleUm) {
            neuropilModulation = modulation;
            neuropilScaleUm = scaleUm;
            return this;
        }

        /** Number of vessels and how dark their centre is. */
        public Builder vessels(final int count, final double darkening) {
            vessels = count;
            vesselDarkening = darkening;
            return this;
        }

        /** Photobleaching: bleached fraction and time constant (s). */
        public Builder bleaching(final double fraction, final double tauS) {
            bleachFraction = fraction;
            bleachTauS = tauS;
            return this;
        }

        /** Whether shot and read noise are added. */
        public Builder noise(final boolean v) {
            noise = v;
            return this;
        }

        /** Detector: gain (ADU/photon), read noise (ADU sd) and int16 offset (ADU). */
        public Builder detector(final double gain, final double readNoise, final double offset) {
            gainAduPerPhoton = gain;
            readNoiseAdu = readNoise;
            offsetAdu = offset;
            return this;
        }

        /** log2 of the noise-table length. */
        public Builder noiseTableLog2(final int v) {
            noiseTableLog2 = v;
            return this;
        }

        /** Scan phase of odd lines (px) and per-strip spread (px). */
        public Builder scanPhase(final double px, final double stripSpreadPx) {
            scanPhasePx = px;
            scanPhaseStripSpreadPx = stripSpreadPx;
            return this;
        }

        /** Rigid motion amplitude and jitter, and non-rigid amplitude (px). */
        public Builder motion(final double rigidPx, final double jitterPx, final double nonrigidPx) {
            rigidAmplitudePx = rigidPx;
            rigidJitterPx = jitterPx;
            nonrigidAmplitudePx = nonrigidPx;
            return this;
        }

        /** No motion at all (rigid, jitter and non-rigid zero). */
        public Builder noMotion() {
            return motion(0, 0, 0);
        }

        /** Random seed. */
        public Builder seed(final long v) {
            seed = v;
            return this;
        }

        /** Volumes to produce (0 = unbounded). */
        public Builder volumes(final long v) {
            volumes = v;
            return this;
        }

        /** Frames a live source buffers before losing frames to a slow reader. */
        public Builder liveBufferFrames(final int v) {
            liveBufferFrames = v;
            return this;
        }

        /** Validates and builds. */
        public SimulationParameters build() {
            if (densityPerMm3 != 0) {
                if (!(densityPerMm3 > 0) || Double.isInfinite(densityPerMm3)) {
                    throw new IllegalArgumentException("neuron density must be positive and finite, was "
                            + densityPerMm3 + " per mm^3");
                }
                final double box = make(0).neuronBoxVolumeMm3();
                final double n = Math.rint(densityPerMm3 * box);
                if (n > MAX_NEURONS) {
                    throw new IllegalArgumentException("neuron density " + densityPerMm3 + " per mm^3 over "
                            + box + " mm^3 gives " + (long) n + " neurons, more than " + MAX_NEURONS);
                }
                return make((int) n);
            }
            return make(neurons);
        }

        private SimulationParameters make(final int neuronCount) {
            return new SimulationParameters(preset, planes, strips, stripWidth, stripHeight, flyToLines, trimLeft,
                    trimRight, volumeRateHz, planeOrder, pixelSizeUm, planeSpacingUm, axialPsfFwhmUm,
                    planeOffsetMaxPx, neuronCount, somaDiameterMinUm, somaDiameterMaxUm, somaAspectSpread,
                    nucleusRadiusFraction, nucleusBrightness, minNeuronDistanceUm, footprintShapes, baselinePhotons,
                    baselineSigma, spikeRateMedianHz, spikeRateSigma, silentFraction, tauRiseS, tauDecayMinS,
                    tauDecayMaxS, dffMax, hillK, hillN, populationCoupling, backgroundPhotons, neuropilPhotons,
                    neuropilModulation, neuropilScaleUm, vessels, vesselDarkening, bleachFraction, bleachTauS, noise,
                    gainAduPerPhoton, readNoiseAdu, offsetAdu, noiseTableLog2, scanPhasePx, scanPhaseStripSpreadPx,
                    rigidAmplitudePx, rigidJitterPx, nonrigidAmplitudePx, seed, volumes, liveBufferFrames);
        }
    }
}
