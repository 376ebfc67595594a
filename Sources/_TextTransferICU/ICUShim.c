#include "TextTransferICU.h"
#include <unicode/uchar.h>
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
