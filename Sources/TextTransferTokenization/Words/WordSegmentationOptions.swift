/// What `ICUWordSegmenter` keeps and how it rewrites each token. The defaults keep every token as
/// written; `forWordVectors` is what the word-vector encoders use.
public struct WordSegmentationOptions: Sendable, Equatable, Codable {
    public enum NormalizationForm: String, Sendable, Codable, CaseIterable {
        case nfc, nfkc
    }

    /// ICU locale id for the break rules ("" is the root locale; ICU's dictionaries for Chinese,
    /// Japanese, Thai, Khmer, Lao and Burmese apply in every locale).
    public var locale = ""
    /// Unicode full case folding (ICU `u_strFoldCase`): "Straße" → "strasse".
    public var caseFolding = false
    public var normalization: NormalizationForm?
    /// Removes combining marks after canonical decomposition: "café" → "cafe". Thai vowel and tone marks
    /// are combining marks too, so leave this off for Thai.
    public var stripAccents = false
    public var keepPunctuation = true
    public var keepNumbers = true
    /// Keep URLs and e-mail addresses as single tokens (ICU alone would split them at '/', ':' and '@');
    /// false drops them.
    public var keepURLs = true
    public var keepEmails = true
    public var keepEmoji = true

    public init() {}

    /// Case-folded NFKC words with punctuation kept (vector files such as GloVe have punctuation tokens).
    public static var forWordVectors: WordSegmentationOptions {
        var o = WordSegmentationOptions()
        o.caseFolding = true
        o.normalization = .nfkc
        return o
    }

    enum CodingKeys: String, CodingKey {
        case locale, normalization
        case caseFolding = "case_folding", stripAccents = "strip_accents", keepPunctuation = "keep_punctuation"
        case keepNumbers = "keep_numbers", keepURLs = "keep_urls", keepEmails = "keep_emails", keepEmoji = "keep_emoji"
    }
}
