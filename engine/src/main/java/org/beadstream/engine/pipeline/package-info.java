/**
 * The processing pipeline shared by live acquisition, offline reprocessing, the demo and {@code bench pipeline}:
 * pages are assembled into volumes, a bootstrap window builds per-plane templates and detects cells, then every
 * volume is registered and its traces extracted, turned into dF/F and deconvolved, and written to the sinks.
 *
 * <pre>
 *   FrameRing ──► PipelineConsumer ──► VolumeAssembler ──► VolumePipeline
 *                  (scan phase from                          ├─ bootstrap: templates, registration, detection,
 *                   the first volumes)                       │  cross-plane merge, footprints, backfill
 *                                                            └─ per volume: register ─► extract ─► dF/F ─► OASIS ─► sinks
 * </pre>
 *
 * Live and offline runs feed the same {@link org.beadstream.engine.pipeline.VolumePipeline} with the same sequence of
 * volumes, so their traces agree.
 */
package org.beadstream.engine.pipeline;
