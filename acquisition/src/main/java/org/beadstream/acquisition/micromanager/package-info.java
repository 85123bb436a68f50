/**
 * The Micro-Manager camera front-end: {@link org.beadstream.acquisition.micromanager.MicroManagerSource}, a live
 * {@link org.beadstream.acquisition.frame.FrameSource} over MMCoreJ 10.1.1.0's {@code mmcorej.CMMCore} sequence
 * acquisition. Tested with a recording fake core (a {@code CMMCore} subclass made with the SWIG constructor
 * {@code CMMCore(0, false)}, which loads no native library).
 */
package org.beadstream.acquisition.micromanager;
