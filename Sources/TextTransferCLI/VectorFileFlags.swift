import ArgumentParser
import Foundation
import TextTransfer

/// The flags that say how to read a word-vector file, shared by `vectors` and `convert`.
struct VectorFileFlags: ParsableArguments {
    @Option(help: "Word-vector file: GloVe or word2vec text, word2vec binary, fastText .vec or .bin, or a converted .safetensors table.")
    var embeddings: String
    @Option(help: "The file's format (glove, word2vec-text, word2vec-binary, fasttext-bin, safetensors); default: detected.")
    var format: String?
    @Option(help: "Read only the first N words of the file.") var maxWords: Int?
    @Flag(help: "Skip malformed rows (counted and reported) instead of stopping at the first.") var lenient = false

    func options(vocabulary: Set<String>? = nil) throws -> VectorLoadOptions {
        var o = VectorLoadOptions(maxWords: maxWords, vocabulary: vocabulary, lenient: lenient)
        if let format {
            guard let f = VectorFileFormat(rawValue: format) else {
                throw ValidationError("--format must be one of \(VectorFileFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            o.format = f
        }
        if let maxWords, maxWords < 1 { throw ValidationError("--max-words must be at least 1") }
        return o
    }
}

/// Says on standard error what a lenient load skipped.
func reportSkipped(_ vectors: WordVectors) {
    guard vectors.report.skippedTotal > 0 else { return }
    let reasons = vectors.report.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
    writeStandardError("text-transfer: skipped \(vectors.report.skippedTotal) malformed rows of \(vectors.source): \(reasons)")
}
