/**
 * Small whole-file formats shared by the acquisition tools: {@link org.beadstream.acquisition.io.Npy} reads and writes
 * NumPy {@code .npy} arrays (ground-truth files, test fixtures, suite2p-layout outputs).
 *
 * <p>Nothing here is on the frame path.
 */
package org.beadstream.acquisition.io;
