/**
 * Plane-level synthetic registered movies with known somata (single planes, volumes whose somata span 2-3 planes,
 * and second sessions of the same somata shifted and rotated), for detection accuracy tables, tests and benchmarks.
 */
package org.beadstream.segmentation.synthetic;
