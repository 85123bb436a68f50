// extract_traces: per-ROI sparse footprint products on one volume of motion-corrected float planes.
//   F[r]    = cellScale[r] * sum_e (cellPacked[e] & 0xFFF) * plane_r[cellPacked[e] >> 12]     e in cell row r
//   Fneu[r] = npInvCount[r] * sum over neuropil runs of plane_r[start .. start + len)          run = start << 12 | len
// plane_r = volume + roiPlane[r] * planePixels. Cell entries pack a 20-bit pixel index (row-major in the plane) and a
// 12-bit weight quantised against the ROI's largest weight (4 bytes per pixel); neuropil annuli are horizontal runs
// (4 bytes per run, typically 7x fewer entries than pixels).
// Defines: LANES (work-items per ROI, a power of two; 1 on CPUs, 32 on GPUs so a warp shares one ROI's entries);
//          NEUROPIL_PREFIX: each neuropil run is summed in two reads from row prefix sums (extract_row_prefix:
//          prefix has (width + 1) floats per row, planes * height rows) instead of reading its pixels.
// Launch: global = roundUp(nRois, localSize / LANES) * LANES, local = localSize (a multiple of LANES, <= 256).
#ifndef LANES
#define LANES 1
#endif

__kernel void extract_traces(__global const float* volume, const int planePixels, const int nRois,
                             __global const int* roiPlane,
                             __global const int* cellOffsets, __global const uint* cellPacked,
                             __global const float* cellScale,
                             __global const int* npOffsets, __global const uint* npRuns,
                             __global const float* npInvCount,
                             __global float* F, __global float* Fneu,
                             __global const float* prefix, const int width)
{
#if LANES == 1
    const int r = get_global_id(0);
    if (r >= nRois) {
        return;
    }
    __global const float* plane = volume + (size_t) roiPlane[r] * (size_t) planePixels;
    float acc = 0.0f;
    const int c1 = cellOffsets[r + 1];
    for (int e = cellOffsets[r]; e < c1; e++) {
        const uint p = cellPacked[e];
        acc += (float) (p & 0xFFFu) * plane[p >> 12];
    }
    float nacc = 0.0f;
    const int n1 = npOffsets[r + 1];
#ifdef NEUROPIL_PREFIX
    __global const float* pre = prefix + (size_t) roiPlane[r] * (size_t) (planePixels / width) * (size_t) (width + 1);
    for (int e = npOffsets[r]; e < n1; e++) {
        const uint run = npRuns[e];
        const int start = (int) (run >> 12);
        const int y = start / width;
        const int at = y * (width + 1) + (start - y * width);
        nacc += pre[at + (int) (run & 0xFFFu)] - pre[at];
    }
#else
    for (int e = npOffsets[r]; e < n1; e++) {
        const uint run = npRuns[e];
        __global const float* px = plane + (run >> 12);
        const int len = (int) (run & 0xFFFu);
        for (int k = 0; k < len; k++) {
            nacc += px[k];
        }
    }
#endif
    F[r] = acc * cellScale[r];
    Fneu[r] = nacc * npInvCount[r];
#else
    __local float sums[2 * 256];
    const int lane = get_local_id(0) & (LANES - 1);
    const int slot = get_local_id(0) / LANES;
    const int r = get_global_id(0) / LANES;
    float acc = 0.0f;
    float nacc = 0.0f;
    if (r < nRois) {
        __global const float* plane = volume + (size_t) roiPlane[r] * (size_t) planePixels;
        const int c1 = cellOffsets[r + 1];
        for (int e = cellOffsets[r] + lane; e < c1; e += LANES) {
            const uint p = cellPacked[e];
            acc += (float) (p & 0xFFFu) * plane[p >> 12];
        }
        const int n1 = npOffsets[r + 1];
#ifdef NEUROPIL_PREFIX
        __global const float* pre = prefix
                + (size_t) roiPlane[r] * (size_t) (planePixels / width) * (size_t) (width + 1);
        for (int e = npOffsets[r] + lane; e < n1; e += LANES) {
            const uint run = npRuns[e];
            const int start = (int) (run >> 12);
            const int y = start / width;
            const int at = y * (width + 1) + (start - y * width);
            nacc += pre[at + (int) (run & 0xFFFu)] - pre[at];
        }
#else
        for (int e = npOffsets[r]; e < n1; e++) {
            const uint run = npRuns[e];
            __global const float* px = plane + (run >> 12);
            const int len = (int) (run & 0xFFFu);
            for (int k = lane; k < len; k += LANES) {
                nacc += px[k];
            }
        }
#endif
    }
    const int base = slot * LANES;
    sums[base + lane] = acc;
    sums[256 + base + lane] = nacc;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = LANES / 2; s > 0; s >>= 1) {
        if (lane < s) {
            sums[base + lane] += sums[base + lane + s];
            sums[256 + base + lane] += sums[256 + base + lane + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lane == 0 && r < nRois) {
        F[r] = sums[base] * cellScale[r];
        Fneu[r] = sums[256 + base] * npInvCount[r];
    }
#endif
}
