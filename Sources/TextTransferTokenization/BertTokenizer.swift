import Foundation

/// BERT's tokenizer: special tokens kept whole, `BertNormalizer`, `BertPreTokenizer`, `WordPiece`, then
/// [CLS] … [SEP]. Gives the ids of HF tokenizers' `BertTokenizerFast` for the same files.
public struct BertTokenizer: Sendable {
    public let normalizer: BertNormalizer
    public let preTokenizer: BertPreTokenizer
    public let wordPiece: WordPiece
    /// [CLS] and [SEP], or -1 for a vocabulary without them (a model2vec static table's): such a tokenizer
    /// gives `wordPieceIDs` only.
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    /// Tokens matched in the raw text before normalization and never split ([CLS], [SEP], [MASK], …),
    /// as scalar arrays with their ids, longest first so the longest match wins.
    private let addedTokens: [(scalars: [UInt32], id: Int32)]

    public var vocabulary: Vocabulary { wordPiece.vocabulary }

    public init(wordPiece: WordPiece, normalizer: BertNormalizer = BertNormalizer(),
                classifierToken: String? = "[CLS]", separatorToken: String? = "[SEP]", paddingToken: String = "[PAD]",
                addedTokens: [String]? = nil) throws {
        self.wordPiece = wordPiece
        self.normalizer = normalizer
        preTokenizer = BertPreTokenizer()
        let vocabulary = wordPiece.vocabulary
        classifierID = try classifierToken.map(vocabulary.requiredID) ?? -1
        separatorID = try separatorToken.map(vocabulary.requiredID) ?? -1
        paddingID = try vocabulary.requiredID(paddingToken)
        let added = addedTokens ?? ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].filter { vocabulary.id($0) != nil }
        self.addedTokens = try added.map { token in
            (Array(token.unicodeScalars.map(\.value)), try vocabulary.requiredID(token))
        }.sorted { $0.scalars.count > $1.scalars.count }
    }

    /// Tokenizes one text. With `maxLength`, keeps the first `maxLength − 2` pieces so that the result,
    /// [CLS] and [SEP] included, has at most `maxLength` tokens (tokenizers' LongestFirst for one sequence).
    public func encode(_ text: String, maxLength: Int? = nil) -> Encoding {
        var (ids, offsets) = pieces(text)
        if let maxLength {
            precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP], got \(maxLength)")
            if ids.count > maxLength - 2 {
                ids.removeSubrange((maxLength - 2)...)
                offsets.removeSubrange((maxLength - 2)...)
            }
        }
        return assemble([(ids, offsets)])
    }

    /// Tokenizes a pair: [CLS] a [SEP] b [SEP], token type 0 for the first part and 1 for the second;
    /// offsets count within each text. With `maxLength`, tokenizers' LongestFirst truncation: the shorter
    /// side keeps what it can up to half, the longer side the rest.
    public func encode(_ text: String, pair: String, maxLength: Int? = nil) -> Encoding {
        var a = pieces(text), b = pieces(pair)
        if let maxLength {
            precondition(maxLength >= 3, "maxLength must leave room for [CLS] and two [SEP], got \(maxLength)")
            let budget = maxLength - 3
            if a.ids.count + b.ids.count > budget {
                // Matches tokenizers' truncate_encodings (LongestFirst) for a pair.
                var (n1, n2) = (a.ids.count, b.ids.count)
                let swapped = n1 > n2
                if swapped { swap(&n1, &n2) }
                n2 = n1 > budget ? n1 : max(n1, budget - n1)
                if n1 + n2 > budget {
                    n1 = budget / 2
                    n2 = n1 + budget % 2
                }
                if swapped { swap(&n1, &n2) }
                func keep(_ part: inout (ids: [Int32], offsets: [Range<Int>]), _ n: Int) {
                    if part.ids.count > n {
                        part.ids.removeSubrange(n...)
                        part.offsets.removeSubrange(n...)
                    }
                }
                keep(&a, n1)
                keep(&b, n2)
            }
        }
        return assemble([a, b])
    }

    /// The WordPiece ids of a text without [CLS] and [SEP] (what a static embedding table averages),
    /// the first `maxLength` of them when given.
    public func wordPieceIDs(_ text: String, maxLength: Int? = nil) -> [Int32] {
        let ids = pieces(text).ids
        return maxLength.map { Array(ids.prefix($0)) } ?? ids
    }

    /// [CLS] part [SEP] (part [SEP]) with token types 0, 1 by part.
    private func assemble(_ parts: [(ids: [Int32], offsets: [Range<Int>])]) -> Encoding {
        precondition(classifierID >= 0 && separatorID >= 0, "this vocabulary has no [CLS] or [SEP]: use wordPieceIDs")
        var ids: [Int32] = [classifierID], types: [Int32] = [0], offsets: [Range<Int>] = [0..<0], special: [Int32] = [1]
        for (index, part) in parts.enumerated() {
            let type = Int32(index)
            ids += part.ids
            offsets += part.offsets
            types += [Int32](repeating: type, count: part.ids.count)
            special += [Int32](repeating: 0, count: part.ids.count)
            ids.append(separatorID)
            offsets.append(0..<0)
            types.append(type)
            special.append(1)
        }
        return Encoding(ids: ids, typeIDs: types, attentionMask: [Int32](repeating: 1, count: ids.count),
                        specialTokensMask: special, offsets: offsets)
    }

    /// The WordPiece ids of a text and their spans in it, without special tokens.
    private func pieces(_ text: String) -> (ids: [Int32], offsets: [Range<Int>]) {
        var ids: [Int32] = [], offsets: [Range<Int>] = []
        var text = text
        text.makeContiguousUTF8()
        let scalars = decodeScalars(text)
        scalars.withUnsafeBufferPointer { scalars in
            appendPieces(scalars, ids: &ids, offsets: &offsets)
        }
        return (ids, offsets)
    }

    /// Tokenizes several texts and pads them with [PAD] to the longest (mask 0, type 0, offsets (0, 0)).
    public func encodeBatch(_ texts: [String], maxLength: Int? = nil) -> [Encoding] {
        var encodings = texts.map { encode($0, maxLength: maxLength) }
        let longest = encodings.map(\.count).max() ?? 0
        for i in encodings.indices { encodings[i].pad(toLength: longest, paddingID: paddingID) }
        return encodings
    }

    /// The vocabulary strings of `ids`.
    public func tokens(_ ids: [Int32]) -> [String] { ids.map { vocabulary.tokens[Int($0)] } }

    private func appendPieces(_ scalars: UnsafeBufferPointer<UInt32>, ids: inout [Int32], offsets: inout [Range<Int>]) {
        var normalized = NormalizedText()
        normalized.scalars.reserveCapacity(scalars.count + 8)
        normalized.origins.reserveCapacity(scalars.count + 8)
        var spans: [Range<Int>] = []
        var segmentStart = 0
        var i = 0
        func flush(upTo end: Int) {
            guard segmentStart < end else { return }
            normalized.scalars.removeAll(keepingCapacity: true)
            normalized.origins.removeAll(keepingCapacity: true)
            normalizer.normalize(scalars, range: segmentStart..<end, into: &normalized)
            let firstPiece = ids.count
            spans.removeAll(keepingCapacity: true)
            normalized.scalars.withUnsafeBufferPointer { norm in
                preTokenizer.forEachWord(in: norm) { word in
                    wordPiece.tokenize(norm, word: word, ids: &ids, spans: &spans)
                }
            }
            // A piece covers the original scalars from its first character's origin to its last's.
            let origins = normalized.origins
            assert(ids.count - firstPiece == spans.count)
            for span in spans {
                offsets.append(Int(origins[span.lowerBound])..<(Int(origins[span.upperBound - 1]) + 1))
            }
        }
        while i < scalars.count {
            if scalars[i] == 0x5B, let match = addedToken(at: i, in: scalars) {  // every added token starts with '['
                flush(upTo: i)
                ids.append(match.id)
                offsets.append(i..<(i + match.length))
                i += match.length
                segmentStart = i
            } else {
                i += 1
            }
        }
        flush(upTo: scalars.count)
    }

    private func addedToken(at position: Int, in scalars: UnsafeBufferPointer<UInt32>) -> (id: Int32, length: Int)? {
        for token in addedTokens where position + token.scalars.count <= scalars.count {
            var k = 0
            while k < token.scalars.count && scalars[position + k] == token.scalars[k] { k += 1 }
            if k == token.scalars.count { return (token.id, k) }
        }
        return nil
    }
}

extension Encoding {
    /// Appends padding up to `length` tokens.
    public mutating func pad(toLength length: Int, paddingID: Int32) {
        let extra = length - count
        guard extra > 0 else { return }
        ids += [Int32](repeating: paddingID, count: extra)
        typeIDs += [Int32](repeating: 0, count: extra)
        attentionMask += [Int32](repeating: 0, count: extra)
        specialTokensMask += [Int32](repeating: 1, count: extra)
        offsets += [Range<Int>](repeating: 0..<0, count: extra)
    }
}

/// The Unicode scalar values of `text`, decoded straight from its contiguous UTF-8.
func decodeScalars(_ text: String) -> [UInt32] {
    var out: [UInt32] = []
    out.reserveCapacity(text.utf8.count)
    let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = UInt32(bytes[i])
            if b0 < 0x80 {
                out.append(b0); i += 1
            } else if b0 < 0xE0 {
                out.append((b0 & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)); i += 2
            } else if b0 < 0xF0 {
                out.append((b0 & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)); i += 3
            } else {
                out.append((b0 & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6
                           | UInt32(bytes[i + 3] & 0x3F)); i += 4
            }
        }
    }
    if done == nil { out = text.unicodeScalars.map(\.value) }  // Swift strings are valid UTF-8, so the above never overruns
    return out
}

extension BertTokenizer {
    /// Identifies what decides the ids: the vocabulary in order and the normalizer's settings (FNV-1a,
    /// 64 bits, hex). A saved classifier records it and refuses a tokenizer that differs.
    public var fingerprint: String {
        var hash = Fingerprint()
        for token in vocabulary.tokens { hash.mix(token) }
        let n = normalizer
        hash.mix("clean=\(n.cleanText) chinese=\(n.handleChineseCharacters) strip=\(String(describing: n.stripAccents)) lower=\(n.lowercase)")
        return hash.hex
    }
}
