#include "TextTransferICU.h"
#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/uversion.h>

static int32_t utf16_to_code_points(const UChar *s, int32_t n, int32_t *out, int32_t cap) {
    int32_t i = 0, k = 0;
    while (i < n) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (k >= cap) return -1;
        out[k++] = c;
    }
    return k;
}

int32_t tt_icu_nfd(int32_t c, int32_t *out, int32_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);  // cached by ICU; cheap after the first call
    if (U_FAILURE(err)) return -1;
    UChar buf[32];
    int32_t n = unorm2_getDecomposition(nfd, c, buf, 32, &err);
    if (U_FAILURE(err)) return -1;
    if (n < 0) {
        if (cap < 1) return -1;
        out[0] = c;
        return 1;
    }
    return utf16_to_code_points(buf, n, out, cap);
}

int32_t tt_icu_lowercase(int32_t c, int32_t *out, int32_t cap) {
    UChar src[2];
    int32_t n = 0;
    UBool bad = 0;
    U16_APPEND(src, n, 2, c, bad);
    if (bad) return -1;
    UChar dst[16];
    UErrorCode err = U_ZERO_ERROR;
    int32_t m = u_strToLower(dst, 16, src, n, "", &err);
    if (U_FAILURE(err)) return -1;
    return utf16_to_code_points(dst, m, out, cap);
}

int32_t tt_icu_char_type(int32_t c) { return (int32_t)u_charType(c); }

void tt_icu_unicode_version(char *out, int32_t cap) {
    UVersionInfo v;
    u_getUnicodeVersion(v);
    if (cap >= U_MAX_VERSION_STRING_LENGTH) u_versionToString(v, out);
    else if (cap > 0) out[0] = 0;
}

struct tt_icu_breaker { UBreakIterator *prototype; };

tt_icu_breaker *tt_icu_breaker_open(int32_t kind, const char *locale) {
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(kind == 1 ? UBRK_SENTENCE : UBRK_WORD, locale, NULL, 0, &err);
    if (U_FAILURE(err)) return NULL;
    tt_icu_breaker *b = malloc(sizeof *b);
    if (!b) { ubrk_close(bi); return NULL; }
    b->prototype = bi;
    return b;
}

void tt_icu_breaker_close(tt_icu_breaker *breaker) {
    if (!breaker) return;
    ubrk_close(breaker->prototype);
    free(breaker);
}

int32_t tt_icu_boundaries(const tt_icu_breaker *breaker, const uint16_t *text, int32_t length,
                          int32_t *bounds, int32_t *status, int32_t cap) {
    if (cap < length + 1) return -1;
    UErrorCode err = U_ZERO_ERROR;
    // A clone per call: an iterator holds its position, so one instance cannot serve two threads.
    UBreakIterator *bi = ubrk_clone(breaker->prototype, &err);
    if (U_FAILURE(err)) return -1;
    ubrk_setText(bi, (const UChar *)text, length, &err);
    if (U_FAILURE(err)) { ubrk_close(bi); return -1; }
    int32_t n = 0;
    for (int32_t p = ubrk_first(bi); p != UBRK_DONE && n < cap; p = ubrk_next(bi)) {
        bounds[n] = p;
        status[n] = ubrk_getRuleStatus(bi);
        n++;
    }
    ubrk_close(bi);
    return n;
}

int32_t tt_icu_transform(int32_t form, const uint16_t *text, int32_t length, uint16_t *out, int32_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    if (form == 4) {
        int32_t n = u_strFoldCase((UChar *)out, cap, (const UChar *)text, length, U_FOLD_CASE_DEFAULT, &err);
        return (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR) ? -1 : n;
    }
    const UNormalizer2 *normalizer =
        form == 0 ? unorm2_getNFCInstance(&err) : form == 1 ? unorm2_getNFKCInstance(&err)
        : form == 2 ? unorm2_getNFDInstance(&err) : unorm2_getNFKDInstance(&err);
    if (U_FAILURE(err)) return -1;
    int32_t n = unorm2_normalize(normalizer, (const UChar *)text, length, (UChar *)out, cap, &err);
    return (U_FAILURE(err) && err != U_BUFFER_OVERFLOW_ERROR) ? -1 : n;
}

int32_t tt_icu_is_emoji(int32_t c) {
    return u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION);
}

int32_t tt_icu_script(int32_t c) {
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode code = uscript_getScript(c, &err);
    return U_FAILURE(err) ? -1 : (int32_t)code;
}
