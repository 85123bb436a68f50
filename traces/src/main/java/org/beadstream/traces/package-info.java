/**
 * Traces: from motion-corrected planes and ROI footprints to the numbers users analyse.
 *
 * <p>The stages, each callable alone with typed arrays in and out:
 * <ol>
 *   <li>{@link org.beadstream.traces.extract} sparse footprint products: F and neuropil per ROI per volume;</li>
 *   <li>{@link org.beadstream.traces.dff} neuropil correction and dF/F0 with an online baseline;</li>
 *   <li>{@link org.beadstream.traces.deconvolution} online OASIS spike inference;</li>
 *   <li>{@link org.beadstream.traces.sink} where traces go: suite2p-layout .npy files written while recording, NWB
 *       files written from them, and {@link org.beadstream.traces.live} for in-process consumers.</li>
 * </ol>
 */
package org.beadstream.traces;
