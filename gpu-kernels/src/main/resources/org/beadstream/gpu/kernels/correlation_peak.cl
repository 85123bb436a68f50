// correlation_peak: finds the correlation peak of each map within the max-shift window |dy|, |dx| <= MAXS and
// refines it to subpixel precision with a three-point Gaussian fit per axis (parabolic where a value is not
// positive). Maps come pair-packed from an inverse complex FFT: map 2q is the real part of array q, map 2q+1 the
// imaginary part; index (y, x) holds the correlation at shift (y, x) modulo (H, W).
// out[m] = (dy, dx, peak * norm, flags): flags bit 0 = peak on the window border, bit 1 = non-finite peak.
// Defines: H, W, MAXS, WG (work-group size, power of two). Launch: global WG * nMaps, local WG.
#define SIDE (2 * MAXS + 1)

inline float corr_at(__global const float2* a, const int part, int y, int x)
{
    y = y & (H - 1);
    x = x & (W - 1);
    const float2 v = a[y * W + x];
    return part ? v.y : v.x;
}

inline float subpixel(const float cm, const float c0, const float cp)
{
    float d = 0.0f;
    if (cm > 0.0f && c0 > 0.0f && cp > 0.0f) {
        const float lm = log(cm), l0 = log(c0), lp = log(cp);
        const float den = lm - 2.0f * l0 + lp;
        d = den < 0.0f ? 0.5f * (lm - lp) / den : 0.0f;
    } else {
        const float den = cm - 2.0f * c0 + cp;
        d = den < 0.0f ? 0.5f * (cm - cp) / den : 0.0f;
    }
    return clamp(d, -0.5f, 0.5f);
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void correlation_peak(__global const float2* corr, const float norm, __global float4* out)
{
    __local float best[WG];
    __local int where[WG];
    const int lid = get_local_id(0);
    const int m = get_group_id(0);
    const int part = m & 1;
    __global const float2* a = corr + (size_t) (m >> 1) * H * W;
    float bv = -INFINITY;
    int bi = SIDE * SIDE;
    for (int i = lid; i < SIDE * SIDE; i += WG) {
        const int sy = i / SIDE - MAXS;
        const int sx = i % SIDE - MAXS;
        const float v = corr_at(a, part, sy, sx);
        if (v > bv) { bv = v; bi = i; }
    }
    best[lid] = bv;
    where[lid] = bi;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int w = WG / 2; w > 0; w >>= 1) {
        if (lid < w) {
            const float o = best[lid + w];
            const int oi = where[lid + w];
            if (o > best[lid] || (o == best[lid] && oi < where[lid])) { best[lid] = o; where[lid] = oi; }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const int i = where[0];
        if (i >= SIDE * SIDE) {
            out[m] = (float4)(0.0f, 0.0f, 0.0f, 2.0f);
        } else {
            const int py = i / SIDE - MAXS;
            const int px = i % SIDE - MAXS;
            const float c0 = best[0];
            const float fy = subpixel(corr_at(a, part, py - 1, px), c0, corr_at(a, part, py + 1, px));
            const float fx = subpixel(corr_at(a, part, py, px - 1), c0, corr_at(a, part, py, px + 1));
            const float edge = (abs(py) == MAXS || abs(px) == MAXS) ? 1.0f : 0.0f;
            out[m] = (float4)(py + fy, px + fx, c0 * norm, edge);
        }
    }
}
