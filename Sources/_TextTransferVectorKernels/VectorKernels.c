#include "TextTransferVectorKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

// Clamps written as comparisons: fminf/fmaxf promise NaN handling that keeps loops from vectorizing.
static inline float clamp(float x, float lo, float hi) {
    x = x < lo ? lo : x;
    return x > hi ? hi : x;
}

// Cephes expf: e^x = 2^n · e^r with |r| <= ln2/2 and a degree-5 polynomial; relative error < 2e-7.
// Inputs below -87.3 give 0 (what an additive -inf mask needs).
static inline float fast_exp(float input) {
    float x = clamp(input, -87.3f, 88.3f);
    float n = floorf(x * 1.44269504088896341f + 0.5f);
    float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    float y = p * r * r + r + 1.0f;
    int32_t bits = ((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return input < -87.3f ? 0.0f : y * scale;
}

// erf for float: the odd/even rational approximation on [-4, 4] that Eigen and XLA use (±1 outside).
static inline float fast_erf(float input) {
    float x = clamp(input, -4.0f, 4.0f);
    float x2 = x * x;
    float p = -2.72614225801306e-10f;
    p = p * x2 + 2.77068142495902e-08f;
    p = p * x2 + -2.10102402082508e-06f;
    p = p * x2 + -5.69250639462346e-05f;
    p = p * x2 + -7.34990630326855e-04f;
    p = p * x2 + -2.95459980854025e-03f;
    p = p * x2 + -1.60960333262415e-02f;
    p = p * x;
    float q = -1.45660718464996e-05f;
    q = q * x2 + -2.13374055278905e-04f;
    q = q * x2 + -1.68282697438203e-03f;
    q = q * x2 + -7.37332916720468e-03f;
    q = q * x2 + -1.42647390514189e-02f;
    return p / q;
}

static inline float gelu(float v) { return 0.5f * v * (1.0f + fast_erf(v * 0.70710678118654752f)); }

CLONES void tt_gelu_f32(const float *x, float *y, size_t count) {
    // In place, a single pointer: with two equal pointers the vectorized loop's overlap check fails and
    // the scalar fallback runs (measured: GELU took 15% of a forward pass that way).
    if (x == y) {
        for (size_t i = 0; i < count; i++) y[i] = gelu(y[i]);
    } else {
        for (size_t i = 0; i < count; i++) y[i] = gelu(x[i]);
    }
}

#pragma clang fp reassociate(on)
CLONES void tt_masked_softmax_rows_f32(float *scores, size_t rows, size_t columns, size_t valid) {
    for (size_t r = 0; r < rows; r++) {
        float *row = scores + r * columns;
        float top = row[0];
        for (size_t j = 1; j < valid; j++) top = row[j] > top ? row[j] : top;
        float sum = 0.0f;
        for (size_t j = 0; j < valid; j++) {
            float e = fast_exp(row[j] - top);
            row[j] = e;
            sum += e;
        }
        float scale = 1.0f / sum;
        for (size_t j = 0; j < valid; j++) row[j] *= scale;
        for (size_t j = valid; j < columns; j++) row[j] = 0.0f;
    }
}

CLONES void tt_layer_norm_rows_f32(const float *x, const float *gamma, const float *beta, float *y, size_t rows,
                                   size_t width, float epsilon, float *mean, float *rstd) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * width;
        float *yr = y + r * width;
        float sum = 0.0f;
        for (size_t i = 0; i < width; i++) sum += xr[i];
        float mu = sum / (float)width;
        float squares = 0.0f;
        for (size_t i = 0; i < width; i++) {
            float d = xr[i] - mu;
            squares += d * d;
        }
        float inv = 1.0f / sqrtf(squares / (float)width + epsilon);
        for (size_t i = 0; i < width; i++) yr[i] = (xr[i] - mu) * inv * gamma[i] + beta[i];
        if (mean) mean[r] = mu;
        if (rstd) rstd[r] = inv;
    }
}

CLONES void tt_add_f32(float *y, const float *x, size_t count) {
    for (size_t i = 0; i < count; i++) y[i] += x[i];
}

static inline float gelu_derivative(float v) {
    float cdf = 0.5f * (1.0f + fast_erf(v * 0.70710678118654752f));
    float pdf = 0.39894228040143268f * fast_exp(-0.5f * v * v);
    return cdf + v * pdf;
}

CLONES void tt_gelu_backward_f32(const float *x, const float *dy, float *dx, size_t count) {
    for (size_t i = 0; i < count; i++) dx[i] += dy[i] * gelu_derivative(x[i]);
}

CLONES void tt_layer_norm_backward_rows_f32(const float *x, const float *dy, const float *gamma, const float *mean,
                                            const float *rstd, float *dx, size_t rows, size_t width) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * width, *dyr = dy + r * width;
        float *dxr = dx + r * width;
        float mu = mean[r], inv = rstd[r];
        float sum_g = 0.0f, sum_gx = 0.0f;
        for (size_t i = 0; i < width; i++) {
            float g = dyr[i] * gamma[i];
            sum_g += g;
            sum_gx += g * (xr[i] - mu) * inv;
        }
        float mean_g = sum_g / (float)width, mean_gx = sum_gx / (float)width;
        for (size_t i = 0; i < width; i++) {
            float xhat = (xr[i] - mu) * inv;
            dxr[i] += inv * (dyr[i] * gamma[i] - mean_g - xhat * mean_gx);
        }
    }
}

CLONES void tt_layer_norm_param_grads_f32(const float *x, const float *dy, const float *mean, const float *rstd,
                                          float *dgamma, float *dbeta, size_t rows, size_t width, size_t colBegin,
                                          size_t colEnd) {
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * width, *dyr = dy + r * width;
        float mu = mean[r], inv = rstd[r];
        for (size_t c = colBegin; c < colEnd; c++) {
            dgamma[c] += dyr[c] * (xr[c] - mu) * inv;
            dbeta[c] += dyr[c];
        }
    }
}

CLONES void tt_softmax_backward_rows_f32(const float *p, float *dp, size_t rows, size_t columns, size_t valid) {
    for (size_t r = 0; r < rows; r++) {
        const float *pr = p + r * columns;
        float *dr = dp + r * columns;
        float dot = 0.0f;
        for (size_t j = 0; j < valid; j++) dot += dr[j] * pr[j];
        for (size_t j = 0; j < valid; j++) dr[j] = pr[j] * (dr[j] - dot);
        for (size_t j = valid; j < columns; j++) dr[j] = 0.0f;
    }
}

static inline float sigmoid(float x) { return 1.0f / (1.0f + fast_exp(-x)); }
static inline float fast_tanh(float x) { return 2.0f * sigmoid(2.0f * x) - 1.0f; }

// The cell kernels' buffers never overlap (restrict): with this many pointers the vectorizer would
// otherwise give up on runtime overlap checks and run scalar.
CLONES void tt_lstm_cell_forward_f32(float *restrict gates, const float *restrict cPrev, const float *restrict hPrev, float *restrict c, float *restrict h,
                                     const unsigned char *restrict active, size_t rows, size_t hidden) {
    for (size_t r = 0; r < rows; r++) {
        float *g = gates + r * 4 * hidden;
        const float *cp = cPrev + r * hidden, *hp = hPrev + r * hidden;
        float *cr = c + r * hidden, *hr = h + r * hidden;
        if (!active[r]) {
            memcpy(cr, cp, hidden * sizeof(float));
            memcpy(hr, hp, hidden * sizeof(float));
            continue;
        }
        // In blocks staged in local arrays: reading and writing the four gate segments of `gates` in place
        // made the vectorizer add an overlap check that sent every call down its scalar path.
        for (size_t j0 = 0; j0 < hidden; j0 += 64) {
            size_t n = hidden - j0 < 64 ? hidden - j0 : 64;
            float pi[64], pf[64], pg[64], po[64];
            memcpy(pi, g + j0, n * sizeof(float));
            memcpy(pf, g + hidden + j0, n * sizeof(float));
            memcpy(pg, g + 2 * hidden + j0, n * sizeof(float));
            memcpy(po, g + 3 * hidden + j0, n * sizeof(float));
            for (size_t j = 0; j < n; j++) {
                float i = sigmoid(pi[j]), f = sigmoid(pf[j]), gg = fast_tanh(pg[j]), o = sigmoid(po[j]);
                pi[j] = i; pf[j] = f; pg[j] = gg; po[j] = o;
                float cn = f * cp[j0 + j] + i * gg;
                cr[j0 + j] = cn;
                hr[j0 + j] = o * fast_tanh(cn);
            }
            memcpy(g + j0, pi, n * sizeof(float));
            memcpy(g + hidden + j0, pf, n * sizeof(float));
            memcpy(g + 2 * hidden + j0, pg, n * sizeof(float));
            memcpy(g + 3 * hidden + j0, po, n * sizeof(float));
        }
    }
}

CLONES void tt_lstm_cell_backward_f32(const float *restrict gates, const float *restrict c, const float *restrict cPrev, float *restrict dh, float *restrict dc,
                                      float *restrict dGates, const unsigned char *restrict active, size_t rows, size_t hidden) {
    for (size_t r = 0; r < rows; r++) {
        const float *g = gates + r * 4 * hidden, *cr = c + r * hidden, *cp = cPrev + r * hidden;
        float *dhr = dh + r * hidden, *dcr = dc + r * hidden, *dg = dGates + r * 4 * hidden;
        if (!active[r]) {
            memset(dg, 0, 4 * hidden * sizeof(float));
            continue;
        }
        for (size_t j = 0; j < hidden; j++) {
            float i = g[j], f = g[hidden + j], gg = g[2 * hidden + j], o = g[3 * hidden + j];
            float tc = fast_tanh(cr[j]);
            float dcTotal = dcr[j] + dhr[j] * o * (1.0f - tc * tc);
            dg[j] = dcTotal * gg * i * (1.0f - i);
            dg[hidden + j] = dcTotal * cp[j] * f * (1.0f - f);
            dg[2 * hidden + j] = dcTotal * i * (1.0f - gg * gg);
            dg[3 * hidden + j] = dhr[j] * tc * o * (1.0f - o);
            dcr[j] = dcTotal * f;
            dhr[j] = 0.0f;
        }
    }
}

CLONES void tt_gru_cell_forward_f32(const float *restrict gi, const float *restrict gh, const float *restrict hPrev, float *restrict act, float *restrict h,
                                    const unsigned char *restrict active, size_t rows, size_t hidden) {
    for (size_t r = 0; r < rows; r++) {
        const float *a = gi + r * 3 * hidden, *b = gh + r * 3 * hidden, *hp = hPrev + r * hidden;
        float *out = act + r * 3 * hidden, *hr = h + r * hidden;
        if (!active[r]) {
            memcpy(hr, hp, hidden * sizeof(float));
            continue;
        }
        for (size_t j = 0; j < hidden; j++) {
            float rg = sigmoid(a[j] + b[j]), z = sigmoid(a[hidden + j] + b[hidden + j]);
            float n = fast_tanh(a[2 * hidden + j] + rg * b[2 * hidden + j]);
            out[j] = rg; out[hidden + j] = z; out[2 * hidden + j] = n;
            hr[j] = (1.0f - z) * n + z * hp[j];
        }
    }
}

CLONES void tt_gru_cell_backward_f32(const float *restrict act, const float *restrict gh, const float *restrict hPrev, float *restrict dh, float *restrict dGi,
                                     float *restrict dGh, const unsigned char *restrict active, size_t rows, size_t hidden) {
    for (size_t r = 0; r < rows; r++) {
        const float *a = act + r * 3 * hidden, *b = gh + r * 3 * hidden, *hp = hPrev + r * hidden;
        float *dhr = dh + r * hidden, *di = dGi + r * 3 * hidden, *dhh = dGh + r * 3 * hidden;
        if (!active[r]) {
            memset(di, 0, 3 * hidden * sizeof(float));
            memset(dhh, 0, 3 * hidden * sizeof(float));
            continue;
        }
        for (size_t j = 0; j < hidden; j++) {
            float rg = a[j], z = a[hidden + j], n = a[2 * hidden + j], d = dhr[j];
            float dnPre = d * (1.0f - z) * (1.0f - n * n);
            float dzPre = d * (hp[j] - n) * z * (1.0f - z);
            float drPre = dnPre * b[2 * hidden + j] * rg * (1.0f - rg);
            di[j] = drPre; di[hidden + j] = dzPre; di[2 * hidden + j] = dnPre;
            dhh[j] = drPre; dhh[hidden + j] = dzPre; dhh[2 * hidden + j] = dnPre * rg;
            dhr[j] = d * z;
        }
    }
}

typedef float v16 __attribute__((vector_size(64)));

static inline v16 load16(const float *p) {
    v16 v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline float sum16(v16 v) {
    float s = 0.0f;
    for (int i = 0; i < 16; i++) s += v[i];
    return s;
}

// One block of up to 4 rows × 4 outputs: 16 dot products sharing every load of X and W.
static inline void few_rows_block(const float *x, const float *w, const float *b, float *y, size_t nr, size_t no,
                                  size_t in, size_t ldy) {
    v16 acc[4][4] = {{{0}}};
    size_t k = 0;
    for (; k + 16 <= in; k += 16) {
        v16 xv[4], wv[4];
        for (size_t i = 0; i < nr; i++) xv[i] = load16(x + i * in + k);
        for (size_t j = 0; j < no; j++) wv[j] = load16(w + j * in + k);
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < no; j++) acc[i][j] += xv[i] * wv[j];
    }
    for (size_t i = 0; i < nr; i++) {
        for (size_t j = 0; j < no; j++) {
            float s = sum16(acc[i][j]);
            for (size_t kk = k; kk < in; kk++) s += x[i * in + kk] * w[j * in + kk];
            y[i * ldy + j] = (b ? b[j] : 0.0f) + s;
        }
    }
}

// The full 4 × 4 block with fixed bounds, so the 16 accumulators stay in registers.
static inline void few_rows_block4x4(const float *x, const float *w, const float *b, float *y, size_t in, size_t ldy) {
    v16 a00 = {0}, a01 = {0}, a02 = {0}, a03 = {0}, a10 = {0}, a11 = {0}, a12 = {0}, a13 = {0};
    v16 a20 = {0}, a21 = {0}, a22 = {0}, a23 = {0}, a30 = {0}, a31 = {0}, a32 = {0}, a33 = {0};
    size_t k = 0;
    for (; k + 16 <= in; k += 16) {
        // The next block of W (the following 4 rows, contiguous) streams in while this one is used.
        __builtin_prefetch(w + 4 * in + 4 * k, 0, 0);
        __builtin_prefetch(w + 4 * in + 4 * k + 16, 0, 0);
        __builtin_prefetch(w + 4 * in + 4 * k + 32, 0, 0);
        __builtin_prefetch(w + 4 * in + 4 * k + 48, 0, 0);
        v16 w0 = load16(w + k), w1 = load16(w + in + k), w2 = load16(w + 2 * in + k), w3 = load16(w + 3 * in + k);
        v16 x0 = load16(x + k);
        a00 += x0 * w0; a01 += x0 * w1; a02 += x0 * w2; a03 += x0 * w3;
        v16 x1 = load16(x + in + k);
        a10 += x1 * w0; a11 += x1 * w1; a12 += x1 * w2; a13 += x1 * w3;
        v16 x2 = load16(x + 2 * in + k);
        a20 += x2 * w0; a21 += x2 * w1; a22 += x2 * w2; a23 += x2 * w3;
        v16 x3 = load16(x + 3 * in + k);
        a30 += x3 * w0; a31 += x3 * w1; a32 += x3 * w2; a33 += x3 * w3;
    }
    v16 acc[4][4] = {{a00, a01, a02, a03}, {a10, a11, a12, a13}, {a20, a21, a22, a23}, {a30, a31, a32, a33}};
    for (size_t i = 0; i < 4; i++) {
        for (size_t j = 0; j < 4; j++) {
            float s = sum16(acc[i][j]);
            for (size_t kk = k; kk < in; kk++) s += x[i * in + kk] * w[j * in + kk];
            y[i * ldy + j] = (b ? b[j] : 0.0f) + s;
        }
    }
}

// One row × 4 outputs with fixed bounds, for the rows left after the 4 × 4 blocks.
static inline void few_rows_block1x4(const float *x, const float *w, const float *b, float *y, size_t in) {
    v16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
    size_t k = 0;
    for (; k + 16 <= in; k += 16) {
        v16 x0 = load16(x + k);
        a0 += x0 * load16(w + k);
        a1 += x0 * load16(w + in + k);
        a2 += x0 * load16(w + 2 * in + k);
        a3 += x0 * load16(w + 3 * in + k);
    }
    v16 acc[4] = {a0, a1, a2, a3};
    for (size_t j = 0; j < 4; j++) {
        float s = sum16(acc[j]);
        for (size_t kk = k; kk < in; kk++) s += x[kk] * w[j * in + kk];
        y[j] = (b ? b[j] : 0.0f) + s;
    }
}

CLONES void tt_linear_few_rows_f32(const float *x, const float *w, const float *b, float *y, size_t rows, size_t in,
                                   size_t outBegin, size_t outEnd, size_t ldy) {
    for (size_t o = outBegin; o < outEnd; o += 4) {
        size_t no = outEnd - o < 4 ? outEnd - o : 4;
        for (size_t r = 0; r < rows; r += 4) {
            size_t nr = rows - r < 4 ? rows - r : 4;
            if (nr == 4 && no == 4)
                few_rows_block4x4(x + r * in, w + o * in, b ? b + o : NULL, y + r * ldy + o, in, ldy);
            else if (no == 4)
                for (size_t i = 0; i < nr; i++)
                    few_rows_block1x4(x + (r + i) * in, w + o * in, b ? b + o : NULL, y + (r + i) * ldy + o, in);
            else
                few_rows_block(x + r * in, w + o * in, b ? b + o : NULL, y + r * ldy + o, nr, no, in, ldy);
        }
    }
}

int tt_cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

CLONES void tt_adamw_f32(float *theta, const float *g, float *m, float *v, size_t count, float lr_decay, float beta1,
                         float beta2, float step_size, float correction2_root, float epsilon) {
#pragma clang fp contract(off)
    const float keep = 1 - lr_decay, one_minus_b1 = 1 - beta1, one_minus_b2 = 1 - beta2;
    for (size_t i = 0; i < count; i++) {
        float t = theta[i] * keep, gi = g[i];
        float mi = beta1 * m[i] + one_minus_b1 * gi;
        float vi = beta2 * v[i] + one_minus_b2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        theta[i] = t - step_size * mi / (__builtin_elementwise_sqrt(vi) / correction2_root + epsilon);  // no errno path: vectorizes
    }
}

CLONES double tt_sum_squares_f32(const float *x, size_t count) {
    // Eight independent partial sums: the additions vectorize instead of waiting on one another.
    double lanes[8] = {0};
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        for (int k = 0; k < 8; k++) lanes[k] += (double)x[i + k] * (double)x[i + k];
    }
    double total = 0;
    for (; i < count; i++) total += (double)x[i] * (double)x[i];
    for (int k = 0; k < 8; k++) total += lanes[k];
    return total;
}
