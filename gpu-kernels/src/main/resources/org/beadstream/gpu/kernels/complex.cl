// Shared helpers (no kernel here): complex arithmetic on float2 (x = real, y = imaginary).
#ifndef BEADSTREAM_COMPLEX_CL
#define BEADSTREAM_COMPLEX_CL
inline float2 cmul(const float2 a, const float2 b) { return (float2)(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }
inline float2 cmulconj(const float2 a, const float2 b) { return (float2)(a.x * b.x + a.y * b.y, a.y * b.x - a.x * b.y); }
inline float2 cconj(const float2 a) { return (float2)(a.x, -a.y); }
// multiply by -i
inline float2 cmul_mi(const float2 a) { return (float2)(a.y, -a.x); }
#endif
