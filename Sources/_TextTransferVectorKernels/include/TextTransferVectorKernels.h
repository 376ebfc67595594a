// Elementwise and row kernels in C so that the compiler can make AVX-512, AVX2 and baseline clones of each
// (target_clones, chosen once at load time). Swift itself compiles for baseline x86-64 unless given
// unsafe flags, which would stop packages that depend on TextTransfer from building.
#ifndef TEXT_TRANSFER_VECTOR_KERNELS_H
#define TEXT_TRANSFER_VECTOR_KERNELS_H
#include <stddef.h>
#include <stdint.h>

/// y = x · ½ · (1 + erf(x / √2)); x and y may alias.
void tt_gelu_f32(const float *x, float *y, size_t count);

/// In-place softmax of each row of `scores` (rows × columns) over its first `valid` entries; the rest
/// become 0.
void tt_masked_softmax_rows_f32(float *scores, size_t rows, size_t columns, size_t valid);

/// Layer norm of each row of x (rows × width) into y (may alias x); `mean` and `rstd` may be NULL.
void tt_layer_norm_rows_f32(const float *x, const float *gamma, const float *beta, float *y, size_t rows,
                            size_t width, float epsilon, float *mean, float *rstd);

/// y += x.
void tt_add_f32(float *y, const float *x, size_t count);

/// Y[r, o] = b[o] + Σk X[r, k] · W[o, k] for outputs o in [outBegin, outEnd): X (rows × in), W (out × in),
/// b may be NULL, Y has row stride `ldy`. For few rows: it reads W in place, where a BLAS sgemm would
/// first copy (pack) all of W, which costs as much as the arithmetic when rows are few.
void tt_linear_few_rows_f32(const float *x, const float *w, const float *b, float *y, size_t rows, size_t in,
                            size_t outBegin, size_t outEnd, size_t ldy);

/// dx += dy · GELU'(x), GELU'(x) = Φ(x) + x·φ(x) (exact-erf form).
void tt_gelu_backward_f32(const float *x, const float *dy, float *dx, size_t count);

/// Layer norm backward for rows of width `width`: dx += rstd · (g − mean(g) − x̂ · mean(g · x̂)) with
/// g = dy · gamma and x̂ = (x − mean) · rstd. Parameter gradients are separate (tt_layer_norm_param_grads).
void tt_layer_norm_backward_rows_f32(const float *x, const float *dy, const float *gamma, const float *mean,
                                     const float *rstd, float *dx, size_t rows, size_t width);

/// dgamma[c] += Σ_rows dy · x̂, dbeta[c] += Σ_rows dy for columns [colBegin, colEnd).
void tt_layer_norm_param_grads_f32(const float *x, const float *dy, const float *mean, const float *rstd,
                                   float *dgamma, float *dbeta, size_t rows, size_t width, size_t colBegin, size_t colEnd);

/// Softmax backward in place over each row's first `valid` entries: dp becomes
/// ds = p · (dp − Σ_j dp_j · p_j); entries past `valid` become 0.
void tt_softmax_backward_rows_f32(const float *p, float *dp, size_t rows, size_t columns, size_t valid);

/// One LSTM step for `rows` sequences (PyTorch gate order i, f, g, o). `gates` (rows, 4H) holds the
/// pre-activations and receives the activations; c = f·cPrev + i·g, h = o·tanh(c). Rows with active[r]
/// == 0 (past their length) keep their state: c = cPrev, h = hPrev.
void tt_lstm_cell_forward_f32(float *gates, const float *cPrev, const float *hPrev, float *c, float *h,
                              const unsigned char *active, size_t rows, size_t hidden);

/// Backward of one LSTM step. In: activations `gates`, c and cPrev; dh and dc (gradients arriving at
/// h and c of this step). Out: dGates (rows, 4H) of the pre-activations; dc becomes dL/dcPrev; dh becomes 0
/// (the caller adds dGates · W_hh for dL/dhPrev). Inactive rows: dGates 0, dh and dc pass through.
void tt_lstm_cell_backward_f32(const float *gates, const float *c, const float *cPrev, float *dh, float *dc,
                               float *dGates, const unsigned char *active, size_t rows, size_t hidden);

/// One GRU step (PyTorch: r, z, n): gi (rows, 3H) input part with b_ih, gh (rows, 3H) hidden part with b_hh;
/// r = σ(gi_r + gh_r), z = σ(gi_z + gh_z), n = tanh(gi_n + r·gh_n), h = (1 − z)·n + z·hPrev.
/// `act` (rows, 3H) receives r, z, n. Inactive rows keep h = hPrev.
void tt_gru_cell_forward_f32(const float *gi, const float *gh, const float *hPrev, float *act, float *h,
                             const unsigned char *active, size_t rows, size_t hidden);

/// Backward of one GRU step: from dh (arriving at h) and the saved act, gh_n (in gh) and hPrev, writes
/// dGi and dGh (rows, 3H) and sets dh to the direct part of dL/dhPrev (z·dh); the caller adds dGh · W_hh.
/// Inactive rows: zero dGi and dGh, dh passes through.
void tt_gru_cell_backward_f32(const float *act, const float *gh, const float *hPrev, float *dh, float *dGi,
                              float *dGh, const unsigned char *active, size_t rows, size_t hidden);

/// Precisions of the packed Linear kernels (PackedLinear.c).
enum { TT_PRECISION_FP32 = 0, TT_PRECISION_BF16 = 1, TT_PRECISION_INT8 = 2 };

/// The packed size in bytes of an out × in weight (outputs rounded up to 16, inputs to the 1, 2 or 4 k
/// one lane holds).
size_t tt_packed_linear_bytes(int precision, size_t out, size_t in);

/// int8 activation groups of an `in`-wide input: one scale per row and 64 k.
size_t tt_packed_linear_groups(size_t in);

/// Packs W (out × in) into panels of 16 outputs for `tt_packed_linear_forward`. int8 also writes each
/// output's scale (max|W[o,:]| / 127) into `scales` (out rounded up to 16 entries) and each group's
/// Σk∈g q[o,k] into `sums` (groups × the same, group-major).
void tt_pack_linear(int precision, const float *w, size_t out, size_t in, void *packed, float *scales, int32_t *sums);

/// Y[r, o] = b[o] + Σk X[r, k] · W[o, k] for the outputs of panels [panelBegin, panelEnd) (16 outputs each),
/// X (rows × in), Y with row stride ldy; b may be NULL. bf16 rounds X to bf16; int8 quantizes each row
/// of X with a scale per group of 64 k. `native` 0 forces the portable path (which computes the same numbers).
void tt_packed_linear_forward(int precision, int native, const float *x, const void *packed, const float *scales,
                              const int32_t *sums, const float *b, float *y, size_t rows, size_t in, size_t out,
                              size_t panelBegin, size_t panelEnd, size_t ldy);

/// 1 when the CPU has the instructions of the precision's vector kernel (AVX-512; BF16; VNNI).
int tt_packed_linear_native(int precision);

/// float → bf16, rounded to nearest even (NaN stays NaN).
uint16_t tt_bf16_from_f32(float value);

/// Inference attention of one head of one sequence (InferenceAttention.c): out[i] = softmax(scale · q[i] · Kᵀ
/// over the first `length` keys) · V for query rows i < tokens; q, k, v and out hold rows of `headSize`
/// floats at row stride `width`. `scratch` holds tt_attention_head_scratch(tokens, headSize) floats.
/// Returns 0, computing nothing, when the CPU lacks AVX-512 or headSize is not a multiple of 16.
int tt_attention_head_f32(const float *q, const float *k, const float *v, float *out, size_t tokens, size_t length,
                          size_t headSize, size_t width, float scale, float *scratch);
size_t tt_attention_head_scratch(size_t tokens, size_t headSize);

/// One AdamW step without penalties, exactly as AdamW.step's loop computes it (no contraction into fused
/// multiply-adds, so the two agree bit for bit): θ ← θ·(1 − lr·λ) − step·m / (√v / c₂ + ε) after the
/// moment updates m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g².
void tt_adamw_f32(float *theta, const float *g, float *m, float *v, size_t count, float lr_decay, float beta1,
                  float beta2, float step_size, float correction2_root, float epsilon);

/// Σ x[i]² accumulated in double, in eight interleaved partial sums (so the additions vectorize).
double tt_sum_squares_f32(const float *x, size_t count);

/// 1 when the CPU runs AVX-512 F, BW, DQ and VL (what OpenBLAS's SkylakeX kernels use), else 0.
int tt_cpu_has_avx512(void);

/// A word-vector model being trained, fastText's layout: `input` holds the word rows then the n-gram
/// buckets, `output` one row per word; word w's input rows are subwords[subword_start[w] ..<
/// subword_start[w + 1]] (itself first). `keep` is each word's probability of surviving subsampling,
/// `negatives` fastText's unigram^0.5 table. `touched_*` (NULL with one thread) mark the rows written.
typedef struct {
    float *input;
    float *output;
    int64_t dim;
    const int32_t *subword_start;
    const int32_t *subwords;
    const float *keep;
    const int32_t *negatives;
    int64_t negatives_count;
    int32_t neg;
    int32_t window;
    int32_t cbow;
    const float *sigmoid_table;  /* 513 entries over [-8, 8] */
    const float *log_table;      /* 513 entries over [0, 1] */
    uint8_t *touched_input;
    uint8_t *touched_output;
    /* With several threads, the rows as the round began (NULL with one thread): a row this thread has not
       touched is read there, and copied into `input`/`output` when first written, so that a thread's
       own store holds only the rows it wrote. */
    const float *shared_input;
    const float *shared_output;
} tt_word2vec_model;

/// Trains on one line of word ids as fastText's skip-gram or CBOW: subsampling, a random window of 1 to
/// `window` words, one update per (word, context) pair at learning rate `lr`. `scratch` holds 2·dim
/// floats, `kept` `count` ids, `bag` (CBOW) 2·window times the most subwords of a word. Returns the
/// summed loss; `updates` receives the number of updates.
double tt_word2vec_line(const tt_word2vec_model *model, const int32_t *words, int64_t count, float lr, uint64_t *rng,
                        float *scratch, int32_t *kept, int32_t *bag, int64_t *updates);

#endif
