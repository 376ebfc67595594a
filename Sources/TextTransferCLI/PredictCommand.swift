import ArgumentParser
import Foundation
import TextTransfer

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Labels and probabilities from a trained classifier.",
        discussion: "EXAMPLES:\n  text-transfer predict --model Models/sst2 \"a gorgeous, witty film\" \"a dull mess\"\n  text-transfer predict --model Models/sst2 --input reviews.txt --format jsonl --top-k 2\n  text-transfer predict --model Models/both --task question \"Who wrote Hamlet ?\"")

    enum Format: String, ExpressibleByArgument { case tsv, jsonl }

    @Option(help: "Classifier directory written by train.") var model: String
    @Option(help: "For a classifier trained on several tasks: the task whose head answers.") var task: String?
    @Argument(help: "Texts to classify (or use --input).") var texts: [String] = []
    @Option(help: "File with one text per line, or - for standard input.") var input: String?
    @Option(help: "tsv (label, probability, text) or jsonl.") var format: Format = .tsv
    @Option(help: "Report the K most probable labels.") var topK: Int = 1
    @Flag(help: "Each input is a pair of texts separated by a tab.") var pairs = false
    @Option(help: "Compute threads.") var threads: Int?

    func run() throws {
        try setComputeThreads(threads)
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, not \(topK)") }
        reportingErrors {
            let classifier = try TextClassifier(directory: model, task: task)
            let lines = try input.map(readInputLines) ?? texts
            var firsts = lines, seconds: [String]?
            if pairs {
                let split = lines.map { $0.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false).map(String.init) }
                firsts = split.map { $0[0] }
                seconds = split.map { $0.count > 1 ? $0[1] : "" }
            }
            var out = ""
            for (text, p) in zip(lines, classifier.predict(firsts, pairs: seconds)) {
                let ranked = p.probabilities.indices.sorted { p.probabilities[$0] > p.probabilities[$1] }.prefix(max(1, topK))
                switch format {
                case .tsv:
                    out += ranked.map { "\(classifier.labels[$0])\t\(String(format: "%.4f", p.probabilities[$0]))" }.joined(separator: "\t")
                        + "\t" + text.replacingOccurrences(of: "\t", with: " ") + "\n"
                case .jsonl:
                    let top = ranked.map { "{\"label\":\(jsonString(classifier.labels[$0])),\"probability\":\(p.probabilities[$0])}" }
                    let all = zip(classifier.labels, p.probabilities).map { "\(jsonString($0)):\($1)" }.joined(separator: ",")
                    out += "{\"label\":\(jsonString(p.label)),\"top\":[\(top.joined(separator: ","))],\"probabilities\":{\(all)}}\n"
                }
            }
            try writeStandardOutput(Data(out.utf8))
        }
    }
}
