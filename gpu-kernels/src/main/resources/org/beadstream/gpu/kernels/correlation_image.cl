// correlation_image: turns the accumulators of summary_moments (after nFrames frames) into the mean, standard
// deviation and local correlation image: each pixel's mean Pearson correlation with its 8 neighbours (CaImAn's
// local_correlations with an 8-neighbourhood; neighbours outside the plane are left out of the mean; a constant
// pixel has correlation 0).
//
// acc: 7 planes as written by summary_moments; out: 4 planes of `pixels` floats: 0 mean, 1 std, 2 max, 3 correlation.
// One work item per pixel.
inline float cov_of(const float sij, const float si, const float sj, const float invT) {
    return sij * invT - (si * invT) * (sj * invT);
}

inline float sd_of(const float s, const float q, const float invT) {
    const float mu = s * invT;
    return sqrt(fmax(0.0f, q * invT - mu * mu));
}

__kernel void correlation_image(__global const float* acc, __global const float* ref, const int nFrames,
                                const int width, const int height, __global float* out) {
    const int i = get_global_id(0);
    const int pixels = width * height;
    if (i >= pixels) {
        return;
    }
    const int x = i % width;
    const int y = i / width;
    const float invT = 1.0f / (float) nFrames;
    const float s0 = acc[i];
    const float sd0 = sd_of(s0, acc[pixels + i], invT);
    float sum = 0.0f;
    int n = 0;
    // the 8 neighbours: the pair (i, j) is stored at the upper/left member in one of 4 directions
    for (int dy = -1; dy <= 1; dy++) {
        for (int dx = -1; dx <= 1; dx++) {
            if (dx == 0 && dy == 0) {
                continue;
            }
            const int xx = x + dx;
            const int yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= width || yy >= height) {
                continue;
            }
            const int j = yy * width + xx;
            // owner o and direction plane p such that acc[p][o] = sum d_o d_(o + dir)
            int o;
            int p;
            if (dy == 0) {
                o = dx > 0 ? i : j;
                p = 3;
            } else {
                const int down = dy > 0;
                o = down ? i : j;
                const int ddx = down ? dx : -dx;
                p = ddx < 0 ? 4 : (ddx == 0 ? 5 : 6);
            }
            const float sj = acc[j];
            const float sdj = sd_of(sj, acc[pixels + j], invT);
            const float c = cov_of(acc[p * pixels + o], s0, sj, invT);
            sum += (sd0 > 0.0f && sdj > 0.0f) ? c / (sd0 * sdj) : 0.0f;
            n++;
        }
    }
    out[i] = ref[i] + s0 * invT;
    out[pixels + i] = sd0;
    out[2 * pixels + i] = acc[2 * pixels + i];
    out[3 * pixels + i] = n > 0 ? sum / (float) n : 0.0f;
}
