// Thin C wrappers over ICU. Swift cannot call ICU directly: ICU renames every symbol with a version
// suffix (u_charType_72) through macros, which Swift's importer does not expand.
#ifndef TEXT_TRANSFER_ICU_H
#define TEXT_TRANSFER_ICU_H
#include <stdint.h>

/// Writes the full canonical decomposition (NFD) of code point `c` to `out` as code points and returns
/// their count; a code point without a decomposition is written as itself. Returns -1 if `cap` is too small.
int32_t tt_icu_nfd(int32_t c, int32_t *out, int32_t cap);

/// Writes the full (context-free, root-locale) lowercase mapping of `c`, e.g. U+0130 -> "i\u0307".
/// Returns the count of code points written, or -1 on error.
int32_t tt_icu_lowercase(int32_t c, int32_t *out, int32_t cap);

/// The Unicode general category of `c` as ICU's UCharCategory value.
int32_t tt_icu_char_type(int32_t c);

/// The Unicode version ICU's data follows, e.g. "15.0".
void tt_icu_unicode_version(char *out, int32_t cap);

#endif
