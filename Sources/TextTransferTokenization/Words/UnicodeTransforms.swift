import _TextTransferICU

/// Whole-string Unicode transforms through ICU: normalization forms, case folding, accent stripping.
public enum UnicodeTransforms {
    public enum Form: Int32 { case nfc = 0, nfkc = 1, nfd = 2, nfkd = 3, caseFold = 4 }

    public static func apply(_ form: Form, to text: String) -> String {
        let source = Array(text.utf16)
        var capacity = source.count * 3 + 8
        while true {
            var out = [UInt16](repeating: 0, count: capacity)
            let n = source.withUnsafeBufferPointer { s in tt_icu_transform(form.rawValue, s.baseAddress, Int32(s.count), &out, Int32(capacity)) }
            precondition(n >= 0, "ICU transform \(form) failed")
            if Int(n) <= capacity { return String(decoding: out[..<Int(n)], as: UTF16.self) }
            capacity = Int(n)
        }
    }

    /// Drops the combining marks (general category Mn) of the canonical decomposition, then recomposes.
    public static func stripAccents(_ text: String) -> String {
        let nonSpacingMark: Int32 = 6  // U_NON_SPACING_MARK
        var scalars = String.UnicodeScalarView()
        for s in apply(.nfd, to: text).unicodeScalars where tt_icu_char_type(Int32(s.value)) != nonSpacingMark { scalars.append(s) }
        return apply(.nfc, to: String(scalars))
    }

    static func isEmoji(_ s: Unicode.Scalar) -> Bool { tt_icu_is_emoji(Int32(s.value)) != 0 }
}
