/**
 * Where traces go: the {@link org.beadstream.traces.sink.TraceSink} role and its implementations.
 *
 * <ul>
 *   <li>{@link org.beadstream.traces.sink.Suite2pLayoutSink}: suite2p-layout folders (plane0/, plane1/, ...,
 *       combined/) of .npy files written while recording and repairable after a crash;</li>
 *   <li>{@link org.beadstream.traces.sink.NpyColumnWriter} and {@link org.beadstream.traces.sink.NpyFiles}: the .npy
 *       format (described in {@link org.beadstream.traces.sink.NpyHeader});</li>
 *   <li>NWB files are written from a finished (or repaired) run folder by {@link org.beadstream.traces.nwb};
 *       live consumers subscribe through {@link org.beadstream.traces.live}.</li>
 * </ul>
 */
package org.beadstream.traces.sink;
