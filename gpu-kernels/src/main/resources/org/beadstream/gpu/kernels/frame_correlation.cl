// frame_correlation: Pearson correlation of each frame with the template over the interior
// [border, height - border) x [border, width - border), as a per-frame registration quality measure.
// Values are centred on the template mean (tmean) before summing to keep float32 sums well conditioned.
// out[n] = r (0 when either image is constant there; NaN when the frame has non-finite pixels there).
// Defines: WG (work-group size, power of two). Launch: global WG * frames, local WG.
__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void frame_correlation(__global const float* frames, __global const float* tmpl, const int height, const int width,
                       const int border, const float tmean, __global float* out)
{
    __local float so[WG], st[WG], soo[WG], stt[WG], sot[WG];
    const int lid = get_local_id(0);
    const int n = get_group_id(0);
    const int h = height - 2 * border;
    const int w = width - 2 * border;
    __global const float* f = frames + (size_t) n * height * width;
    float a = 0.0f, b = 0.0f, aa = 0.0f, bb = 0.0f, ab = 0.0f;
    for (int i = lid; i < h * w; i += WG) {
        const int y = i / w + border;
        const int x = i % w + border;
        const float o = f[y * width + x] - tmean;
        const float t = tmpl[y * width + x] - tmean;
        a += o; b += t; aa += o * o; bb += t * t; ab += o * t;
    }
    so[lid] = a; st[lid] = b; soo[lid] = aa; stt[lid] = bb; sot[lid] = ab;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = WG / 2; s > 0; s >>= 1) {
        if (lid < s) {
            so[lid] += so[lid + s]; st[lid] += st[lid + s]; soo[lid] += soo[lid + s];
            stt[lid] += stt[lid + s]; sot[lid] += sot[lid + s];
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (lid == 0) {
        const float cnt = (float) (h * w);
        const float mo = so[0] / cnt, mt = st[0] / cnt;
        const float vo = soo[0] / cnt - mo * mo;
        const float vt = stt[0] / cnt - mt * mt;
        const float cov = sot[0] / cnt - mo * mt;
        out[n] = (vo > 0.0f && vt > 0.0f) ? cov / sqrt(vo * vt) : (isfinite(vo) ? 0.0f : NAN);
    }
}
