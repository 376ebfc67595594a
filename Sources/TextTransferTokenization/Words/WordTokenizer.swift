import Foundation
import TextTransferCore

/// Words as ids for the word-vector encoders: `ICUWordSegmenter` with its options, then a word vocabulary
/// whose first two entries are the padding and unknown tokens. No [CLS] or [SEP]: the recurrent and bag
/// encoders read the words alone (a pair is joined by one separator token).
public struct WordTokenizer: TextTokenizer {
    public static let padding = "<pad>", unknown = "<unk>", separator = "<sep>"

    public let segmenter: ICUWordSegmenter
    /// Index = id; [0] is `padding`, [1] `unknown`, [2] `separator`.
    public let words: [String]
    private let ids: [String: Int32]

    public init(words: [String], options: WordSegmentationOptions) throws {
        guard words.count >= 3, words[0] == Self.padding, words[1] == Self.unknown, words[2] == Self.separator else {
            throw TokenizerError(file: "word vocabulary", message: "must start with \(Self.padding), \(Self.unknown), \(Self.separator)")
        }
        var ids: [String: Int32] = [:]
        for (i, w) in words.enumerated() {
            guard ids.updateValue(Int32(i), forKey: w) == nil else { throw TokenizerError(file: "word vocabulary", line: i + 1, message: "duplicate word '\(w)'") }
        }
        self.words = words
        self.ids = ids
        segmenter = try ICUWordSegmenter(options: options)
    }

    /// The vocabulary of a word list file (one word per line), as `FineTuner.save` writes it.
    public init(file path: String, options: WordSegmentationOptions) throws {
        guard let data = readFileContents(atPath: path) else { throw TokenizerError(file: path, message: "cannot be read") }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw TokenizerError(file: path, line: firstInvalidUTF8Line(in: data), message: "not valid UTF-8")
        }
        do {
            try self.init(words: textLines(text).map(String.init), options: options)
        } catch let error as TokenizerError {
            throw TokenizerError(file: path, line: error.line, message: error.message)
        }
    }

    public var paddingID: Int32 { 0 }
    public var unknownID: Int32 { 1 }

    public func id(_ word: String) -> Int32 { ids[word] ?? unknownID }

    public func encode(_ text: String, maxLength: Int? = nil) -> Encoding {
        var words = tokens(text)
        if let maxLength, words.count > maxLength { words.removeSubrange(maxLength...) }
        return Self.encoding(ids: words.map(\.id), offsets: words.map(\.range))
    }

    /// Both texts' words with the separator token between them, each side truncated to half of `maxLength`
    /// when they do not fit together.
    public func encode(_ text: String, pair: String, maxLength: Int? = nil) -> Encoding {
        var a = tokens(text), b = tokens(pair)
        if let maxLength, a.count + b.count + 1 > maxLength {
            let budget = max(maxLength - 1, 0)
            let keepA = min(a.count, max(budget - b.count, budget / 2))
            a.removeSubrange(keepA...)
            b.removeSubrange(min(b.count, budget - keepA)...)
        }
        return Self.encoding(ids: a.map(\.id) + [2] + b.map(\.id), offsets: a.map(\.range) + [0..<0] + b.map(\.range))
    }

    /// BERT's mask token, which augmented distillation texts carry (`TextAugmenter`): it reads as one
    /// unknown word here, not as the words "[", "mask" and "]".
    public static let mask = "[MASK]"

    private func tokens(_ text: String) -> [(id: Int32, range: Range<Int>)] {
        guard text.contains(Self.mask) else { return segmenter.segments(text).map { (id($0.text), $0.range) } }
        var out: [(id: Int32, range: Range<Int>)] = []
        var offset = 0  // in Unicode scalars, as the segments' ranges
        let maskLength = Self.mask.unicodeScalars.count
        for (i, part) in text.components(separatedBy: Self.mask).enumerated() {
            if i > 0 {
                out.append((unknownID, offset..<offset + maskLength))
                offset += maskLength
            }
            for s in segmenter.segments(part) { out.append((id(s.text), s.range.lowerBound + offset..<s.range.upperBound + offset)) }
            offset += part.unicodeScalars.count
        }
        return out
    }

    /// At least one token, so that an empty text still has a row to pool: it reads as one unknown word.
    private static func encoding(ids: [Int32], offsets: [Range<Int>]) -> Encoding {
        let ids = ids.isEmpty ? [1] : ids
        let offsets = offsets.isEmpty ? [0..<0] : offsets
        return Encoding(ids: ids, typeIDs: [Int32](repeating: 0, count: ids.count), attentionMask: [Int32](repeating: 1, count: ids.count),
                        specialTokensMask: [Int32](repeating: 0, count: ids.count), offsets: offsets)
    }

    public var fingerprint: String {
        var hash = Fingerprint()
        for w in words { hash.mix(w) }
        let o = segmenter.options
        hash.mix("icu-words locale=\(o.locale) fold=\(o.caseFolding) form=\(o.normalization?.rawValue ?? "none") strip=\(o.stripAccents) punct=\(o.keepPunctuation) numbers=\(o.keepNumbers) urls=\(o.keepURLs) emails=\(o.keepEmails) emoji=\(o.keepEmoji)")
        return hash.hex
    }
}
