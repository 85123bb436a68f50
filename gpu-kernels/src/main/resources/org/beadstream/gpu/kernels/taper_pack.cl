// taper_pack: cuts BY x BX regions ("blocks") out of a batch of frames, subtracts each block's mean, multiplies by
// a separable edge taper and packs two real blocks into one complex array (block 2q -> real, 2q+1 -> imaginary),
// ready for one complex FFT per pair. Non-finite pixels are replaced by the block mean (so they cannot poison the
// partner block) and counted.
//
// Block m (0 <= m < nMaps) belongs to frame m / blocksPerFrame and has origin origins[m % blocksPerFrame] (y, x).
// With useShift != 0 the origin moves by the rounded rigid shift of its frame (shifts[frame].xy = dy, dx); pixels
// outside the frame are clamped to the edge. Maps >= nMaps (padding of an odd count) are written as zeros.
// stats[m] = (mean, standard deviation, non-finite count, 0).
// Defines: BY, BX (block size), WG (work-group size, a power of two <= BX), INPUT_SHORT (int16 frames, else float).
// Launch: global WG * ceil(nMaps / 2), local WG; one work-group per pair.
#ifdef INPUT_SHORT
#define PIXEL_T short
#else
#define PIXEL_T float
#endif

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void taper_pack(__global const PIXEL_T* frames, const int height, const int width, const int blocksPerFrame,
                const int nMaps, __global const int2* origins, __global const float4* shifts, const int useShift,
                __global const float* taper, __global float2* out, __global float4* stats)
{
    __local float s0[WG];
    __local float s1[WG];
    __local float c0[WG];
    __local float c1[WG];
    const int lid = get_local_id(0);
    const int q = get_group_id(0);
    int oy[2], ox[2];
    int ok[2];
    __global const PIXEL_T* f[2];
    for (int h = 0; h < 2; h++) {
        const int m = 2 * q + h;
        ok[h] = m < nMaps;
        const int mm = ok[h] ? m : 0;
        const int frame = mm / blocksPerFrame;
        const int2 o = origins[mm - frame * blocksPerFrame];
        oy[h] = o.x;
        ox[h] = o.y;
        if (useShift) {
            const float4 s = shifts[frame];
            oy[h] += (int) rint(s.x);
            ox[h] += (int) rint(s.y);
        }
        f[h] = frames + (size_t) frame * height * width;
    }
    float a0 = 0.0f, a1 = 0.0f, n0 = 0.0f, n1 = 0.0f;
    for (int iy = 0; iy < BY; iy++) {
        __global const PIXEL_T* r0 = f[0] + clamp(oy[0] + iy, 0, height - 1) * width;
        __global const PIXEL_T* r1 = f[1] + clamp(oy[1] + iy, 0, height - 1) * width;
        for (int ix = lid; ix < BX; ix += WG) {
            const float v0 = (float) r0[clamp(ox[0] + ix, 0, width - 1)];
            const float v1 = (float) r1[clamp(ox[1] + ix, 0, width - 1)];
            if (isfinite(v0)) { a0 += v0; } else { n0 += 1.0f; }
            if (isfinite(v1)) { a1 += v1; } else { n1 += 1.0f; }
        }
    }
    s0[lid] = a0; s1[lid] = a1; c0[lid] = n0; c1[lid] = n1;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = WG / 2; w > 0; w >>= 1) {
        if (lid < w) {
            s0[lid] += s0[lid + w]; s1[lid] += s1[lid + w];
            c0[lid] += c0[lid + w]; c1[lid] += c1[lid + w];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    const float bad0 = c0[0], bad1 = c1[0];
    const float mean0 = bad0 < BY * BX ? s0[0] / (BY * BX - bad0) : 0.0f;
    const float mean1 = bad1 < BY * BX ? s1[0] / (BY * BX - bad1) : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    __global float2* o = out + (size_t) q * BY * BX;
    __global const float* tapY = taper;
    __global const float* tapX = taper + BY;
    a0 = 0.0f; a1 = 0.0f;
    for (int iy = 0; iy < BY; iy++) {
        __global const PIXEL_T* r0 = f[0] + clamp(oy[0] + iy, 0, height - 1) * width;
        __global const PIXEL_T* r1 = f[1] + clamp(oy[1] + iy, 0, height - 1) * width;
        const float ty = tapY[iy];
        __global float2* orow = o + iy * BX;
        for (int ix = lid; ix < BX; ix += WG) {
            float v0 = (float) r0[clamp(ox[0] + ix, 0, width - 1)];
            float v1 = (float) r1[clamp(ox[1] + ix, 0, width - 1)];
            v0 = isfinite(v0) ? v0 - mean0 : 0.0f;
            v1 = isfinite(v1) ? v1 - mean1 : 0.0f;
            a0 += v0 * v0;
            a1 += v1 * v1;
            const float t = ty * tapX[ix];
            orow[ix] = (float2)(ok[0] ? v0 * t : 0.0f, ok[1] ? v1 * t : 0.0f);
        }
    }
    s0[lid] = a0; s1[lid] = a1;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = WG / 2; w > 0; w >>= 1) {
        if (lid < w) { s0[lid] += s0[lid + w]; s1[lid] += s1[lid + w]; }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        if (ok[0]) { stats[2 * q] = (float4)(mean0, sqrt(s0[0] / (BY * BX)), bad0, 0.0f); }
        if (ok[1]) { stats[2 * q + 1] = (float4)(mean1, sqrt(s1[0] / (BY * BX)), bad1, 0.0f); }
    }
}
