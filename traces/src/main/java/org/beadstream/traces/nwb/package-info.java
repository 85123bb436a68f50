/**
 * NWB 2.x files from a run's suite2p folder: {@link org.beadstream.traces.nwb.NwbExporter} writes, with
 * {@link org.beadstream.traces.hdf5.Hdf5File}, the ImagingPlane, PlaneSegmentation (pixel masks), Fluorescence,
 * Neuropil, DfOverF and Deconvolved RoiResponseSeries and motion offsets of every plane
 * ({@link org.beadstream.traces.nwb.NwbMetadata} holds what the run folder does not know).
 *
 * <p>Why at export rather than while recording: HDF5 cannot be appended safely while a process may be killed (a torn
 * B-tree or header loses the whole file), whereas the column-appended .npy files lose at most the volume being
 * written; the NWB file is made from them, once, when the run is finished or repaired, streaming the trace matrices
 * without holding them in memory.
 */
package org.beadstream.traces.nwb;
