// summary_moments: accumulates, per pixel, the moments of a chunk of frames needed for the summary images
// (mean, standard deviation, maximum, and the products with the 4 "forward" neighbours that give the local
// correlation image). Values are shifted by a reference frame (the window's first frame) so that float sums of
// squares and products do not cancel catastrophically.
//
// frames: nFrames x pixels (row-major planes of width x height); one work item per pixel (global size >= pixels).
// acc layout: 7 planes of `pixels` floats:
//   0 sum d, 1 sum d^2, 2 max v, 3 sum d*d(x+1,y), 4 sum d*d(x-1,y+1), 5 sum d*d(x,y+1), 6 sum d*d(x+1,y+1)
// with d = v - ref. Products with a neighbour outside the plane stay 0.
__kernel void summary_moments(__global const float* frames, const int nFrames, const int width, const int height,
                              __global const float* ref, __global float* acc) {
    const int i = get_global_id(0);
    const int pixels = width * height;
    if (i >= pixels) {
        return;
    }
    const int x = i % width;
    const int y = i / width;
    const int hasR = x + 1 < width;
    const int hasDL = (x > 0) && (y + 1 < height);
    const int hasD = y + 1 < height;
    const int hasDR = (x + 1 < width) && (y + 1 < height);
    const int iR = hasR ? i + 1 : i;
    const int iDL = hasDL ? i + width - 1 : i;
    const int iD = hasD ? i + width : i;
    const int iDR = hasDR ? i + width + 1 : i;
    const float r0 = ref[i];
    const float rR = ref[iR];
    const float rDL = ref[iDL];
    const float rD = ref[iD];
    const float rDR = ref[iDR];
    float s = acc[i];
    float q = acc[pixels + i];
    float m = acc[2 * pixels + i];
    float cR = acc[3 * pixels + i];
    float cDL = acc[4 * pixels + i];
    float cD = acc[5 * pixels + i];
    float cDR = acc[6 * pixels + i];
    for (int t = 0; t < nFrames; t++) {
        __global const float* f = frames + (size_t) t * pixels;
        const float v = f[i];
        const float d = v - r0;
        s += d;
        q += d * d;
        m = fmax(m, v);
        cR += hasR ? d * (f[iR] - rR) : 0.0f;
        cDL += hasDL ? d * (f[iDL] - rDL) : 0.0f;
        cD += hasD ? d * (f[iD] - rD) : 0.0f;
        cDR += hasDR ? d * (f[iDR] - rDR) : 0.0f;
    }
    acc[i] = s;
    acc[pixels + i] = q;
    acc[2 * pixels + i] = m;
    acc[3 * pixels + i] = cR;
    acc[4 * pixels + i] = cDL;
    acc[5 * pixels + i] = cD;
    acc[6 * pixels + i] = cDR;
}
