/**
 * A small HDF5 writer for the files BeadStream produces (NWB): groups with compact links (hard and soft),
 * contiguous datasets streamed from any source, attributes, fixed-point, floating-point, variable-length UTF-8
 * string, compound and object-reference types. {@link org.beadstream.traces.hdf5.Hdf5File} is the entry point.
 *
 * <p>Why our own: NWB needs compound datasets (pixel masks), object references (DynamicTableRegion.table,
 * VectorIndex.target) and links (imaging_plane, device); jhdf 0.9.4, the HDF5 library on Maven Central, writes none of
 * these and holds every dataset in memory, while the traces of a long recording are larger than the heap. The
 * writer covers the file-format subset HDF5 1.8+ itself writes with {@code libver='latest'}: superblock version 2,
 * version 2 object headers with Jenkins lookup3 checksums, link-info/group-info/link messages, attribute messages
 * version 3, a global heap for variable-length strings. Files are read back by jhdf and h5py in tests.
 */
package org.beadstream.traces.hdf5;
