import ArgumentParser
import Foundation
import TextTransfer

/// Classifiers side by side: sentences per second of `TextClassifier.predict` on the same texts in one
/// run, the median of several samples each, and each one's speed against the first (a teacher and its
/// students, say), so that a speed ratio never mixes figures from different moments of a shared machine.
struct BenchClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Sentences per second of saved classifiers on the same texts, medians, and each against the first.",
        discussion: "EXAMPLES:\n  text-transfer bench classify --model Models/sst2 --model Models/sst2-bilstm --input dev.txt --threads 2")

    @Option(help: "A classifier directory saved by train or distill; repeat it (the first is the reference).") var model: [String]
    @Option(help: "Texts, one per line; or labelled data (.tsv, .csv, .jsonl), whose texts are used.") var input: String
    @Option(help: "Samples per classifier (medians are reported).") var runs: Int = 5
    @Option(help: "Texts per batch (TextClassifier.predict's default: 32).") var batchSize: Int = 32
    @Option(help: "Compute threads.") var threads: Int?
    @Option(help: "Name of the text column of labelled data.") var textColumn: String = "text"
    @Option(help: "fp32, bf16 or int8 for Transformer classifiers; repeat it to time each classifier in each.") var precision: [Precision] = [.fp32]

    func validate() throws {
        guard !model.isEmpty else { throw ValidationError("--model: name at least one classifier") }
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1, not \(runs)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
    }

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            let texts = try readTexts(input, textColumn: textColumn, labelColumn: "label").texts
            guard !texts.isEmpty else { throw InputError(message: "\(input): no texts") }
            let runsOf = try model.flatMap { path in
                try precision.map { p in (path, p, try TextClassifier(directory: path, precision: noteMissingInstructions(p))) }
            }
            printBLASSetting()
            var reference: Double?
            for (path, precision, classifier) in runsOf {
                let rates = timeSamples(runs: runs, warmup: 1, minimumSeconds: 1) { _ = classifier.predict(texts, batchSize: batchSize) }.map { Double(texts.count) / $0 }
                let rate = median(rates)
                reference = reference ?? rate
                printOutput("RESULT classify model=\(path) precision=\(precision.rawValue) texts=\(texts.count) batch=\(batchSize) sentences_per_s=\(summary(rates, digits: 1)) vs_first=\(String(format: "%.2f", rate / reference!))")
            }
        }
    }
}
