import ArgumentParser
import Foundation
import TextTransfer

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict", abstract: "Labels and probabilities from a trained classifier.",
        discussion: """
        Texts come from the arguments, from --input, or else from standard input (one per line).
        EXAMPLES:
          text-transfer predict --model Models/sst2 "a gorgeous, witty film" "a dull mess"
          echo "a dull mess" | text-transfer predict --model Models/sst2
          text-transfer predict --model Models/sst2 --input reviews.csv --text-column review --id-column id --format jsonl --output predictions.jsonl
          text-transfer predict --model Models/both --task question "Who wrote Hamlet ?"
        """)

    enum Format: String, ExpressibleByArgument { case tsv, jsonl }

    @Option(help: "Classifier directory written by train.") var model: String
    @OptionGroup var precision: PrecisionOptions
    @Option(help: "For a classifier trained on several tasks: the task whose head answers.") var task: String?
    @Argument(help: "Texts to classify (or use --input, or standard input).") var texts: [String] = []
    @Option(help: "File to classify, or - for standard input: one text per line, or a .tsv/.csv/.jsonl table.") var input: String?
    @Option(help: "How --input is read: lines, tsv, csv or jsonl (default: from its extension; lines for standard input).")
    var inputFormat: String?
    @Option(help: "A table's column (JSON Lines: field) with the text.") var textColumn: String = "text"
    @Option(help: "A table's column with the second text of each pair.") var textPairColumn: String?
    @Option(help: "A table's column whose value identifies each row in the output (instead of its text).") var idColumn: String?
    @Option(help: "Write the predictions to this file (atomically) instead of standard output.") var output: String?
    @Option(help: "tsv (label, probability, text or id) or jsonl (one object per text: text or id, label, top, probabilities).")
    var format: Format = .tsv
    @Option(help: "Report the K most probable labels.") var topK: Int = 1
    @Flag(help: "Each input line is a pair of texts separated by a tab.") var pairs = false
    @Flag(help: "jsonl: add the head's raw logits (what transformers' exported model returns).") var logits = false
    @Option(help: "Texts per forward pass.") var batchSize: Int = 32
    @Option(help: "Compute threads.") var threads: Int?

    func run() throws {
        try setComputeThreads(threads)
        guard topK >= 1 else { throw ValidationError("--top-k must be at least 1, not \(topK)") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1, not \(batchSize)") }
        let format = try inputFormat.map { name in
            guard let f = PredictionInput.Format(rawValue: name) else {
                throw ValidationError("--input-format must be lines, tsv, csv or jsonl, not '\(name)'")
            }
            return f
        }
        guard texts.isEmpty || input == nil else { throw ValidationError("give texts as arguments or --input, not both") }
        let source = input ?? (texts.isEmpty ? "-" : nil)
        if source == "-" && input == nil && PredictionInput.standardInputIsTerminal {
            throw ValidationError("no texts: give them as arguments, with --input FILE, or pipe them in (one per line)")
        }
        reportingErrors {
            try refuseInputAsOutput(output, inputs: [model] + (input.map { [$0] } ?? []))
            let classifier = try TextClassifier(directory: model, task: task, precision: precision.chosen)
            precision.noteIfSlow()
            let given = try source.map {
                try PredictionInput.read($0, format: format ?? PredictionInput.Format(path: $0), textColumn: textColumn,
                                         pairColumn: textPairColumn, idColumn: idColumn, tabSeparatedPairs: pairs)
            } ?? PredictionInput.fromLines(texts, tabSeparatedPairs: pairs)
            let rawLogits = classifier.logits(given.texts, pairs: given.pairs, batchSize: batchSize)
            let predictions = rawLogits.map { classifier.prediction(fromLogits: $0) }
            let rendered = Self.render(predictions, of: given, labels: classifier.labels, format: self.format, topK: topK,
                                       logits: logits ? rawLogits : nil)
            try writeOutput(Data(rendered.utf8), to: output ?? "-", inputs: [model] + (input.map { [$0] } ?? []))
        }
    }

    /// One line per text, in input order: TSV `label<TAB>probability`… then the text (or id), or a JSON
    /// object with the text (or id), the label, the top K and every probability.
    static func render(_ predictions: [TextClassifier.Prediction], of input: PredictionInput, labels: [String],
                       format: Format, topK: Int, logits: [[Float]]? = nil) -> String {
        var out = ""
        for (row, p) in predictions.enumerated() {
            let ranked = p.probabilities.indices.sorted { p.probabilities[$0] > p.probabilities[$1] }.prefix(topK)
            let subject = input.ids?[row] ?? input.texts[row]
            switch format {
            case .tsv:
                out += ranked.map { "\(labels[$0])\t\(String(format: "%.4f", p.probabilities[$0]))" }.joined(separator: "\t")
                    + "\t" + subject.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") + "\n"
            case .jsonl:
                let key = input.ids == nil ? "text" : "id"
                let top = ranked.map { "{\"label\":\(jsonString(labels[$0])),\"probability\":\(p.probabilities[$0])}" }
                let all = zip(labels, p.probabilities).map { "\(jsonString($0)):\($1)" }.joined(separator: ",")
                let raw = logits.map { ",\"logits\":[" + $0[row].map { "\($0)" }.joined(separator: ",") + "]" } ?? ""
                out += "{\"\(key)\":\(jsonString(subject)),\"label\":\(jsonString(p.label)),\"top\":[\(top.joined(separator: ","))],\"probabilities\":{\(all)}\(raw)}\n"
            }
        }
        return out
    }
}
