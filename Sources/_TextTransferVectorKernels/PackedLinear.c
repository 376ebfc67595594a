// Inference GEMM for Linear layers (Y = X · Wᵀ + b) with weights packed once at load, in fp32, bf16 or int8.
//
// W (out × in) is cut into panels of 16 outputs; a panel stores, for each step of k, the 16 outputs' weights
// side by side, so one 64-byte load feeds 16 output lanes: fp32 one k per lane, bf16 a pair of k per lane
// (what vdpbf16ps multiplies), int8 four k per lane (what vpdpbusd multiplies). A tile of up to 8 rows × 3
// panels keeps its 24 accumulators in registers across all of k.
//
// int8: weights per output channel (scale = max|W[o,:]| / 127); activations per row and group of 64 k,
// quantized when the layer runs (scale = max|X[r,g]| / 127), so that one outlier channel — BERT's
// LayerNorm outputs have a few — coarsens only its own group. Rounded to nearest even. vpdpbusd multiplies
// unsigned by signed bytes, so activations are stored +128 and each group's int32 sum is corrected by
// 128 · Σk∈g q_w[o, k] before it is scaled and added in fp32.
// bf16: both operands rounded to nearest even, products summed in fp32.
//
// Each precision has a portable path that computes the same numbers (int8 bit for bit; bf16 in the same
// order, denormals aside) on CPUs without the instructions, and the AVX-512 path where the CPU has them.
#include "TextTransferVectorKernels.h"
#include "Lanes.h"
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

enum { PANEL = 16, TILE_ROWS = 8, INT8_TILE_ROWS = 4, TILE_PANELS = 3, ROW_BLOCK = 256, GROUP = 64 };

static size_t panel_count(size_t out) { return (out + PANEL - 1) / PANEL; }

/// k steps per lane: one float, a bf16 pair, or four bytes.
static size_t lane_k(int precision) { return precision == TT_PRECISION_BF16 ? 2 : precision == TT_PRECISION_INT8 ? 4 : 1; }

/// `in` rounded up to the k steps one lane holds.
static size_t packed_depth(int precision, size_t in) {
    size_t step = lane_k(precision);
    return (in + step - 1) / step * step;
}

size_t tt_packed_linear_groups(size_t in) { return (in + GROUP - 1) / GROUP; }

size_t tt_packed_linear_bytes(int precision, size_t out, size_t in) {
    size_t element = precision == TT_PRECISION_FP32 ? 4 : precision == TT_PRECISION_BF16 ? 2 : 1;
    return panel_count(out) * PANEL * packed_depth(precision, in) * element;
}

uint16_t tt_bf16_from_f32(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x40);  // NaN stays a (quiet) NaN
    bits += 0x7fffu + ((bits >> 16) & 1);                                              // round to nearest even
    return (uint16_t)(bits >> 16);
}

static inline float f32_from_bf16(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

/// 127 / max|v| for quantizing, and max|v| / 127 for dequantizing; NaN or infinity makes the scale NaN,
/// so the outputs are NaN instead of silently wrong.
static void int8_scales(const float *v, size_t n, float *quantize, float *dequantize) {
    float peak = 0;
    int finite = 1;
    for (size_t i = 0; i < n; i++) {
        float a = fabsf(v[i]);
        if (!(a <= 3.4028235e38f)) finite = 0;
        peak = a > peak ? a : peak;
    }
    *quantize = finite && peak > 0 ? 127.0f / peak : 0;
    *dequantize = finite ? peak / 127.0f : NAN;
}

static inline int8_t quantize_int8(float v, float quantize) {
    float q = nearbyintf(v * quantize);
    q = q < -127 ? -127 : q > 127 ? 127 : q;
    return (int8_t)q;
}

void tt_pack_linear(int precision, const float *w, size_t out, size_t in, void *packed, float *scales, int32_t *sums) {
    size_t depth = packed_depth(precision, in), step = lane_k(precision), panels = panel_count(out);
    memset(packed, 0, tt_packed_linear_bytes(precision, out, in));
    size_t padded = panels * PANEL, groups = tt_packed_linear_groups(in);
    if (precision == TT_PRECISION_INT8) {
        for (size_t o = 0; o < padded; o++) scales[o] = 0;
        for (size_t i = 0; i < groups * padded; i++) sums[i] = 0;
    }
    for (size_t o = 0; o < out; o++) {
        const float *row = w + o * in;
        float quantize = 0;
        if (precision == TT_PRECISION_INT8) int8_scales(row, in, &quantize, &scales[o]);
        size_t p = o / PANEL, lane = o % PANEL;
        for (size_t k = 0; k < in; k++) {
            // panel p, k step k / step, lane, position k % step within the lane
            size_t at = (p * (depth / step) + k / step) * PANEL * step + lane * step + k % step;
            if (precision == TT_PRECISION_FP32) ((float *)packed)[at] = row[k];
            else if (precision == TT_PRECISION_BF16) ((uint16_t *)packed)[at] = tt_bf16_from_f32(row[k]);
            else {
                int8_t q = quantize_int8(row[k], quantize);
                ((int8_t *)packed)[at] = q;
                sums[(k / GROUP) * padded + o] += q;
            }
        }
    }
}

// ---- Activations, converted per block of rows into `depth`-wide rows (padding: bf16 0, int8 128 ≙ 0) ----

static void convert_rows_bf16_portable(const float *x, size_t rows, size_t in, size_t depth, uint16_t *out) {
    for (size_t r = 0; r < rows; r++) {
        for (size_t k = 0; k < in; k++) out[r * depth + k] = tt_bf16_from_f32(x[r * in + k]);
        for (size_t k = in; k < depth; k++) out[r * depth + k] = 0;
    }
}

static void convert_rows_int8_portable(const float *x, size_t rows, size_t in, size_t depth, uint8_t *out, float *rowScales) {
    size_t groups = tt_packed_linear_groups(in);
    for (size_t r = 0; r < rows; r++) {
        for (size_t g = 0; g < groups; g++) {
            size_t k0 = g * GROUP, k1 = k0 + GROUP < in ? k0 + GROUP : in;
            float quantize;
            int8_scales(x + r * in + k0, k1 - k0, &quantize, &rowScales[r * groups + g]);
            for (size_t k = k0; k < k1; k++) out[r * depth + k] = (uint8_t)(quantize_int8(x[r * in + k], quantize) + 128);
        }
        for (size_t k = in; k < depth; k++) out[r * depth + k] = 128;
    }
}

// ---- Portable tiles: one output at a time, in the order the vector tiles add ----

static void tile_portable(int precision, size_t rows, size_t outs, const void *a, size_t depth, const void *panel0,
                          size_t panelStride, const float *scales, const int32_t *sums, size_t sumStride,
                          const float *rowScales, size_t groups, const float *b, float *y, size_t ldy) {
    for (size_t r = 0; r < rows; r++) {
        for (size_t j = 0; j < outs; j++) {
            size_t p = j / PANEL, lane = j % PANEL;
            float bias = b ? b[j] : 0;
            if (precision == TT_PRECISION_FP32) {
                const float *wp = (const float *)panel0 + p * panelStride, *xr = (const float *)a + r * depth;
                float acc = bias;
                for (size_t k = 0; k < depth; k++) acc = fmaf(xr[k], wp[k * PANEL + lane], acc);
                y[r * ldy + j] = acc;
            } else if (precision == TT_PRECISION_BF16) {
                const uint16_t *wp = (const uint16_t *)panel0 + p * panelStride, *xr = (const uint16_t *)a + r * depth;
                float acc = bias;
                for (size_t k2 = 0; k2 < depth / 2; k2++) {  // vdpbf16ps adds the odd product, then the even one
                    const uint16_t *wk = wp + (k2 * PANEL + lane) * 2;
                    acc += f32_from_bf16(xr[2 * k2 + 1]) * f32_from_bf16(wk[1]);
                    acc += f32_from_bf16(xr[2 * k2]) * f32_from_bf16(wk[0]);
                }
                y[r * ldy + j] = acc;
            } else {
                const int8_t *wp = (const int8_t *)panel0 + p * panelStride;
                const uint8_t *xr = (const uint8_t *)a + r * depth;
                float total = 0;
                for (size_t g = 0; g < groups; g++) {
                    size_t end = (g + 1) * GROUP / 4 < depth / 4 ? (g + 1) * GROUP / 4 : depth / 4;
                    int32_t acc = 0;
                    for (size_t k4 = g * GROUP / 4; k4 < end; k4++)
                        for (size_t e = 0; e < 4; e++) acc += (int32_t)xr[4 * k4 + e] * wp[(k4 * PANEL + lane) * 4 + e];
                    total = fmaf((float)(acc - 128 * sums[g * sumStride + j]), rowScales[r * groups + g], total);
                }
                y[r * ldy + j] = fmaf(total, scales[j], bias);
            }
        }
    }
}

// ---- AVX-512 tiles ----

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
#define AVX512_BF16 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512bf16")))
#define AVX512_VNNI __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))
#define INLINE static inline __attribute__((always_inline))

// Tiles of MR rows × NP panels (constants after inlining, so the accumulators live in registers).
AVX512 INLINE void tile_f32(int MR, int NP, const float *x, size_t ldx, size_t depth, const float *panel0,
                            size_t panelStride, const float *b, float *y, size_t ldy, size_t outs) {
    __m512 acc[TILE_ROWS][TILE_PANELS];
    for (int p = 0; p < NP; p++) {
        __m512 bias = b ? _mm512_maskz_loadu_ps(lane_mask(outs - p * PANEL), b + p * PANEL) : _mm512_setzero_ps();
        for (int r = 0; r < MR; r++) acc[r][p] = bias;
    }
    for (size_t k = 0; k < depth; k++) {
        __m512 w[TILE_PANELS];
        for (int p = 0; p < NP; p++) w[p] = _mm512_loadu_ps(panel0 + p * panelStride + k * PANEL);
        for (int r = 0; r < MR; r++) {
            __m512 xv = _mm512_set1_ps(x[r * ldx + k]);
            for (int p = 0; p < NP; p++) acc[r][p] = _mm512_fmadd_ps(xv, w[p], acc[r][p]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int p = 0; p < NP; p++) _mm512_mask_storeu_ps(y + r * ldy + p * PANEL, lane_mask(outs - p * PANEL), acc[r][p]);
}

AVX512_BF16 INLINE void tile_bf16(int MR, int NP, const uint16_t *x, size_t depth, const uint16_t *panel0,
                                  size_t panelStride, const float *b, float *y, size_t ldy, size_t outs) {
    __m512 acc[TILE_ROWS][TILE_PANELS];
    for (int p = 0; p < NP; p++) {
        __m512 bias = b ? _mm512_maskz_loadu_ps(lane_mask(outs - p * PANEL), b + p * PANEL) : _mm512_setzero_ps();
        for (int r = 0; r < MR; r++) acc[r][p] = bias;
    }
    for (size_t k2 = 0; k2 < depth / 2; k2++) {
        __m512bh w[TILE_PANELS];
        for (int p = 0; p < NP; p++) w[p] = (__m512bh)_mm512_loadu_si512(panel0 + p * panelStride + k2 * 2 * PANEL);
        for (int r = 0; r < MR; r++) {
            int32_t pair;
            memcpy(&pair, x + r * depth + 2 * k2, 4);
            __m512bh xv = (__m512bh)_mm512_set1_epi32(pair);
            for (int p = 0; p < NP; p++) acc[r][p] = _mm512_dpbf16_ps(acc[r][p], xv, w[p]);
        }
    }
    for (int r = 0; r < MR; r++)
        for (int p = 0; p < NP; p++) _mm512_mask_storeu_ps(y + r * ldy + p * PANEL, lane_mask(outs - p * PANEL), acc[r][p]);
}

AVX512_VNNI INLINE void tile_int8(int MR, int NP, const uint8_t *x, size_t depth, const int8_t *panel0, size_t panelStride,
                                  const float *scales, const int32_t *sums, size_t sumStride, const float *rowScales,
                                  size_t groups, const float *b, float *y, size_t ldy, size_t outs) {
    __m512 total[INT8_TILE_ROWS][TILE_PANELS];
    for (int r = 0; r < MR; r++)
        for (int p = 0; p < NP; p++) total[r][p] = _mm512_setzero_ps();
    for (size_t g = 0; g < groups; g++) {
        __m512i acc[INT8_TILE_ROWS][TILE_PANELS];
        for (int r = 0; r < MR; r++)
            for (int p = 0; p < NP; p++) acc[r][p] = _mm512_setzero_si512();
        size_t end = (g + 1) * GROUP / 4 < depth / 4 ? (g + 1) * GROUP / 4 : depth / 4;
        for (size_t k4 = g * GROUP / 4; k4 < end; k4++) {
            __m512i w[TILE_PANELS];
            for (int p = 0; p < NP; p++) w[p] = _mm512_loadu_si512(panel0 + p * panelStride + k4 * 4 * PANEL);
            for (int r = 0; r < MR; r++) {
                int32_t quad;
                memcpy(&quad, x + r * depth + 4 * k4, 4);
                __m512i xv = _mm512_set1_epi32(quad);
                for (int p = 0; p < NP; p++) acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], xv, w[p]);
            }
        }
        for (int p = 0; p < NP; p++) {
            __m512i correction = _mm512_slli_epi32(_mm512_loadu_si512(sums + g * sumStride + p * PANEL), 7);
            for (int r = 0; r < MR; r++)
                total[r][p] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(_mm512_sub_epi32(acc[r][p], correction)),
                                              _mm512_set1_ps(rowScales[r * groups + g]), total[r][p]);
        }
    }
    for (int p = 0; p < NP; p++) {
        __mmask16 m = lane_mask(outs - p * PANEL);
        __m512 scale = _mm512_loadu_ps(scales + p * PANEL);
        __m512 bias = b ? _mm512_maskz_loadu_ps(m, b + p * PANEL) : _mm512_setzero_ps();
        for (int r = 0; r < MR; r++) _mm512_mask_storeu_ps(y + r * ldy + p * PANEL, m, _mm512_fmadd_ps(total[r][p], scale, bias));
    }
}

#define TILE_CASE(M, N, CALL) case (M) * 4 + (N): CALL(M, N); break;
#define TILE_CASES_FOR_ROWS(M, CALL) TILE_CASE(M, 1, CALL) TILE_CASE(M, 2, CALL) TILE_CASE(M, 3, CALL)
#define TILE_SWITCH(rows, panels, CALL)                                                                      \
    switch ((int)(rows) * 4 + (int)(panels)) {                                                                \
        TILE_CASES_FOR_ROWS(1, CALL) TILE_CASES_FOR_ROWS(2, CALL) TILE_CASES_FOR_ROWS(3, CALL)                \
        TILE_CASES_FOR_ROWS(4, CALL) TILE_CASES_FOR_ROWS(5, CALL) TILE_CASES_FOR_ROWS(6, CALL)                \
        TILE_CASES_FOR_ROWS(7, CALL) TILE_CASES_FOR_ROWS(8, CALL)                                             \
    }

AVX512 static void tile_f32_any(size_t rows, size_t panels, const float *x, size_t ldx, size_t depth, const float *panel0,
                                size_t panelStride, const float *b, float *y, size_t ldy, size_t outs) {
#define CALL_F32(M, N) tile_f32(M, N, x, ldx, depth, panel0, panelStride, b, y, ldy, outs)
    TILE_SWITCH(rows, panels, CALL_F32)
#undef CALL_F32
}

AVX512_BF16 static void tile_bf16_any(size_t rows, size_t panels, const uint16_t *x, size_t depth, const uint16_t *panel0,
                                      size_t panelStride, const float *b, float *y, size_t ldy, size_t outs) {
#define CALL_BF16(M, N) tile_bf16(M, N, x, depth, panel0, panelStride, b, y, ldy, outs)
    TILE_SWITCH(rows, panels, CALL_BF16)
#undef CALL_BF16
}

AVX512_VNNI static void tile_int8_any(size_t rows, size_t panels, const uint8_t *x, size_t depth, const int8_t *panel0,
                                      size_t panelStride, const float *scales, const int32_t *sums, size_t sumStride,
                                      const float *rowScales, size_t groups, const float *b, float *y, size_t ldy, size_t outs) {
#define CALL_INT8(M, N) tile_int8(M, N, x, depth, panel0, panelStride, scales, sums, sumStride, rowScales, groups, b, y, ldy, outs)
    switch ((int)rows * 4 + (int)panels) {  // 4 rows at most: its 24 accumulators (int32 and fp32) fill the registers
        TILE_CASES_FOR_ROWS(1, CALL_INT8) TILE_CASES_FOR_ROWS(2, CALL_INT8) TILE_CASES_FOR_ROWS(3, CALL_INT8)
        TILE_CASES_FOR_ROWS(4, CALL_INT8)
    }
#undef CALL_INT8
}

AVX512_BF16 static void convert_rows_bf16_avx512(const float *x, size_t rows, size_t in, size_t depth, uint16_t *out) {
    for (size_t r = 0; r < rows; r++) {
        size_t k = 0;
        for (; k + 16 <= in; k += 16)
            _mm256_storeu_si256((__m256i *)(out + r * depth + k), (__m256i)_mm512_cvtneps_pbh(_mm512_loadu_ps(x + r * in + k)));
        for (; k < in; k++) out[r * depth + k] = tt_bf16_from_f32(x[r * in + k]);
        for (; k < depth; k++) out[r * depth + k] = 0;
    }
}

AVX512 static void convert_rows_int8_avx512(const float *x, size_t rows, size_t in, size_t depth, uint8_t *out, float *rowScales) {
    size_t groups = tt_packed_linear_groups(in);
    const __m512i offset = _mm512_set1_epi32(128), low = _mm512_set1_epi32(-127), high = _mm512_set1_epi32(127);
    for (size_t r = 0; r < rows; r++) {
        const float *xr = x + r * in;
        for (size_t g = 0; g < groups; g++) {
            size_t k0 = g * GROUP, k1 = k0 + GROUP < in ? k0 + GROUP : in;
            __m512 peak = _mm512_setzero_ps();
            __mmask16 unordered = 0;
            for (size_t k = k0; k < k1; k += 16) {
                __m512 v = _mm512_abs_ps(_mm512_maskz_loadu_ps(lane_mask(k1 - k), xr + k));
                unordered |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
                peak = _mm512_max_ps(peak, v);
            }
            float top = _mm512_reduce_max_ps(peak);
            int finite = !unordered && top <= 3.4028235e38f;
            float quantize = finite && top > 0 ? 127.0f / top : 0;
            rowScales[r * groups + g] = finite ? top / 127.0f : NAN;
            __m512 q = _mm512_set1_ps(quantize);
            for (size_t k = k0; k < k1; k += 16) {
                __mmask16 m = lane_mask(k1 - k);
                __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, xr + k), q));  // nearest even
                v = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(v, low), high), offset);
                _mm_mask_storeu_epi8(out + r * depth + k, m, _mm512_cvtepi32_epi8(v));
            }
        }
        for (size_t k = in; k < depth; k++) out[r * depth + k] = 128;
    }
}
#endif

int tt_packed_linear_native(int precision) {
#if defined(__x86_64__)
    if (!tt_cpu_has_avx512()) return 0;
    if (precision == TT_PRECISION_BF16) return __builtin_cpu_supports("avx512bf16");
    if (precision == TT_PRECISION_INT8) return __builtin_cpu_supports("avx512vnni");
    return 1;
#else
    (void)precision;
    return 0;
#endif
}

void tt_packed_linear_forward(int precision, int native, const float *x, const void *packed, const float *scales,
                              const int32_t *sums, const float *b, float *y, size_t rows, size_t in, size_t out,
                              size_t panelBegin, size_t panelEnd, size_t ldy) {
    native = native && tt_packed_linear_native(precision);
    size_t depth = packed_depth(precision, in), element = precision == TT_PRECISION_FP32 ? 4 : precision == TT_PRECISION_BF16 ? 2 : 1;
    size_t panelStride = depth * PANEL;  // elements per panel
    // Panels per pass over a block of rows: about 256 KB of weights, so they stay in L2 while the rows go by.
    size_t chunk = (256 * 1024) / (panelStride * element);
    chunk = chunk < TILE_PANELS ? TILE_PANELS : chunk / TILE_PANELS * TILE_PANELS;
    size_t blockRows = rows < ROW_BLOCK ? rows : ROW_BLOCK;
    void *converted = precision == TT_PRECISION_FP32 ? NULL : malloc(blockRows * depth * element);
    size_t groups = tt_packed_linear_groups(in), sumStride = panel_count(out) * PANEL;
    size_t tileRows = precision == TT_PRECISION_INT8 ? INT8_TILE_ROWS : TILE_ROWS;
    float *rowScales = precision == TT_PRECISION_INT8 ? malloc(blockRows * groups * sizeof(float)) : NULL;
    for (size_t r0 = 0; r0 < rows; r0 += ROW_BLOCK) {
        size_t nr = rows - r0 < ROW_BLOCK ? rows - r0 : ROW_BLOCK;
        const float *xb = x + r0 * in;
        const void *a = xb;  // fp32 reads the rows in place (depth == in)
        if (precision == TT_PRECISION_BF16) {
#if defined(__x86_64__)
            if (native) convert_rows_bf16_avx512(xb, nr, in, depth, converted); else
#endif
            convert_rows_bf16_portable(xb, nr, in, depth, converted);
            a = converted;
        } else if (precision == TT_PRECISION_INT8) {
#if defined(__x86_64__)
            if (native) convert_rows_int8_avx512(xb, nr, in, depth, converted, rowScales); else
#endif
            convert_rows_int8_portable(xb, nr, in, depth, converted, rowScales);
            a = converted;
        }
        for (size_t c0 = panelBegin; c0 < panelEnd; c0 += chunk) {
            size_t c1 = c0 + chunk < panelEnd ? c0 + chunk : panelEnd;
            for (size_t r = 0; r < nr; r += tileRows) {
                size_t mr = nr - r < tileRows ? nr - r : tileRows;
                for (size_t p = c0; p < c1; p += TILE_PANELS) {
                    size_t np = c1 - p < TILE_PANELS ? c1 - p : TILE_PANELS;
                    size_t o = p * PANEL, outs = out - o < np * PANEL ? out - o : np * PANEL;
                    np = (outs + PANEL - 1) / PANEL;
                    float *yt = y + (r0 + r) * ldy + o;
                    const float *bt = b ? b + o : NULL;
                    const char *panel = (const char *)packed + p * panelStride * element;
#if defined(__x86_64__)
                    if (native) {
                        if (precision == TT_PRECISION_FP32)
                            tile_f32_any(mr, np, xb + r * in, in, depth, (const float *)panel, panelStride, bt, yt, ldy, outs);
                        else if (precision == TT_PRECISION_BF16)
                            tile_bf16_any(mr, np, (const uint16_t *)a + r * depth, depth, (const uint16_t *)panel, panelStride, bt, yt, ldy, outs);
                        else
                            tile_int8_any(mr, np, (const uint8_t *)a + r * depth, depth, (const int8_t *)panel, panelStride,
                                          scales + o, sums + o, sumStride, rowScales + r * groups, groups, bt, yt, ldy, outs);
                        continue;
                    }
#endif
                    const char *rowsAt = (const char *)a + r * depth * element;
                    tile_portable(precision, mr, outs, rowsAt, depth, panel, panelStride, scales ? scales + o : NULL,
                                  sums ? sums + o : NULL, sumStride, rowScales ? rowScales + r * groups : NULL, groups, bt, yt, ldy);
                }
            }
        }
    }
    free(converted);
    free(rowScales);
}
