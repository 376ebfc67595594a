import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a word-vector file into a compact safetensors table that loads in milliseconds (fastText n-gram buckets kept).",
        discussion: "EXAMPLES:\n  text-transfer convert --embeddings glove.840B.300d.txt --output glove.safetensors\n  text-transfer convert --embeddings cc.en.300.bin --vocabulary words.txt --output cc.safetensors")

    @OptionGroup var file: VectorFileFlags
    @Option(help: "Output .safetensors file (written atomically).") var output: String
    @Option(help: "Keep only the words listed in this file (one per line) and their lower-cased and normalized forms.")
    var vocabulary: String?

    func run() throws {
        guard output.hasSuffix(".safetensors") else { throw ValidationError("--output must end in .safetensors") }
        reportingErrors {
            for input in [file.embeddings, vocabulary].compactMap({ $0 }) where isSameFile(input, output) {
                throw InputError(message: "\(output): is \(input), an input of this run: refusing to overwrite it")
            }
            let wanted = try vocabulary.map { Set(try readInputLines($0).filter { !$0.isEmpty }.flatMap(WordVectorLookup.candidateForms)) }
            let started = Date()
            let vectors = try WordVectors(contentsOf: file.embeddings, options: try file.options(vocabulary: wanted))
            reportSkipped(vectors)
            try vectors.write(to: output)
            let subwords = vectors.subwords.map { ", \($0.buckets) n-gram buckets (n = \($0.minn)…\($0.maxn))" } ?? ""
            printOutput(String(format: "%@: %d words × %d (%@)%@ → %@ in %.2f s", file.embeddings, vectors.count, vectors.dimension,
                         vectors.report.format.rawValue, subwords, output, Date().timeIntervalSince(started)))
        }
    }
}
