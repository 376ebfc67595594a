// Helpers the AVX-512 kernels of this module share (not part of its public header).
#ifndef TT_LANES_H
#define TT_LANES_H
#if defined(__x86_64__)
#include <immintrin.h>
#include <stddef.h>

/// The first `valid` of 16 lanes (all 16 when valid ≥ 16): the mask of a partial load or store.
static inline __attribute__((always_inline)) __mmask16 lane_mask(size_t valid) {
    return valid >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << valid) - 1);
}
#endif
#endif
