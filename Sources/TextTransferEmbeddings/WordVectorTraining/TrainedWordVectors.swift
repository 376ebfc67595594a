import Foundation
import TextTransferIO

/// Word vectors trained here, in fastText's layout, and their files: `NAME.bin` (fastText's model format,
/// version 12: `fasttext print-word-vectors` and gensim load it, and so does `WordVectors`) and `NAME.vec`
/// (the word vectors as text, as fastText writes them).
public struct TrainedWordVectors {
    public let settings: WordVectorSettings
    public let words: [String]
    public let counts: [Int64]
    /// fastText's ntokens: every token of the text, "</s>" included.
    public let tokens: Int64
    /// The word rows, then the n-gram buckets (words.count + buckets rows of settings.dimension).
    public let input: [Float]
    /// One row per word (the negative-sampling output vectors).
    public let output: [Float]
    /// Tokens each thread trained between two merges (the vectors depend on it).
    public let roundTokens: Int

    /// fastText's vector for word `i` of the vocabulary: the mean of its own row and its n-gram rows.
    public func vector(word i: Int) -> [Float] {
        let d = settings.dimension
        var rows = [i]
        if words[i] != WordVectorVocabulary.endOfSentence {
            rows += FastTextSubwords.ngramBuckets(words[i], minn: settings.minn, maxn: settings.maxn, buckets: settings.buckets).map { words.count + $0 }
        }
        var sum = [Float](repeating: 0, count: d)
        for r in rows { for k in 0..<d { sum[k] += input[r * d + k] } }
        let scale = Float(1.0 / Double(rows.count))
        return sum.map { $0 * scale }
    }

    /// The model in fastText's .bin format: magic and version, the arguments, the dictionary, the input
    /// and output matrices (both unquantized).
    public func fastTextBinary() -> Data {
        var data = Data()
        data.reserveCapacity(4 * (input.count + output.count) + 64 * words.count + 200)
        fastTextBinary { data.append(contentsOf: $0) }
        return data
    }

    /// The .bin's bytes in parts, in order: the matrices straight from their arrays, never copied whole.
    public func fastTextBinary(_ write: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        let s = settings
        var header = Data()
        func int32(_ v: Int) { withUnsafeBytes(of: Int32(v).littleEndian) { header.append(contentsOf: $0) } }
        func int64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) } }
        func flush() throws {
            try header.withUnsafeBytes(write)
            header.removeAll(keepingCapacity: true)
        }
        int32(793_712_314)
        int32(12)
        // Args::save: dim, ws, epoch, minCount, neg, wordNgrams, loss (ns = 2), model (cbow = 1, sg = 2),
        // bucket, minn, maxn, lrUpdateRate, t.
        for v in [s.dimension, s.window, s.epochs, s.minCount, s.negatives, 1, 2, s.model == .cbow ? 1 : 2, s.buckets, s.minn, s.maxn, 100] { int32(v) }
        withUnsafeBytes(of: s.samplingThreshold.bitPattern.littleEndian) { header.append(contentsOf: $0) }
        // Dictionary::save: size, nwords, nlabels, ntokens, pruneidx size (-1: not pruned), the entries.
        int32(words.count)
        int32(words.count)
        int32(0)
        int64(tokens)
        int64(-1)
        for (word, count) in zip(words, counts) {
            header.append(contentsOf: Array(word.utf8))
            header.append(0)
            int64(count)
            header.append(0)  // entry type: word
        }
        header.append(0)  // the input matrix is not quantized
        int64(Int64(words.count + s.buckets))
        int64(Int64(s.dimension))
        try flush()
        try input.withUnsafeBytes(write)  // x86-64 and arm64 are little-endian, as the format
        header.append(0)  // nor the output matrix
        int64(Int64(words.count))
        int64(Int64(s.dimension))
        try flush()
        try output.withUnsafeBytes(write)
    }

    /// The word vectors as fastText's .vec text: "words dim", then each word and its vector, every value
    /// with 5 significant digits and a space after it (fastText's `operator<<` on a Vector).
    public func fastTextText() -> Data {
        var out = Data("\(words.count) \(settings.dimension)\n".utf8)
        var buffer = [CChar](repeating: 0, count: 32)
        for i in words.indices {
            out.append(contentsOf: Array(words[i].utf8))
            out.append(0x20)
            for v in vector(word: i) {
                // vsnprintf straight into a buffer: String(format:) costs seconds over millions of values.
                let n = withVaList([Double(v)]) { vsnprintf(&buffer, buffer.count, "%.5g ", $0) }
                buffer.withUnsafeBytes { out.append(contentsOf: $0.prefix(Int(n))) }
            }
            out.append(0x0A)
        }
        return out
    }

    /// Writes `NAME.bin` and `NAME.vec`, each built beside its place and renamed into it.
    public func write(name: String, inputs: [String] = []) throws {
        try writeAtomically(to: name + ".bin", inputs: inputs, parts: fastTextBinary)
        try writeAtomically(fastTextText(), to: name + ".vec", inputs: inputs)
    }
}
