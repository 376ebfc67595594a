import Foundation
import TextTransferCore
import TextTransferIO

/// A table of pretrained word vectors read from GloVe, word2vec (text or binary), fastText (.vec or .bin)
/// or a converted safetensors table. Immutable and safe to share across threads.
///
///     let glove = try WordVectors(contentsOf: "glove.6B.50d.txt", options: VectorLoadOptions(vocabulary: trainingWords))
///     glove.vector(for: "movie")   // 50 floats, or nil
public final class WordVectors: @unchecked Sendable {
    /// The file the vectors came from.
    public let source: String
    /// Words in file order; row i of `vectors` belongs to words[i].
    public let words: [String]
    /// (N, E).
    public let vectors: Tensor
    /// fastText's n-gram buckets, when the file has them (.bin, or a table converted from one).
    public let subwords: FastTextSubwords?
    public let report: VectorLoadReport
    private let rowOfWord: [String: Int]

    public var dimension: Int { vectors.shape[1] }
    public var count: Int { words.count }

    /// A table from values in memory; `words` must be distinct.
    public init(words: [String], vectors: Tensor, subwords: FastTextSubwords? = nil, source: String = "memory",
                report: VectorLoadReport = VectorLoadReport(format: .safetensors)) {
        precondition(vectors.rank == 2 && vectors.shape[0] == words.count, "\(words.count) words for vectors of shape \(vectors.shape)")
        var index: [String: Int] = [:]
        index.reserveCapacity(words.count)
        for (i, w) in words.enumerated() { precondition(index.updateValue(i, forKey: w) == nil, "duplicate word '\(w)'") }
        self.words = words
        self.vectors = vectors
        self.subwords = subwords
        self.source = source
        self.report = report
        rowOfWord = index
    }

    /// Reads a vector file in any of the supported formats (detected from the name and first bytes unless
    /// `options.format` says), restricted to `options.vocabulary` and the first `options.maxWords` rows.
    public convenience init(contentsOf path: String, options: VectorLoadOptions = VectorLoadOptions()) throws {
        let format = try options.format ?? Self.detectFormat(path)
        switch format {
        case .glove, .word2vecText:
            let r = try TextVectorReader(path: path, options: options, hasHeader: format == .word2vecText).read()
            self.init(words: r.words, vectors: r.values.tensor(columns: r.dimension), source: path, report: r.report)
        case .word2vecBinary:
            let r = try Word2VecBinaryReader(path: path, options: options).read()
            self.init(words: r.words, vectors: r.values.tensor(columns: r.dimension), source: path, report: r.report)
        case .fastTextBinary:
            let r = try FastTextBinaryReader(path: path, options: options).read()
            self.init(words: r.words, vectors: r.vectors.tensor(columns: r.dimension), subwords: r.subwords,
                      source: path, report: r.report)
        case .safetensors:
            let t = try VectorTableFile.read(path: path, options: options)
            self.init(words: t.words, vectors: t.vectors, subwords: t.subwords, source: path, report: t.report)
        }
    }

    static func detectFormat(_ path: String) throws -> VectorFileFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw VectorFileError(file: path, message: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
        }
        defer { try? handle.close() }
        let first = try handle.read(upToCount: 4096) ?? Data()
        return VectorFileFormat.detect(path: path, firstBytes: Array(first))
    }

    /// The row of `word`, if the table has it exactly.
    public func row(of word: String) -> Int? { rowOfWord[word] }

    public func vector(at row: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: vectors.pointer + row * dimension, count: dimension)
    }

    /// The word's own vector, or for a fastText model the one its n-grams give; nil otherwise.
    public func vector(for word: String) -> [Float]? {
        if let r = rowOfWord[word] { return Array(vector(at: r)) }
        return subwords?.vector(for: word)
    }

    /// Writes the table (and fastText n-gram buckets, if any) as a safetensors file that loads in
    /// milliseconds, atomically.
    public func write(to path: String) throws {
        try VectorTableFile.write(self, to: path)
    }
}
