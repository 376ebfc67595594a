// One attention head of one sequence at inference, in AVX-512 registers: for heads of 32 or 64 dimensions
// and up to a few hundred tokens, a BLAS call per product spends more on copying (packing) Q, K and V than
// on the arithmetic. Here Kᵀ is built once per head (scaled by 1/√D), and blocks of four query rows share
// each load of Kᵀ (for their scores) and of V (for their outputs).
#include "TextTransferVectorKernels.h"
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
        tt_masked_softmax_rows_f32(scores, 4, lp, length);
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
