import ArgumentParser
import Foundation
import TextTransfer

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks that print RESULT lines in the format of ../shared/bench's peer scripts.",
        discussion: "EXAMPLES:\n  text-transfer bench embed --input texts.txt\n  text-transfer bench train --train Examples/sst2/train.tsv --parts full,frozen",
        subcommands: [BenchEmbedCommand.self, BenchClassifyCommand.self, BenchTokenizeCommand.self, BenchTrainCommand.self, BenchVectorsCommand.self, BenchMakeVectorsCommand.self])
}

/// A comment line naming the BLAS kernels and threads, so every figure says what it ran with.
func printBLASSetting() {
    var line = "# OpenBLAS core \(ComputeThreads.blasCoreName), threads \(ComputeThreads.count)"
    if ComputeThreads.blasCoreIsPinnedBelowCPU {
        line += " (OPENBLAS_CORETYPE pins it; this CPU has AVX-512: OPENBLAS_CORETYPE=SkylakeX runs faster)"
    }
    printOutput(line)
}

/// Runs `body` `warmup` times, then `runs` samples of at least `minimumSeconds` each; returns seconds
/// per call for each sample (peer_embed.py's `timed`; with minimumSeconds 0, one call a sample as
/// peer_train.py times steps).
func timeSamples(runs: Int, warmup: Int = 2, minimumSeconds: Double = 0.3, _ body: () -> Void) -> [Double] {
    for _ in 0..<warmup { body() }
    return (0..<runs).map { _ in
        var calls = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var elapsed = 0.0
        repeat {
            body()
            calls += 1
            elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        } while elapsed < minimumSeconds
        return elapsed / Double(calls)
    }
}

func median(_ values: [Double]) -> Double {
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// "12.3 (min 11.0 max 13.1 n=5)", the peers' summary of a set of rates.
func summary(_ values: [Double], digits: Int) -> String {
    let s = values.sorted()
    let f = "%.\(digits)f"
    return "\(String(format: f, median(s))) (min \(String(format: f, s.first!)) max \(String(format: f, s.last!)) n=\(s.count))"
}

struct BenchEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Sentence embeddings per second, as ../shared/bench/peer_embed.py measures them.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Texts, one per line.") var input: String
    @Option(help: "Samples per figure (medians are reported).") var runs: Int = 5

    func run() throws {
        try requireSamples(runs)
        try model.applyThreads()
        reportingErrors {
            let encoder = try SentenceEncoder(directory: model.model)
            printBLASSetting()
            let texts = try readInputLines(input)
            guard !texts.isEmpty else { throw InputError(message: "\(input): no lines") }
            let batchSize = 32
            let first = (0..<batchSize).map { texts[$0 % texts.count] }
            for length in [16, 64, 128] {
                // Padded to exactly `length` tokens, as the peers' padding="max_length".
                let encodings = first.map { text -> Encoding in
                    var e = encoder.tokenizer.encode(text, maxLength: length)
                    e.pad(toLength: length, paddingID: encoder.tokenizer.paddingID)
                    return e
                }
                let samples = timeSamples(runs: runs) { _ = encoder.embedPadded(encodings) }
                printOutput("RESULT embed text-transfer L=\(length) sent/s=\(summary(samples.map { Double(batchSize) / $0 }, digits: 1))")
                fflush(nil)
            }
            let lines = timeSamples(runs: runs, warmup: 1) { _ = encoder.embed(texts, batchSize: batchSize) }
            printOutput("RESULT embed text-transfer lines sent/s=\(summary(lines.map { Double(texts.count) / $0 }, digits: 1))")
            let one = ["The quick brown fox jumps over the lazy dog near the river bank today."]
            let latency = timeSamples(runs: runs, warmup: 5) { _ = encoder.embed(one) }
            printOutput("RESULT embed text-transfer latency_ms=\(summary(latency.map { $0 * 1000 }, digits: 2))")
        }
    }
}

struct BenchTokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "WordPiece throughput on one thread, as ../shared/bench/peer_tokenize.py measures it.")

    @OptionGroup var model: ModelOptions
    @Option(help: "Texts, one per line.") var input: String
    @Option(help: "Samples (medians are reported).") var runs: Int = 5

    func run() throws {
        try requireSamples(runs)
        reportingErrors {
            let tokenizer = try BertTokenizer(directory: model.model)
            let lines = try readInputLines(input)
            let megabytes = Double(lines.reduce(0) { $0 + $1.utf8.count + 1 }) / 1e6
            var tokens = 0
            var samples: [Double] = []
            for run in 0...runs {  // the first pass warms up and is not counted, as in the peer script
                let start = DispatchTime.now().uptimeNanoseconds
                var count = 0
                for line in lines { count += tokenizer.encode(line).count }
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                tokens = count
                if run > 0 { samples.append(megabytes / seconds) }
            }
            printOutput("RESULT tokenize text-transfer MB/s=\(summary(samples, digits: 2)) tokens=\(tokens) MB=\(String(format: "%.2f", megabytes))")
        }
    }
}

/// Every bench figure is a median of `--runs` samples: at least one.
func requireSamples(_ runs: Int) throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1, not \(runs)") }
}
