#include "TextTransferVectorKernels.h"
#include <string.h>

// fastText's skip-gram and CBOW with negative sampling, one line at a time (FastText::skipgram, ::cbow,
// Model::update, NegativeSamplingLoss), with fastText's sigmoid and log tables. Randomness is a
// splitmix64 stream the caller seeds, so a thread's work is a function of its seed. No contraction
// into fused multiply-adds and dot products in eight fixed lanes: WordVectorLineReference in Swift
// gives the same bits.
#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__linux__)
#define CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define CLONES
#endif

#define SIGMOID_TABLE 512
#define LOG_TABLE 512
#define MAX_SIGMOID 8.0f

static inline uint64_t next_random(uint64_t *state) {
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static inline float sigmoid(const tt_word2vec_model *m, float x) {
    if (x < -MAX_SIGMOID) return 0.0f;
    if (x > MAX_SIGMOID) return 1.0f;
    int i = (int)((x + MAX_SIGMOID) * SIGMOID_TABLE / MAX_SIGMOID / 2);
    return m->sigmoid_table[i];
}

static inline float table_log(const tt_word2vec_model *m, float x) {
    if (x > 1.0f) return 0.0f;
    int i = (int)(x * LOG_TABLE);
    return m->log_table[i];
}

static inline float dot(const float *a, const float *b, int64_t n) {
    float lanes[8] = {0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int k = 0; k < 8; k++) lanes[k] += a[i + k] * b[i + k];
    float sum = 0.0f;
    for (int k = 0; k < 8; k++) sum += lanes[k];
    for (; i < n; i++) sum += a[i] * b[i];
    return sum;
}

static inline void add_scaled(float *y, const float *x, float a, int64_t n) {
    for (int64_t i = 0; i < n; i++) y[i] += a * x[i];
}

// A row to read: this thread's own once it wrote it, else the shared one.
static inline const float *read_row(const float *own, const float *shared, const uint8_t *touched, int32_t r, int64_t d) {
    return shared && !touched[r] ? shared + (int64_t)r * d : own + (int64_t)r * d;
}

// A row to write: this thread's own, copied from the shared row on the first write, and marked.
static inline float *write_row(float *own, const float *shared, uint8_t *touched, int32_t r, int64_t d) {
    float *row = own + (int64_t)r * d;
    if (shared && !touched[r]) memcpy(row, shared + (int64_t)r * d, sizeof(float) * (size_t)d);
    if (touched) touched[r] = 1;
    return row;
}

// One Model::update: hidden = mean of the input rows, the target and `neg` negatives scored against it,
// the output rows and then the input rows moved. Returns the loss.
static float update(const tt_word2vec_model *m, const int32_t *rows, int64_t nrows, int32_t target, float lr,
                    uint64_t *rng, float *hidden, float *grad) {
    const int64_t d = m->dim;
    memset(hidden, 0, sizeof(float) * d);
    memset(grad, 0, sizeof(float) * d);
    for (int64_t r = 0; r < nrows; r++) add_scaled(hidden, read_row(m->input, m->shared_input, m->touched_input, rows[r], d), 1.0f, d);
    const float inverse = 1.0f / (float)nrows;
    for (int64_t k = 0; k < d; k++) hidden[k] *= inverse;
    float loss = 0.0f;
    for (int32_t n = 0; n <= m->neg; n++) {
        int32_t out = target;
        if (n > 0) {
            do { out = m->negatives[next_random(rng) % (uint64_t)m->negatives_count]; } while (out == target);
        }
        float *row = write_row(m->output, m->shared_output, m->touched_output, out, d);
        const float label = n == 0 ? 1.0f : 0.0f;
        const float score = sigmoid(m, dot(row, hidden, d));
        const float alpha = lr * (label - score);
        add_scaled(grad, row, alpha, d);
        add_scaled(row, hidden, alpha, d);
        loss -= table_log(m, n == 0 ? score : 1.0f - score);
    }
    for (int64_t r = 0; r < nrows; r++) add_scaled(write_row(m->input, m->shared_input, m->touched_input, rows[r], d), grad, 1.0f, d);
    return loss;
}

CLONES double tt_word2vec_line(const tt_word2vec_model *m, const int32_t *words, int64_t count, float lr, uint64_t *rng,
                        float *scratch, int32_t *kept, int32_t *bag, int64_t *updates) {
    // fastText's Dictionary::getLine: a word is kept with probability pdiscard (frequent words dropped).
    int64_t n = 0;
    for (int64_t i = 0; i < count; i++) {
        const float u = (float)(next_random(rng) >> 40) * (1.0f / 16777216.0f);
        if (u <= m->keep[words[i]]) kept[n++] = words[i];
    }
    float *hidden = scratch, *grad = scratch + m->dim;
    double loss = 0.0;
    int64_t done = 0;
    for (int64_t w = 0; w < n; w++) {
        const int64_t boundary = 1 + (int64_t)(next_random(rng) % (uint64_t)m->window);
        const int32_t *own = m->subwords + m->subword_start[kept[w]];
        const int64_t owned = m->subword_start[kept[w] + 1] - m->subword_start[kept[w]];
        if (m->cbow) {
            int64_t size = 0;
            for (int64_t c = -boundary; c <= boundary; c++) {
                if (c == 0 || w + c < 0 || w + c >= n) continue;
                const int32_t id = kept[w + c];
                const int32_t begin = m->subword_start[id], end = m->subword_start[id + 1];
                memcpy(bag + size, m->subwords + begin, sizeof(int32_t) * (size_t)(end - begin));
                size += end - begin;
            }
            if (size > 0) { loss += update(m, bag, size, kept[w], lr, rng, hidden, grad); done++; }
        } else {
            for (int64_t c = -boundary; c <= boundary; c++) {
                if (c == 0 || w + c < 0 || w + c >= n) continue;
                loss += update(m, own, owned, kept[w + c], lr, rng, hidden, grad);
                done++;
            }
        }
    }
    *updates = done;
    return loss;
}
