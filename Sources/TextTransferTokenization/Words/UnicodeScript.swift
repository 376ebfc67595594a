import _TextTransferICU

/// The Unicode script of a character (ICU's UScriptCode), e.g. to keep a Thai word's replacement Thai.
public enum UnicodeScript {
    /// ICU's script code of `scalar`: 0 Common, 1 Inherited, 17 Han, 25 Latin, 38 Thai, …
    public static func code(of scalar: Unicode.Scalar) -> Int32 { tt_icu_script(Int32(scalar.value)) }

    /// The script of a word: that of its first character whose script is neither Common nor Inherited
    /// (so "3d" is Latin and "ๆ" after Thai letters stays Thai), or Common when it has none.
    public static func code(of word: String) -> Int32 {
        for s in word.unicodeScalars {
            let c = code(of: s)
            if c > 1 { return c }
        }
        return 0
    }
}
