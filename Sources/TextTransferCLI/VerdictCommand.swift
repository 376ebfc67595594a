import ArgumentParser
import Foundation
import TextTransfer
import TextTransferIO
import TextTransferTraining

struct VerdictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verdict", abstract: "Whether transfer helped a classifier saved by train: against a from-scratch baseline and the frozen probe, on dev.",
        discussion: "train does this at the end of every run (unless --no-verdict); this command does it for a classifier trained before, or on other data. The baseline and the probe train on --train with the classifier's own settings; all three answer --dev.\n\nEXAMPLES:\n  text-transfer verdict --model Models/sst2 --train Examples/sst2/train.tsv --dev Examples/sst2/dev.tsv\n  text-transfer verdict --model Models/sst2 --train train.tsv --dev dev.tsv --result-json verdict.json")

    @Option(help: "Classifier directory written by train (softmax head).") var model: String
    @Option(help: "The labelled data the baseline and the probe train on (.tsv, .csv or .jsonl).") var train: String
    @Option(help: "Labelled dev data all three answer.") var dev: String
    @Option(help: "Write the verdict as JSON here.") var resultJson: String?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Compute threads.") var threads: Int?

    func run() throws {
        try setComputeThreads(threads)
        reportingErrors {
            let inputs = [model, train, dev]
            try refuseInputAsOutput(resultJson, inputs: inputs)
            let description = try TextClassifier(directory: model).description
            let trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn)
            let devExamples = try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn)
            for (examples, path) in [(trainExamples, train), (devExamples, dev)] {
                if let stranger = examples.first(where: { !description.labels.contains($0.label) }) {
                    throw DataError(file: path, line: stranger.line, message: "label '\(stranger.label)' is not among the classifier's (\(description.labels.joined(separator: ", ")))")
                }
            }
            guard let verdict = try TransferVerdict.measure(classifier: model, configuration: description.training, train: trainExamples, dev: devExamples,
                                                            seconds: nil, log: { writeStandardError($0) }) else {
                throw ModelFileError(file: model, key: "head", message: "the verdict compares single-label (softmax) classifiers, not a \(description.head.rawValue) head")
            }
            try writeResultJSON(verdict, to: resultJson, inputs: inputs)
            printOutput(verdict.table, terminator: "")
        }
    }
}
