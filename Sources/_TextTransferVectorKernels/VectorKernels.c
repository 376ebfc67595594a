#include "TextTransferVectorKernels.h"
#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

// Cephes expf: e^x = 2^n · e^r with |r| <= ln2/2 and a degree-5 polynomial; relative error < 2e-7.
// Inputs below -87.3 give 0 (what an additive -inf mask needs).
static inline float fast_exp(float input) {
    float x = fminf(fmaxf(input, -87.3f), 88.3f);
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
    float x = fminf(fmaxf(input, -4.0f), 4.0f);
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

CLONES void tt_gelu_f32(const float *x, float *y, size_t count) {
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        y[i] = 0.5f * v * (1.0f + fast_erf(v * 0.70710678118654752f));
    }
}

#pragma clang fp reassociate(on)
CLONES void tt_masked_softmax_rows_f32(float *scores, size_t rows, size_t columns, size_t valid) {
    for (size_t r = 0; r < rows; r++) {
        float *row = scores + r * columns;
        float top = row[0];
        for (size_t j = 1; j < valid; j++) top = fmaxf(top, row[j]);
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

int tt_cpu_has_avx512(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}
