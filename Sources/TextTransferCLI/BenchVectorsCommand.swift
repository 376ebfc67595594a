import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

struct BenchVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vectors",
        abstract: "Seconds to load a word-vector file restricted to a vocabulary, and milliseconds to load the converted table.")

    @Option(help: "The vector file (see `bench make-vectors`).") var embeddings: String
    @Option(help: "The vocabulary to restrict to, one word per line.") var vocabulary: String
    @Option(help: "Write the restricted table here and time its loading too.") var table: String?
    @Option(help: "Samples (medians are reported).") var runs: Int = 5

    func run() throws {
        try requireSamples(runs)
        reportingErrors {
            let wanted = Set(try readInputLines(vocabulary).filter { !$0.isEmpty })
            var loaded: WordVectors?
            let restricted = timeSamples(runs: runs, warmup: 1, minimumSeconds: 0) {
                loaded = nil  // one table in memory at a time
                loaded = try! WordVectors(contentsOf: embeddings, options: VectorLoadOptions(vocabulary: wanted))
            }
            let vectors = loaded!
            let megabytes = Double(vectors.vectors.count * 4) / 1_048_576
            printOutput(String(format: "RESULT vectors text-transfer restricted_load_s=%@ words=%d of %d dim=%d table_MiB=%.1f",
                         summary(restricted, digits: 3), vectors.count, vectors.report.rowsSeen, vectors.dimension, megabytes))
            guard let table else { return }
            try vectors.write(to: table)
            var fromTable: WordVectors?
            let loads = timeSamples(runs: runs, warmup: 1, minimumSeconds: 0) { fromTable = try! WordVectors(contentsOf: table) }
            precondition(fromTable!.words == vectors.words, "the table lost words")
            printOutput("RESULT vectors text-transfer table_load_ms=\(summary(loads.map { $0 * 1000 }, digits: 2)) words=\(fromTable!.count)")
        }
    }
}

struct BenchMakeVectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-vectors",
        abstract: "Write a synthetic fastText-style .vec file (header, then 'word v1 … vD ' with 5 significant digits) and a vocabulary sampled evenly from it.")

    @Option(help: "The .vec file to write.") var output: String
    @Option(help: "The vocabulary file to write.") var vocabularyOutput: String
    @Option var words: Int = 1_000_000
    @Option var dimension: Int = 300
    @Option var vocabularySize: Int = 20_000
    @Option var seed: UInt64 = 1

    func run() throws {
        guard words >= vocabularySize, vocabularySize >= 1, dimension >= 1 else { throw ValidationError("need words ≥ vocabulary size ≥ 1") }
        reportingErrors {
            guard FileManager.default.createFile(atPath: output + ".partial", contents: nil),
                  let handle = FileHandle(forWritingAtPath: output + ".partial") else { throw InputError(message: "\(output): cannot write") }
            var generator = RandomGenerator(seed: seed)
            var buffer = Array("\(words) \(dimension)\n".utf8)
            var chosen: [String] = []
            let every = words / vocabularySize
            for i in 0..<words {
                let word = "w\(String(i, radix: 36))"
                if i % every == 0 && chosen.count < vocabularySize { chosen.append(word) }
                buffer += word.utf8
                for _ in 0..<dimension {
                    // -0.xxxxx … 0.xxxxx: the shape of fastText's 5-significant-digit values.
                    let v = Int(generator.nextUnitFloat() * 199_999) - 99_999
                    buffer.append(0x20)
                    if v < 0 { buffer.append(UInt8(ascii: "-")) }
                    buffer += Array("0.".utf8)
                    var digits = abs(v), place = 10_000
                    for _ in 0..<5 { buffer.append(UInt8(48 + digits / place)); digits %= place; place /= 10 }
                }
                buffer += [0x20, 0x0A]
                if buffer.count > 8 << 20 { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
            }
            handle.write(Data(buffer))
            try handle.close()
            guard rename(output + ".partial", output) == 0 else { throw InputError(message: "\(output): cannot rename into place") }
            try writeOutput(Data(chosen.map { $0 + "\n" }.joined().utf8), to: vocabularyOutput)
            printOutput("wrote \(output): \(words) × \(dimension); \(vocabularyOutput): \(chosen.count) words")
        }
    }
}
