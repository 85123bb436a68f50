// shift_warp: applies a per-frame shift field by bilinear interpolation: out(y, x) = in(y + dy(y, x), x + dx(y, x)),
// source coordinates clamped to the frame (edge pixels repeat). The shift field is the bilinear interpolation of a
// GY x GX grid of (dy, dx) per frame (grid[frame * GY * GX + gy * GX + gx]) at grid coordinates gridY[y], gridX[x]
// (a 1 x 1 grid with zero coordinates is a rigid shift).
// Defines: INPUT_SHORT (int16 frames, else float). Launch: global (width, height, frames), any local size.
#ifdef INPUT_SHORT
#define PIXEL_T short
#else
#define PIXEL_T float
#endif

__kernel void shift_warp(__global const PIXEL_T* in, const int height, const int width, __global const float2* grid,
                         const int gy, const int gx, __global const float* gridY, __global const float* gridX,
                         __global float* out)
{
    const int x = get_global_id(0);
    const int y = get_global_id(1);
    const int n = get_global_id(2);
    const float py = gridY[y];
    const float px = gridX[x];
    const int y0 = min((int) py, gy - 1);
    const int x0 = min((int) px, gx - 1);
    const int y1 = min(y0 + 1, gy - 1);
    const int x1 = min(x0 + 1, gx - 1);
    const float wy = py - y0;
    const float wx = px - x0;
    __global const float2* g = grid + (size_t) n * gy * gx;
    const float2 d = (1.0f - wy) * ((1.0f - wx) * g[y0 * gx + x0] + wx * g[y0 * gx + x1])
                   + wy * ((1.0f - wx) * g[y1 * gx + x0] + wx * g[y1 * gx + x1]);
    const float sy = clamp(y + d.x, 0.0f, (float) (height - 1));
    const float sx = clamp(x + d.y, 0.0f, (float) (width - 1));
    const int iy = min((int) sy, height - 2 < 0 ? 0 : height - 2);
    const int ix = min((int) sx, width - 2 < 0 ? 0 : width - 2);
    const int iy1 = min(iy + 1, height - 1);
    const int ix1 = min(ix + 1, width - 1);
    const float fy = sy - iy;
    const float fx = sx - ix;
    __global const PIXEL_T* f = in + (size_t) n * height * width;
    const float v00 = (float) f[iy * width + ix];
    const float v01 = (float) f[iy * width + ix1];
    const float v10 = (float) f[iy1 * width + ix];
    const float v11 = (float) f[iy1 * width + ix1];
    out[((size_t) n * height + y) * width + x] = (1.0f - fy) * ((1.0f - fx) * v00 + fx * v01) + fy * ((1.0f - fx) * v10 + fx * v11);
}
