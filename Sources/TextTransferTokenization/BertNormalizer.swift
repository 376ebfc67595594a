import _TextTransferICU

/// Text after normalization, as Unicode scalar values, with the index of the original scalar each one
/// came from (so tokens map back to spans of the input).
struct NormalizedText {
    var scalars: [UInt32] = []
    var origins: [Int32] = []

    mutating func append(_ scalar: UInt32, from origin: Int) {
        scalars.append(scalar)
        origins.append(Int32(origin))
    }
}

/// BERT's normalizer. Matches tokenizers' `BertNormalizer` (normalizers/bert.rs), applied per character:
/// 1. clean text: drop NUL, U+FFFD and control characters; map whitespace to a space;
/// 2. put spaces around CJK ideographs;
/// 3. strip accents: canonical decomposition (ICU NFD), then drop non-spacing marks (Mn);
/// 4. lowercase with the full, context-free Unicode mapping (Rust's `char::to_lowercase`).
public struct BertNormalizer: Sendable, Equatable {
    public var cleanText = true
    public var handleChineseCharacters = true
    /// nil follows `lowercase`, as in BERT's uncased models.
    public var stripAccents: Bool? = nil
    public var lowercase = true

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Normalizes `scalars[range]`, whose first element is original scalar number `range.lowerBound`.
    func normalize(_ scalars: UnsafeBufferPointer<UInt32>, range: Range<Int>, into out: inout NormalizedText) {
        let strip = stripAccents ?? lowercase
        var decomposed = [Int32](repeating: 0, count: 32)
        var lowered = [Int32](repeating: 0, count: 8)
        for i in range {
            var c = scalars[i]
            if c < 0x80 {  // ASCII: no decomposition, no CJK, simple case mapping
                if cleanText {
                    if (c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D) || c == 0x7F { continue }
                    if c == 0x09 || c == 0x0A || c == 0x0D { c = 0x20 }
                }
                if lowercase && c >= 0x41 && c <= 0x5A { c += 0x20 }
                out.append(c, from: i)
                continue
            }
            if cleanText {
                if c == 0xFFFD || BertCharacterClasses.isControl(c) { continue }
                if BertCharacterClasses.isWhitespace(c) {
                    out.append(0x20, from: i)
                    continue
                }
            }
            let chinese = handleChineseCharacters && BertCharacterClasses.isChineseCharacter(c)
            if chinese { out.append(0x20, from: i) }
            var pieceCount = 1
            if strip {
                pieceCount = Int(decomposed.withUnsafeMutableBufferPointer { tt_icu_nfd(Int32(bitPattern: c), $0.baseAddress, 32) })
                if pieceCount < 0 { decomposed[0] = Int32(bitPattern: c); pieceCount = 1 }
            } else {
                decomposed[0] = Int32(bitPattern: c)
            }
            for p in 0..<pieceCount {
                let piece = UInt32(bitPattern: decomposed[p])
                if strip && BertCharacterClasses.isNonSpacingMark(piece) { continue }
                if lowercase {
                    if piece < 0x80 {
                        out.append(piece >= 0x41 && piece <= 0x5A ? piece + 0x20 : piece, from: i)
                        continue
                    }
                    let n = lowered.withUnsafeMutableBufferPointer { tt_icu_lowercase(Int32(bitPattern: piece), $0.baseAddress, 8) }
                    if n <= 0 {
                        out.append(piece, from: i)
                    } else {
                        for k in 0..<Int(n) { out.append(UInt32(bitPattern: lowered[k]), from: i) }
                    }
                } else {
                    out.append(piece, from: i)
                }
            }
            if chinese { out.append(0x20, from: i) }
        }
    }
}
