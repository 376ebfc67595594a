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

/// An ICU break iterator (UAX #29 words with ICU's dictionaries for Chinese, Japanese, Thai, Khmer, Lao and
/// Burmese, or sentences), opened once and cloned per call so that one opened iterator serves many threads.
typedef struct tt_icu_breaker tt_icu_breaker;

/// kind 0: words, 1: sentences. `locale` is an ICU locale id ("" for the root locale). NULL on failure.
tt_icu_breaker *tt_icu_breaker_open(int32_t kind, const char *locale);
void tt_icu_breaker_close(tt_icu_breaker *breaker);

/// Boundaries of UTF-16 `text` (offsets in UTF-16 units, the first 0, the last `length`) written to `bounds`,
/// with the rule status of the segment that ends at each boundary in `status` (ICU's UBRK_WORD_* ranges:
/// 0 none, 100 number, 200 letter, 300 kana, 400 ideographic). `cap` must be at least length + 1.
/// Returns the number of boundaries, or -1 on error.
int32_t tt_icu_boundaries(const tt_icu_breaker *breaker, const uint16_t *text, int32_t length,
                          int32_t *bounds, int32_t *status, int32_t cap);

/// Normalizes UTF-16 `text` into `out`: form 0 NFC, 1 NFKC, 2 NFD, 3 NFKD, 4 full case folding
/// (u_strFoldCase, default mappings). Returns the length written; if it exceeds `cap`, nothing useful was
/// written and the caller retries with that capacity. -1 on error.
int32_t tt_icu_transform(int32_t form, const uint16_t *text, int32_t length, uint16_t *out, int32_t cap);

/// Whether `c` has the Unicode property Extended_Pictographic or Emoji_Presentation (emoji).
int32_t tt_icu_is_emoji(int32_t c);

/// The ICU script code (UScriptCode) of `c`: 0 Common, 1 Inherited, 25 Latin, 38 Thai, 17 Han, …; -1 on error.
int32_t tt_icu_script(int32_t c);

#endif
