import ArgumentParser
import Foundation
import TextTransfer

struct VectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Print 'word v1 … vD' for each word, like fasttext print-word-vectors; words without a vector of their own get one by the fallbacks (lower-cased, normalized, fastText subwords, parts), or zeros.",
        discussion: "EXAMPLES:\n  text-transfer vectors --embeddings cc.en.300.bin movie moviee\n  text-transfer vectors --embeddings glove.txt --no-fallbacks < words.txt")

    @OptionGroup var file: VectorFileFlags
    @Argument(help: "Words; without any, whitespace-separated words from --input.") var words: [String] = []
    @Option(help: "File of words (whitespace-separated), or - for standard input.") var input: String = "-"
    @Flag(help: "Only the word itself or its fastText subwords, exactly what fasttext print-word-vectors prints.")
    var noFallbacks = false

    func run() throws {
        let options = try file.options()
        reportingErrors {
            let wanted = words.isEmpty ? try readInputLines(input).flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) } : words
            var load = options
            // Only what the words could need is read: their forms and parts (a fastText model keeps its n-grams).
            if !wanted.isEmpty { load.vocabulary = Set(wanted.flatMap(WordVectorLookup.candidateForms)) }
            let vectors = try WordVectors(contentsOf: file.embeddings, options: load)
            reportSkipped(vectors)
            let lookup = WordVectorLookup(vectors)
            var out = ""
            var unknown = 0
            for word in wanted {
                let vector = noFallbacks ? vectors.vector(for: word) : lookup.vector(for: word).vector
                if vector == nil { unknown += 1 }
                out += word
                for v in vector ?? [Float](repeating: 0, count: vectors.dimension) { out += " \(v)" }
                out += "\n"
            }
            try writeStandardOutput(Data(out.utf8))
            if unknown > 0 { writeStandardError("text-transfer: \(unknown) of \(wanted.count) words have no vector; printed zeros") }
        }
    }
}
