// cross_power: from complex FFTs Z of pair-packed real maps (map 2q in the real part, 2q+1 in the imaginary part),
// unpacks the two spectra A = (Z[k] + conj Z[-k]) / 2, B = (Z[k] - conj Z[-k]) / 2i, optionally whitens each
// (X / sqrt(|X|^2 + EPS^2), phase correlation), multiplies by its prepared template spectrum R (already conjugated,
// whitened and smoothed on the host) and packs the two Hermitian products back: C = A R_a + i B R_b, so that one
// inverse complex FFT of C gives the correlation of map 2q in the real part and of map 2q+1 in the imaginary part.
// Map m uses template m % TEMPLATES. Arrays are H x W complex, row-major, pairs consecutive.
// (Handling k and -k in one work-item would read less memory but measured 60 % slower on PoCL: divergent rows and
// mirrored stores defeat its vectoriser.)
// Defines: H, W, TEMPLATES (a compile-time constant, so the modulo below is cheap), WHITEN (0 or 1), EPS.
// Launch: global (W, H, pairs), any local size.
#include "complex.cl"

__kernel void cross_power(__global const float2* z, __global const float2* ref, __global float2* c)
{
    const int kx = get_global_id(0);
    const int ky = get_global_id(1);
    const int q = get_global_id(2);
    const int nky = (H - ky) & (H - 1);
    const int nkx = (W - kx) & (W - 1);
    __global const float2* zq = z + (size_t) q * H * W;
    const float2 zk = zq[ky * W + kx];
    const float2 zn = zq[nky * W + nkx];
    // a = (zk + conj zn) / 2, b = -i (zk - conj zn) / 2
    float2 a = (float2)(0.5f * (zk.x + zn.x), 0.5f * (zk.y - zn.y));
    float2 b = (float2)(0.5f * (zk.y + zn.y), -0.5f * (zk.x - zn.x));
#if WHITEN
    a *= rsqrt(a.x * a.x + a.y * a.y + EPS * EPS);
    b *= rsqrt(b.x * b.x + b.y * b.y + EPS * EPS);
#endif
    const int ta = (2 * q) % TEMPLATES;
    const int tb = (2 * q + 1) % TEMPLATES;
    const float2 ra = cmul(a, ref[(size_t) ta * H * W + ky * W + kx]);
    const float2 rb = cmul(b, ref[(size_t) tb * H * W + ky * W + kx]);
    c[(size_t) q * H * W + ky * W + kx] = (float2)(ra.x - rb.y, ra.y + rb.x);
}
