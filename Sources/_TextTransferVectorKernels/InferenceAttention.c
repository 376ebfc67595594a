// One attention head of one sequence at inference, in AVX-512 registers: for heads of 32 or 64 dimensions
// and up to a few hundred tokens, a BLAS call per product spends more on copying (packing) Q, K and V than
// on the arithmetic. Here Kᵀ is built once per head (scaled by 1/√D), and blocks of four query rows share
// each load of Kᵀ (for their scores) and of V (for their outputs).
#include "TextTransferVectorKernels.h"
#include "Lanes.h"
#include <stddef.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static size_t padded_keys(size_t length) { return (length + 15) / 16 * 16; }

size_t tt_attention_head_scratch(size_t tokens, size_t headSize) {
    if (headSize % 16 != 0) return 0;  // the kernel does not run: nothing to hold
    return headSize * padded_keys(tokens) + 4 * padded_keys(tokens);
}

#if defined(__x86_64__)
#define AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

/// scores (4 rows × 16 · CHUNKS keys) = q (4 rows × D) · Kᵀ (D × Lp) for CHUNKS 16-key chunks: each load of
/// Kᵀ serves four query rows.
AVX512 static inline __attribute__((always_inline)) void score_chunks(int chunks, const float *const q[4], const float *kt, size_t lp,
                                                                      size_t headSize, float *scores) {
    __m512 acc[4][4];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < chunks; c++) acc[r][c] = _mm512_setzero_ps();
    for (size_t d = 0; d < headSize; d++) {
        __m512 keys[4];
        for (int c = 0; c < chunks; c++) keys[c] = _mm512_loadu_ps(kt + d * lp + c * 16);
        for (int r = 0; r < 4; r++) {
            __m512 qd = _mm512_set1_ps(q[r][d]);
            for (int c = 0; c < chunks; c++) acc[r][c] = _mm512_fmadd_ps(qd, keys[c], acc[r][c]);
        }
    }
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < chunks; c++) _mm512_storeu_ps(scores + r * lp + c * 16, acc[r][c]);
}

/// out rows (4 × V) += p (4 × length) · V (length × 16·VECTORS) for one slice of VECTORS × 16 dimensions.
AVX512 static inline __attribute__((always_inline)) void weigh_values(int vectors, const float *p, size_t lp, const float *v,
                                                                      size_t width, size_t length, float *out, size_t rows) {
    __m512 acc[4][2];
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < vectors; c++) acc[r][c] = _mm512_setzero_ps();
    for (size_t j = 0; j < length; j++) {
        __m512 vj[2];
        for (int c = 0; c < vectors; c++) vj[c] = _mm512_loadu_ps(v + j * width + c * 16);
        for (int r = 0; r < 4; r++) {
            __m512 weight = _mm512_set1_ps(p[r * lp + j]);
            for (int c = 0; c < vectors; c++) acc[r][c] = _mm512_fmadd_ps(weight, vj[c], acc[r][c]);
        }
    }
    for (size_t r = 0; r < rows; r++)
        for (int c = 0; c < vectors; c++) _mm512_storeu_ps(out + r * width + c * 16, acc[r][c]);
}

/// e^x for 16 lanes: the polynomial of VectorKernels.c's fast_exp (Cephes), lane by lane the same numbers.
AVX512 static inline __attribute__((always_inline)) __m512 exp_lanes(__m512 input) {
    __m512 x = _mm512_min_ps(_mm512_max_ps(input, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.3f));
    __m512 n = _mm512_floor_ps(_mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504088896341f), _mm512_set1_ps(0.5f)));
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fmadd_ps(n, _mm512_set1_ps(2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    __m512 y = _mm512_add_ps(_mm512_fmadd_ps(_mm512_mul_ps(p, r), r, r), _mm512_set1_ps(1.0f));
    __m512 scale = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127)), 23));
    return _mm512_maskz_mul_ps(_mm512_cmp_ps_mask(input, _mm512_set1_ps(-87.3f), _CMP_GE_OQ), y, scale);
}

/// Softmax of each of four score rows over its first `length` of `lp` columns, 16 lanes at a time (the
/// scalar softmax's sum is serial, which keeps the compiler from vectorizing it).
AVX512 static void softmax_rows4(float *scores, size_t lp, size_t length) {
    for (int r = 0; r < 4; r++) {
        float *row = scores + r * lp;
        __m512 top = _mm512_set1_ps(-3.4028235e38f);
        for (size_t j = 0; j < length; j += 16)
            top = _mm512_max_ps(top, _mm512_mask_loadu_ps(top, lane_mask(length - j), row + j));
        __m512 peak = _mm512_set1_ps(_mm512_reduce_max_ps(top)), sum = _mm512_setzero_ps();
        for (size_t j = 0; j < length; j += 16) {
            __m512 e = _mm512_maskz_mov_ps(lane_mask(length - j), exp_lanes(_mm512_sub_ps(_mm512_loadu_ps(row + j), peak)));
            _mm512_storeu_ps(row + j, e);
            sum = _mm512_add_ps(sum, e);
        }
        __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
        for (size_t j = 0; j < length; j += 16) _mm512_storeu_ps(row + j, _mm512_mul_ps(_mm512_loadu_ps(row + j), inverse));
    }
}

AVX512 static void attention_head_avx512(const float *q, const float *k, const float *v, float *out, size_t tokens, size_t length,
                                         size_t headSize, size_t width, float scale, float *scratch) {
    size_t lp = padded_keys(length), chunks = lp / 16;
    float *kt = scratch, *scores = scratch + headSize * lp;
    for (size_t d = 0; d < headSize; d++) {
        for (size_t j = 0; j < length; j++) kt[d * lp + j] = k[j * width + d] * scale;
        for (size_t j = length; j < lp; j++) kt[d * lp + j] = 0;
    }
    for (size_t i0 = 0; i0 < tokens; i0 += 4) {
        size_t rows = tokens - i0 < 4 ? tokens - i0 : 4;
        // Rows past the sequence repeat its last row: their scores are computed but never stored.
        const float *rowsQ[4];
        for (size_t r = 0; r < 4; r++) rowsQ[r] = q + (i0 + (r < rows ? r : rows - 1)) * width;
        size_t c = 0;
        for (; c + 4 <= chunks; c += 4) score_chunks(4, rowsQ, kt + c * 16, lp, headSize, scores + c * 16);
        for (; c < chunks; c++) score_chunks(1, rowsQ, kt + c * 16, lp, headSize, scores + c * 16);
        softmax_rows4(scores, lp, length);
        for (size_t d = 0; d < headSize; d += 32) {
            if (headSize - d >= 32) weigh_values(2, scores, lp, v + d, width, length, out + i0 * width + d, rows);
            else weigh_values(1, scores, lp, v + d, width, length, out + i0 * width + d, rows);
        }
    }
}
#endif

int tt_attention_head_f32(const float *q, const float *k, const float *v, float *out, size_t tokens, size_t length,
                          size_t headSize, size_t width, float scale, float *scratch) {
#if defined(__x86_64__)
    if (headSize % 16 != 0 || length == 0 || !tt_cpu_has_avx512()) return 0;
    attention_head_avx512(q, k, v, out, tokens, length, headSize, width, scale, scratch);
    return 1;
#else
    (void)q, (void)k, (void)v, (void)out, (void)tokens, (void)length, (void)headSize, (void)width, (void)scale, (void)scratch;
    return 0;
#endif
}
