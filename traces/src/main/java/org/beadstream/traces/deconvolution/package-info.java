/**
 * Spike inference by online OASIS (Friedrich, Zhou and Paninski 2017, "Fast online deconvolution of calcium imaging
 * data"), AR(1) model, for many ROIs at once with bounded memory: {@link org.beadstream.traces.deconvolution.OnlineOasis}
 * and its parameters {@link org.beadstream.traces.deconvolution.OasisParameters}.
 */
package org.beadstream.traces.deconvolution;
