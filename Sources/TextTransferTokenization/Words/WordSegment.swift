/// One token of a word segmentation: its text after the segmenter's options (case folding,
/// normalization, accent stripping) and its span in the input.
public struct WordSegment: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Letters, including Chinese, Japanese and Thai words found by ICU's dictionaries.
        case word
        case number
        case punctuation
        case emoji
        case url
        case email
    }

    public var text: String
    /// The span in the input, counted in Unicode scalars (Python `str` indices, as `Encoding.offsets`).
    public var range: Range<Int>
    public var kind: Kind

    public init(text: String, range: Range<Int>, kind: Kind) {
        self.text = text
        self.range = range
        self.kind = kind
    }
}

/// Splits text into words. `ICUWordSegmenter` is the implementation on every platform; an app on Apple
/// platforms may supply one built on Foundation's `enumerateSubstrings(options: .byWords)` or NLTokenizer.
public protocol WordSegmenter: Sendable {
    /// The tokens of `text` in order; whitespace is never a token.
    func segments(_ text: String) -> [WordSegment]
}

extension WordSegmenter {
    /// Just the tokens' texts.
    public func words(_ text: String) -> [String] { segments(text).map(\.text) }
}
