import ArgumentParser
import Foundation
import TextTransfer

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate", abstract: "Metrics of a trained classifier on labelled data.",
        discussion: "EXAMPLES:\n  text-transfer evaluate --model Models/sst2 --data Examples/sst2/dev.tsv\n  text-transfer evaluate --model Models/sst2 --data dev.csv --json metrics.json")

    @Option(help: "Classifier directory written by train.") var model: String
    @OptionGroup var precision: PrecisionOptions
    @Option(help: "For a classifier trained on several tasks: the task whose head answers.") var task: String?
    @Option(help: "Labelled data: .tsv, .csv or .jsonl.") var data: String
    @Option(help: "Also write the metrics as JSON (accuracy, macro_f1, per_class, confusion, …).") var json: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Name of a second text column, for classifiers trained on pairs.") var textPairColumn: String?
    @Option(help: "Compute threads.") var threads: Int?

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            let classifier = try TextClassifier(directory: model, task: task, precision: precision.chosen)
            precision.noteIfSlow()
            let examples = try readLabeledExamples(path: data, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
            let pairs = textPairColumn == nil ? nil : examples.map { $0.textPair ?? "" }
            if classifier.description.head == .regression {
                let targets = try examples.map { e -> Double in
                    guard let v = Double(e.label) else { throw DataError(file: data, line: e.line, message: "label '\(e.label)' is not a number") }
                    return v
                }
                let report = RegressionReport(predictions: classifier.predict(examples.map(\.text), pairs: pairs).map { Double($0.probabilities[0]) }, targets: targets)
                printOutput(report.table, terminator: "")
                if let json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try writeOutput(try encoder.encode(report), to: json, inputs: [data, model])
                }
                return
            }
            let unknown = examples.filter { !classifier.labels.contains($0.label) }
            if let first = unknown.first {
                throw DataError(file: data, line: first.line,
                                message: "label '\(first.label)' is not one the classifier knows (\(classifier.labels.joined(separator: ", ")))")
            }
            let predictions = classifier.predict(examples.map(\.text), pairs: pairs)
            let report = ClassificationReport(gold: examples.map { classifier.labels.firstIndex(of: $0.label)! },
                                              predicted: predictions.map { classifier.labels.firstIndex(of: $0.label)! },
                                              labels: classifier.labels,
                                              confidences: predictions.map { Double($0.probabilities.max()!) })
            printOutput(report.table, terminator: "")
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeOutput(try encoder.encode(report), to: json, inputs: [data, model])
            }
        }
    }
}
