import ArgumentParser
import Foundation
import Synchronization
import TextTransfer

/// Set by the SIGINT handler; polled after every training step.
let stopRequested = Atomic<Bool>(false)

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Fine-tune a pretrained encoder on labelled text and save the classifier.",
        discussion: "EXAMPLES:\n  text-transfer train --train Examples/sst2/train.tsv --dev Examples/sst2/dev.tsv --output Models/sst2 --epochs 1\n  text-transfer train --train data.csv --output Models/topics --strategy feature-extraction --feature-solver lbfgs\n  text-transfer train --train train.tsv --dev dev.tsv --output Models/m --encoder bilstm --embeddings glove.safetensors")

    @OptionGroup(title: "Data") var data: TrainDataOptions
    @OptionGroup(title: "Model and encoder") var modelOptions: TrainModelOptions
    @OptionGroup(title: "Strategy, head and regularizers") var strategyOptions: TrainStrategyOptions
    @OptionGroup(title: "Optimization") var optimization: TrainOptimizationOptions
    @OptionGroup(title: "Evaluation") var evaluation: TrainEvaluationOptions
    @OptionGroup(title: "Output") var outputOptions: TrainOutputOptions

    func run() throws {
        if let threads = optimization.threads { ComputeThreads.set(threads) }
        var c = FineTuningConfiguration()
        data.apply(to: &c)
        modelOptions.apply(to: &c)
        strategyOptions.apply(to: &c)
        optimization.apply(to: &c)
        evaluation.apply(to: &c)
        let (train, dev, model, embeddings) = (data.train, data.dev, modelOptions.model, modelOptions.embeddings)
        let (textColumn, labelColumn, textPairColumn) = (data.textColumn, data.labelColumn, data.textPairColumn)
        let (output, logJson, resultJson, plot, resume) = (outputOptions.output, outputOptions.logJson, outputOptions.resultJson,
                                                           outputOptions.plot, outputOptions.resume)
        reportingErrors {
            // Every output is checked (and --output locked) before any work, so that a refusal never
            // comes after an hour of training.
            let inputs = [train, dev, model, embeddings].compactMap { $0 }
            let destination = try OutputDirectory.reserve(output, marker: ClassifierDescription.fileName, overwrite: outputOptions.overwrite, inputs: inputs)
            let checkpoint = try OutputDirectory.reserve(destination.path + ".checkpoint", marker: "state.json", inputs: inputs, locking: false)
            for path in [logJson, resultJson].compactMap({ $0 }) {
                if let input = inputs.first(where: { isSameFile($0, path) }) {
                    throw InputError(message: "\(path): is \(input), an input of this run: refusing to overwrite it")
                }
            }
            var isFolder: ObjCBool = false
            if let plot, FileManager.default.fileExists(atPath: plot, isDirectory: &isFolder), !isFolder.boolValue {
                throw InputError(message: "\(plot): --plot names a folder to write the pictures into, and this is a file")
            }
            var trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
            var devExamples: [LabeledExample]
            if let dev {
                devExamples = try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
            } else {
                (trainExamples, devExamples) = stratifiedSplit(trainExamples, fraction: data.devFraction, seed: c.seed)
            }
            if let tuneFraction = data.tuneFraction {
                (trainExamples, devExamples) = stratifiedSplit(trainExamples, fraction: tuneFraction, seed: c.seed &+ 1)
            }
            let progress = ProgressLine()
            let log: (String) -> Void = { line in
                progress.endLine()
                writeStandardError(line)
            }
            if let limit = data.limit {
                let labels = Set(trainExamples.map(\.label))
                trainExamples = Array(trainExamples.prefix(limit))
                let missing = labels.subtracting(trainExamples.map(\.label))
                if !missing.isEmpty && c.head != .regression {
                    log("warning: the first \(limit) training rows lack the label(s) \(missing.sorted().prefix(5).joined(separator: ", ")); is the file sorted by label?")
                }
            }
            log("training on \(trainExamples.count) examples, evaluating on \(devExamples.count); strategy \(c.strategy), \(c.epochs) epochs")
            let tuner = try FineTuner(configuration: c)
            let events = try logJson.map { try openLog($0, appending: resume) }
            // Ctrl-C asks the run to stop after the current step, save a checkpoint and exit cleanly.
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            let checkpoints = CheckpointOptions(directory: checkpoint.path, every: outputOptions.checkpointEvery, resume: resume,
                                                shouldStop: { stopRequested.load(ordering: .relaxed) })
            let result: FineTuningResult
            var stepLosses: [(step: Int, loss: Double)] = []  // for --plot
            do {
                result = try tuner.train(train: trainExamples, dev: devExamples, log: log, events: { event in
                    if case let .step(s) = event {
                        stepLosses.append((s.step, s.loss))
                        progress.update(s)
                    }
                    _ = try? events?.write(contentsOf: Data((event.json + "\n").utf8))
                }, checkpoints: checkpoints)
            } catch let error as DataError where error.file == "train" || error.file == "dev" {
                // The library names the example sets; the user knows them by their files.
                let file = error.file == "train" ? train : dev ?? "\(train) (held-out part)"
                throw DataError(file: file, line: error.line, message: error.message)
            }
            progress.endLine()
            try events?.close()
            try tuner.save(to: destination)
            if outputOptions.keepCheckpoint {
                log("the checkpoint stays in \(checkpoint.path)")
            } else {
                checkpoint.remove()
            }
            if let plot {
                try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true)
                try writeOutput(Data(TrainingPlots.learningCurves(steps: stepLosses, evaluations: result.history).utf8), to: plot + "/learning_curve.svg")
                if let report = result.best {
                    try writeOutput(Data(TrainingPlots.confusionMatrix(report).utf8), to: plot + "/confusion.svg")
                }
            }
            if let resultJson {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeOutput(try encoder.encode(result), to: resultJson, inputs: inputs)
            }
            let kept = c.keep == .last ? "final weights after %d evaluations" : "best of %d evaluations"
            if let report = result.best {
                printOutput(report.table, terminator: "")
                printOutput(String(format: "dev accuracy %.4f (" + kept + ", %d steps, %.0f s); saved to %@",
                             report.accuracy, result.history.count, result.steps, result.seconds, destination.path))
            } else if let report = result.bestRegression {
                printOutput(report.table, terminator: "")
                printOutput(String(format: "dev Pearson %.4f (" + kept + ", %d steps, %.0f s); saved to %@",
                             report.pearson, result.history.count, result.steps, result.seconds, destination.path))
            } else if let report = result.bestMultiLabel {
                printOutput(report.table, terminator: "")
                printOutput(String(format: "dev micro-F1 %.4f (" + kept + ", %d steps, %.0f s); saved to %@",
                             report.microF1, result.history.count, result.steps, result.seconds, destination.path))
            }
        }
    }
}

/// The --log-json file: created (with its folder) for a new run; appended to on --resume, so that the
/// steps logged before the interruption are kept.
func openLog(_ path: String, appending: Bool) throws -> FileHandle {
    let folder = (path as NSString).deletingLastPathComponent
    if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
    let exists = FileManager.default.fileExists(atPath: path)
    if !(appending && exists) {
        guard FileManager.default.createFile(atPath: path, contents: nil) else { throw InputError(message: "\(path): cannot write the log") }
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { throw InputError(message: "\(path): cannot write the log") }
    if appending { handle.seekToEndOfFile() }
    return handle
}
