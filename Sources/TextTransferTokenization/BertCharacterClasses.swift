import _TextTransferICU

/// The character classes of BERT's normalizer and pre-tokenizer, as HF `tokenizers` defines them
/// (normalizers/bert.rs, pre_tokenizers/bert.rs). Non-ASCII categories come from ICU.
enum BertCharacterClasses {
    // ICU UCharCategory values.
    static let unassigned: Int32 = 0, nonSpacingMark: Int32 = 6, control: Int32 = 15, format: Int32 = 16
    static let privateUse: Int32 = 17, surrogate: Int32 = 18
    static let punctuationCategories: Set<Int32> = [19, 20, 21, 22, 23, 28, 29]  // Pd Ps Pe Pc Po Pi Pf

    /// tokenizers `is_whitespace`: \t \n \r, or the Unicode White_Space property.
    @inline(__always) static func isWhitespace(_ c: UInt32) -> Bool {
        if c < 0x80 { return c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0B || c == 0x0C }
        return Unicode.Scalar(c)?.properties.isWhitespace ?? false
    }

    /// tokenizers `is_control`: the "Other" categories (Cc, Cf, Co, Cs, Cn) except \t \n \r.
    @inline(__always) static func isControl(_ c: UInt32) -> Bool {
        if c < 0x80 { return (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F }
        let category = tt_icu_char_type(Int32(bitPattern: c))
        return category == control || category == format || category == privateUse || category == surrogate
            || category == unassigned
    }

    /// tokenizers `is_bert_punc`: ASCII punctuation (which includes symbols such as $ + < = > ^ ` | ~) or a
    /// Unicode punctuation category.
    @inline(__always) static func isPunctuation(_ c: UInt32) -> Bool {
        if c < 0x80 {
            return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E)
        }
        return punctuationCategories.contains(tt_icu_char_type(Int32(bitPattern: c)))
    }

    @inline(__always) static func isNonSpacingMark(_ c: UInt32) -> Bool {
        c >= 0x300 && tt_icu_char_type(Int32(bitPattern: c)) == nonSpacingMark
    }

    /// tokenizers `is_chinese_char`: the CJK Unified Ideographs blocks BERT puts spaces around.
    @inline(__always) static func isChineseCharacter(_ c: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(c) || (0x3400...0x4DBF).contains(c) || (0x20000...0x2A6DF).contains(c)
            || (0x2A700...0x2B73F).contains(c) || (0x2B740...0x2B81F).contains(c) || (0x2B920...0x2CEAF).contains(c)
            || (0xF900...0xFAFF).contains(c) || (0x2F800...0x2FA1F).contains(c)
    }
}
