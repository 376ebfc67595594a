import TextTransferTokenization

/// Finds a vector for a word the way users expect from a word-vector file: the word as written, then
/// lower-cased, then normalized (NFKC, case-folded, accents stripped), then from fastText's subword
/// n-grams when the file has them, then as the mean of its parts split at apostrophes and hyphens
/// ("state-of-the-art", "don't"); what still has none gets the trainable unknown vector.
public struct WordVectorLookup: Sendable {
    public enum Match: String, Sendable, CaseIterable, Codable {
        case exact, lowercased, normalized, subwords, parts, unknown
    }

    public let vectors: WordVectors

    public init(_ vectors: WordVectors) { self.vectors = vectors }

    /// The forms of `word` the lookup may try, for loading a file restricted to a data set's words.
    public static func candidateForms(of word: String) -> [String] {
        var forms = [word, word.lowercased(), normalized(word)]
        let parts = Self.parts(of: word)
        if parts.count > 1 { forms += parts.flatMap { [$0, $0.lowercased(), normalized($0)] } }
        return forms
    }

    static func normalized(_ word: String) -> String {
        UnicodeTransforms.stripAccents(UnicodeTransforms.apply(.caseFold, to: UnicodeTransforms.apply(.nfkc, to: word)))
    }

    static func parts(of word: String) -> [String] {
        word.split(whereSeparator: { "-'’‐–".contains($0) }).map(String.init)
    }

    /// The row of `word` (or of one of its forms) without subwords or parts.
    private func row(_ word: String) -> (Int, Match)? {
        if let r = vectors.row(of: word) { return (r, .exact) }
        if let r = vectors.row(of: word.lowercased()) { return (r, .lowercased) }
        if let r = vectors.row(of: Self.normalized(word)) { return (r, .normalized) }
        return nil
    }

    /// The vector for `word` and how it was found; nil vector for `.unknown`.
    public func vector(for word: String) -> (vector: [Float]?, match: Match) {
        if let (r, match) = row(word) { return (Array(vectors.vector(at: r)), match) }
        if let s = vectors.subwords?.vector(for: word) { return (s, .subwords) }
        let parts = Self.parts(of: word)
        if parts.count > 1 {
            let found = parts.compactMap { row($0)?.0 }
            if !found.isEmpty {
                var mean = [Float](repeating: 0, count: vectors.dimension)
                for r in found { for (k, v) in vectors.vector(at: r).enumerated() { mean[k] += v } }
                return (mean.map { $0 / Float(found.count) }, .parts)
            }
        }
        return (nil, .unknown)
    }
}
