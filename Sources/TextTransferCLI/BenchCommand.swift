import ArgumentParser
import Foundation
import TextTransfer
import TextTransferCore

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
        abstract: "Sentence embeddings per second, as ../shared/bench/peer_embed.py measures them.",
        discussion: "With several --precision, each runs in turn and bf16/int8 also report the cosine of their embeddings of every input line to fp32's.\nEXAMPLES:\n  text-transfer bench embed --input texts.txt --precision fp32 --precision bf16 --precision int8")

    @OptionGroup var model: ModelOptions
    @Option(help: "Texts, one per line.") var input: String
    @Option(help: "Samples per figure (medians are reported).") var runs: Int = 5
    @Option(help: "fp32, bf16 or int8; repeat it to compare in one run.") var precision: [Precision] = [.fp32]

    func run() throws {
        try requireSamples(runs)
        try model.applyThreads()
        reportingErrors {
            let texts = try readInputLines(input)
            guard !texts.isEmpty else { throw InputError(message: "\(input): no lines") }
            printBLASSetting()
            var float32: [[Float]]?
            for precision in precision {
                let encoder = try SentenceEncoder(directory: model.model, precision: noteMissingInstructions(precision))
                let name = precision == .fp32 ? "text-transfer" : "text-transfer-\(precision.rawValue)"
                printOutput("# \(name): Linear layers in \(precision.rawValue)" + (precision == .fp32 ? (PackedLinear.runsFloat32Inference ? " (our AVX-512 kernel)" : " (OpenBLAS)") : ""))
                Self.measure(encoder, name: name, texts: texts, runs: runs)
                if precision == .fp32 || float32 == nil {
                    let reference = precision == .fp32 ? encoder : try SentenceEncoder(directory: model.model)
                    float32 = reference.embed(texts)
                }
                if precision != .fp32, let float32 {
                    let cosines = zip(encoder.embed(texts), float32).map { Double(cosine($0, $1)) }
                    printOutput("RESULT embed \(name) cos_to_fp32 min=\(String(format: "%.5f", cosines.min()!)) mean=\(String(format: "%.5f", cosines.reduce(0, +) / Double(cosines.count))) n=\(cosines.count)")
                }
                fflush(nil)
            }
        }
    }

    static func measure(_ encoder: SentenceEncoder, name: String, texts: [String], runs: Int) {
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
            printOutput("RESULT embed \(name) L=\(length) sent/s=\(summary(samples.map { Double(batchSize) / $0 }, digits: 1))")
            fflush(nil)
        }
        // 128 real tokens: consecutive lines joined until they fill the length, so no position is padding.
        let real = realTokenBatch(texts, length: 128, count: batchSize, tokenizer: encoder.tokenizer)
        let realSamples = timeSamples(runs: runs) { _ = encoder.embedPadded(real) }
        printOutput("RESULT embed \(name) L=128-real sent/s=\(summary(realSamples.map { Double(batchSize) / $0 }, digits: 1))")
        let lines = timeSamples(runs: runs, warmup: 1) { _ = encoder.embed(texts, batchSize: batchSize) }
        printOutput("RESULT embed \(name) lines sent/s=\(summary(lines.map { Double(texts.count) / $0 }, digits: 1))")
        let one = ["The quick brown fox jumps over the lazy dog near the river bank today."]
        let latency = timeSamples(runs: runs, warmup: 5) { _ = encoder.embed(one) }
        printOutput("RESULT embed \(name) latency_ms=\(summary(latency.map { $0 * 1000 }, digits: 2))")
    }

    /// `count` encodings of exactly `length` real tokens, each from consecutive input lines joined by spaces.
    static func realTokenBatch(_ texts: [String], length: Int, count: Int, tokenizer: BertTokenizer) -> [Encoding] {
        var next = 0
        return (0..<count).map { _ in
            var text = ""
            var encoding = tokenizer.encode(text, maxLength: length)
            for _ in 0..<(texts.count * 4) where encoding.count < length {
                text += (text.isEmpty ? "" : " ") + texts[next % texts.count]
                next += 1
                encoding = tokenizer.encode(text, maxLength: length)
            }
            return encoding
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
