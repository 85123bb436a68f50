// extract_row_prefix: exclusive prefix sums along each row of a volume of float planes, so that the sum of any
// horizontal run is two reads: prefix[row * (width + 1) + x1] - prefix[row * (width + 1) + x0] (extract_traces with
// NEUROPIL_PREFIX reads neuropil annuli this way). prefix has rows * (width + 1) floats; prefix[row][0] = 0.
// Accumulates in float with Kahan compensation (rows of a few thousand pixels).
// Launch: global = roundUp(rows, 64), any local size; rows = planes * height.
#pragma OPENCL FP_CONTRACT OFF

__kernel void extract_row_prefix(__global const float* volume, const int width, const int rows,
                                 __global float* prefix)
{
    const int row = get_global_id(0);
    if (row >= rows) {
        return;
    }
    __global const float* in = volume + (size_t) row * (size_t) width;
    __global float* out = prefix + (size_t) row * (size_t) (width + 1);
    float sum = 0.0f;
    float comp = 0.0f;
    out[0] = 0.0f;
    for (int x = 0; x < width; x++) {
        const float y = in[x] - comp;
        const float t = sum + y;
        comp = (t - sum) - y;
        sum = t;
        out[x + 1] = sum;
    }
}
