// fft_lines: in-place complex FFT of length FFT_N along many lines of a batch of 2-D arrays (float2, row-major).
// Stockham autosort in local memory: radix-8 stages, preceded by one radix-2 or radix-4 stage when log2(FFT_N) is
// not a multiple of 3.
// Line l of batch b, element i lives at data[offset + b * batchStride + l * lineStride + i * elemStride]:
//   rows of an H x W array: lineStride = W, elemStride = 1; columns: lineStride = 1, elemStride = W.
// Forward: X[k] = sum_n x[n] exp(-2 pi i n k / N), unscaled. Inverse (inverse != 0): conjugate trick, then * scale.
// Defines: FFT_N (power of two >= 8), FFT_LOG2N, LINES (lines per work-group, dividing linesPerBatch),
//   COLUMNS (1: consecutive work-items load/store neighbouring lines, for lines that are adjacent in memory such
//   as the columns of a row-major array, so global accesses stay contiguous; 0: consecutive elements of a line).
// Launch: global (FFT_N / 8, totalLines), local (FFT_N / 8, LINES); totalLines = batches * linesPerBatch.
// twiddle[k] = exp(-2 pi i k / FFT_N), k < FFT_N.
#include "complex.cl"

#define FFT_T (FFT_N / 8)
#define FFT_REM (FFT_LOG2N % 3)
#define FFT_SWAPS ((FFT_REM != 0 ? 1 : 0) + FFT_LOG2N / 3)
#define SQRT1_2 0.70710678118654752f

// 4-point forward DFT in place
#define DFT4(a0, a1, a2, a3) { \
    const float2 s02 = a0 + a2, d02 = a0 - a2, s13 = a1 + a3, d13 = cmul_mi(a1 - a3); \
    a0 = s02 + s13; a2 = s02 - s13; a1 = d02 + d13; a3 = d02 - d13; }

__kernel __attribute__((reqd_work_group_size(FFT_T, LINES, 1)))
void fft_lines(__global float2* data, __global const float2* twiddle, const int lineStride, const int elemStride,
               const int linesPerBatch, const int batchStride, const int inverse, const float scale,
               const int offset)
{
    __local float2 bufA[LINES * FFT_N];
    __local float2 bufB[LINES * FFT_N];
    const int t = get_local_id(0);
    const int ll = get_local_id(1);
    const int lin = ll * FFT_T + t;
    const int line0 = get_group_id(1) * LINES;
    const int b = line0 / linesPerBatch;
    const int l0 = line0 - b * linesPerBatch;
    __global float2* base = data + offset + (size_t) b * batchStride + (size_t) l0 * lineStride;
    __local float2* A = bufA + ll * FFT_N;
    __local float2* B = bufB + ll * FFT_N;
    const float s = inverse ? -1.0f : 1.0f;
    for (int r = 0; r < 8; r++) {
        const int e = lin + r * (LINES * FFT_T);
#if COLUMNS
        const int li = e % LINES;
        const int i = e / LINES;
#else
        const int li = e / FFT_N;
        const int i = e % FFT_N;
#endif
        const float2 v = base[(size_t) li * lineStride + (size_t) i * elemStride];
        bufA[li * FFT_N + i] = (float2)(v.x, s * v.y);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    int ns = 1;
#if FFT_REM == 1
    for (int h = 0; h < 4; h++) {
        const int j = t + h * FFT_T;
        const float2 a = A[j];
        const float2 c = A[j + FFT_N / 2];
        B[2 * j] = a + c;
        B[2 * j + 1] = a - c;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    { __local float2* tmp = A; A = B; B = tmp; }
    ns = 2;
#elif FFT_REM == 2
    for (int h = 0; h < 2; h++) {
        const int j = t + h * FFT_T;
        float2 v0 = A[j];
        float2 v1 = A[j + FFT_N / 4];
        float2 v2 = A[j + FFT_N / 2];
        float2 v3 = A[j + 3 * FFT_N / 4];
        DFT4(v0, v1, v2, v3);
        B[4 * j] = v0;
        B[4 * j + 1] = v1;
        B[4 * j + 2] = v2;
        B[4 * j + 3] = v3;
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    { __local float2* tmp = A; A = B; B = tmp; }
    ns = 4;
#endif
    for (; ns < FFT_N; ns *= 8) {
        const int j = t;
        const int k = j & (ns - 1);
        float2 v0 = A[j];
        float2 v1 = A[j + FFT_T];
        float2 v2 = A[j + 2 * FFT_T];
        float2 v3 = A[j + 3 * FFT_T];
        float2 v4 = A[j + 4 * FFT_T];
        float2 v5 = A[j + 5 * FFT_T];
        float2 v6 = A[j + 6 * FFT_T];
        float2 v7 = A[j + 7 * FFT_T];
        if (ns > 1) {
            const int step = (FFT_N / (ns * 8)) * k;
            v1 = cmul(v1, twiddle[step]);
            v2 = cmul(v2, twiddle[2 * step]);
            v3 = cmul(v3, twiddle[3 * step]);
            v4 = cmul(v4, twiddle[4 * step]);
            v5 = cmul(v5, twiddle[5 * step]);
            v6 = cmul(v6, twiddle[6 * step]);
            v7 = cmul(v7, twiddle[7 * step]);
        }
        // even and odd 4-point DFTs, then combine with w8^k
        DFT4(v0, v2, v4, v6);
        DFT4(v1, v3, v5, v7);
        const float2 o1 = (float2)(SQRT1_2 * (v3.x + v3.y), SQRT1_2 * (v3.y - v3.x));   // * (1 - i) / sqrt 2
        const float2 o2 = cmul_mi(v5);                                                    // * -i
        const float2 o3 = (float2)(SQRT1_2 * (v7.y - v7.x), -SQRT1_2 * (v7.x + v7.y));  // * (-1 - i) / sqrt 2
        const int d = (j / ns) * ns * 8 + k;
        B[d] = v0 + v1;
        B[d + 4 * ns] = v0 - v1;
        B[d + ns] = v2 + o1;
        B[d + 5 * ns] = v2 - o1;
        B[d + 2 * ns] = v4 + o2;
        B[d + 6 * ns] = v4 - o2;
        B[d + 3 * ns] = v6 + o3;
        B[d + 7 * ns] = v6 - o3;
        barrier(CLK_LOCAL_MEM_FENCE);
        { __local float2* tmp = A; A = B; B = tmp; }
    }
    const float sc = inverse ? scale : 1.0f;
#if FFT_SWAPS % 2 == 0
    __local const float2* R = bufA;
#else
    __local const float2* R = bufB;
#endif
    for (int r = 0; r < 8; r++) {
        const int e = lin + r * (LINES * FFT_T);
#if COLUMNS
        const int li = e % LINES;
        const int i = e / LINES;
#else
        const int li = e / FFT_N;
        const int i = e % FFT_N;
#endif
        const float2 v = R[li * FFT_N + i];
        base[(size_t) li * lineStride + (size_t) i * elemStride] = (float2)(v.x * sc, s * v.y * sc);
    }
}
