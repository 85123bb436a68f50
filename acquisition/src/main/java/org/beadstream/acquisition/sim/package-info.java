/**
 * The light-beads microscope simulator, the embedded default source and the ground truth of every accuracy test.
 *
 * <p>{@link org.beadstream.acquisition.sim.SimulationParameters} (presets {@code small}, {@code config-a},
 * {@code config-b}) builds an {@link org.beadstream.acquisition.sim.LbmSimulation} (the tissue, its activity and
 * motion, the microscope's layout, scan phase and noise, and their truth); a
 * {@link org.beadstream.acquisition.sim.SimulatedLbmSource} streams its raw ScanImage-layout pages, live (paced) or
 * offline. {@link org.beadstream.acquisition.sim.LbmLayout} holds the page facts assembly needs. The model, its units
 * and the truth files are documented in docs/simulator.md.
 *
 * <p>Deterministic: every random quantity is a hash of the seed and its coordinates. The frame path allocates nothing.
 */
package org.beadstream.acquisition.sim;
