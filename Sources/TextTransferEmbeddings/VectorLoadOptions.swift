/// The vector-file formats people have.
public enum VectorFileFormat: String, Sendable, CaseIterable, Codable {
    /// `word v1 … vD` per line, no header (GloVe).
    case glove
    /// A `count dim` header line, then `word v1 … vD` per line (word2vec text, fastText .vec).
    case word2vecText = "word2vec-text"
    /// A `count dim` header line, then per word its UTF-8 bytes, a space and D little-endian float32.
    case word2vecBinary = "word2vec-binary"
    /// A fastText model (.bin): words and the subword n-gram buckets.
    case fastTextBinary = "fasttext-bin"
    /// The table `text-transfer convert` writes.
    case safetensors

    /// The format a file's name and first bytes say: a fastText magic number, a safetensors header, a
    /// `count dim` line followed by binary data or by text, or plain GloVe text.
    public static func detect(path: String, firstBytes: [UInt8]) -> VectorFileFormat {
        if path.hasSuffix(".safetensors") { return .safetensors }
        if firstBytes.count >= 4, firstBytes[0..<4] == [0xBA, 0x16, 0x4F, 0x2F] { return .fastTextBinary }  // 793712314, little-endian
        guard let newline = firstBytes.firstIndex(of: 0x0A) else { return .glove }
        let fields = firstBytes[..<newline].split(separator: 0x20)
        let isHeader = fields.count == 2 && fields.allSatisfy { $0.allSatisfy { (0x30...0x39).contains($0) } }
        guard isHeader else { return .glove }
        // After a header, text files hold printable lines; binary ones have float bytes soon after the first word.
        let body = firstBytes[(newline + 1)...].prefix(256)
        let binary = body.contains { $0 < 0x09 || (0x0E..<0x20).contains($0) }
        return binary || path.hasSuffix(".bin") ? .word2vecBinary : .word2vecText
    }
}

/// How to read a vector file.
/// The widest vector any reader accepts: real embeddings are at most a few thousand wide, and a header or
/// row claiming more is damage that would otherwise reserve gigabytes before the first value is read.
public let maximumVectorDimension = 65_536

public struct VectorLoadOptions: Sendable {
    /// nil: from the file's name and first bytes.
    public var format: VectorFileFormat?
    /// Keep only the first N words of the file (files list the most frequent words first).
    public var maxWords: Int?
    /// Keep only these words, read in one pass; the other rows are skipped unparsed.
    public var vocabulary: Set<String>?
    /// Skip malformed rows (ragged, non-numeric, duplicate, invalid UTF-8), counting them, instead of failing.
    public var lenient = false

    public init(format: VectorFileFormat? = nil, maxWords: Int? = nil, vocabulary: Set<String>? = nil, lenient: Bool = false) {
        self.format = format
        self.maxWords = maxWords
        self.vocabulary = vocabulary
        self.lenient = lenient
    }
}

/// What a load read and skipped.
public struct VectorLoadReport: Sendable, Equatable {
    public var format: VectorFileFormat
    /// Rows (words) the file has, as far as it was read.
    public var rowsSeen = 0
    /// Rows skipped under `lenient`, by reason ("ragged", "non-numeric", "duplicate", "invalid UTF-8").
    public var skipped: [String: Int] = [:]

    public init(format: VectorFileFormat) { self.format = format }

    public var skippedTotal: Int { skipped.values.reduce(0, +) }
}
