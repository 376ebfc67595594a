import ArgumentParser
import Foundation
import Synchronization
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// Set by the SIGINT handler; polled after every training step.
let stopRequested = Atomic<Bool>(false)

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Fine-tune a pretrained encoder on labelled text and save the classifier.",
        discussion: "EXAMPLES:\n  text-transfer train --train Examples/sst2/train.tsv --dev Examples/sst2/dev.tsv --output Models/sst2 --epochs 1\n  text-transfer train --train data.csv --output Models/topics --strategy feature-extraction --feature-solver lbfgs\n  text-transfer train --train train.tsv --dev dev.tsv --output Models/m --encoder bilstm --embeddings glove.safetensors\n  text-transfer train --task sentiment=sst2.tsv --task-dev sentiment=sst2_dev.tsv --task question=trec.tsv --output Models/both")

    @OptionGroup(title: "Data") var data: TrainDataOptions
    @OptionGroup(title: "Multi-task learning") var taskOptions: TrainTaskOptions
    @OptionGroup(title: "Model and encoder") var modelOptions: TrainModelOptions
    @OptionGroup(title: "Strategy, head and regularizers") var strategyOptions: TrainStrategyOptions
    @OptionGroup(title: "Optimization") var optimization: TrainOptimizationOptions
    @OptionGroup(title: "Evaluation") var evaluation: TrainEvaluationOptions
    @OptionGroup(title: "Output") var outputOptions: TrainOutputOptions
    @OptionGroup(title: "Transfer kernel (--strategy transfer-kernel)") var kernelOptions: TrainTransferKernelOptions

    func validate() throws {
        if strategyOptions.isTransferKernel {
            guard kernelOptions.source != nil else { throw ValidationError("--strategy transfer-kernel needs --source FILE: the labelled source-domain data") }
            guard data.dev != nil else { throw ValidationError("--strategy transfer-kernel needs --dev FILE: labelled target examples to score") }
            guard data.train != nil || kernelOptions.targetUnlabeled != nil else {
                throw ValidationError("--strategy transfer-kernel needs the target's texts: --train FILE or --target-unlabeled FILE")
            }
            guard !taskOptions.isMultiTask else { throw ValidationError("--strategy transfer-kernel trains one task: give --train, not --task") }
            return
        }
        if kernelOptions.isUsed {
            throw ValidationError("--source, --target-unlabeled, --target-labeled, --landmarks, --mus, --components, --coral and --feature-cache set the transfer kernel; add --strategy transfer-kernel")
        }
        guard (data.train != nil) != taskOptions.isMultiTask else {
            throw ValidationError(data.train == nil ? "give the training data: --train FILE, or --task NAME=FILE per task"
                                                    : "--train is for one task: give each task of a multi-task run with --task")
        }
        if taskOptions.isMultiTask, data.dev != nil || data.labels != nil || strategyOptions.head != "softmax" {
            throw ValidationError("--dev, --labels and --head are for one task: use --task-dev, --task-labels and --task NAME=PATH:HEAD")
        }
        if taskOptions.isMultiTask, data.writeTrain != nil || data.writeDev != nil {
            throw ValidationError("--write-train and --write-dev save one task's examples, not a multi-task run's")
        }
    }

    func run() throws {
        if let threads = optimization.threads { ComputeThreads.set(threads) }
        if strategyOptions.isTransferKernel { return runTransferKernel() }
        var c = FineTuningConfiguration()
        data.apply(to: &c)
        modelOptions.apply(to: &c)
        strategyOptions.apply(to: &c)
        optimization.apply(to: &c)
        evaluation.apply(to: &c)
        taskOptions.apply(to: &c)
        let (model, embeddings) = (modelOptions.model, modelOptions.embeddings)
        let (output, logJson, resultJson, plot, resume) = (outputOptions.output, outputOptions.logJson, outputOptions.resultJson,
                                                           outputOptions.plot, outputOptions.resume)
        reportingErrors {
            let specifications = try taskOptions.isMultiTask ? taskOptions.specifications()
                : [TaskSpecification(name: "", train: data.train!, dev: data.dev, head: c.head, labels: c.labels)]
            // Every output is checked (and --output locked) before any work, so that a refusal never
            // comes after an hour of training.
            let inputs = specifications.flatMap { [$0.train, $0.dev].compactMap { $0 } } + [model, embeddings, taskOptions.tasksFile].compactMap { $0 }
            let destination = try OutputDirectory.reserve(output, marker: ClassifierDescription.fileName, overwrite: outputOptions.overwrite, inputs: inputs)
            let checkpoint = try OutputDirectory.reserve(destination.path + ".checkpoint", marker: CheckpointFiles.stateFile, inputs: inputs, locking: false)
            for path in [logJson, resultJson].compactMap({ $0 }) {
                if let input = inputs.first(where: { isSameFile($0, path) }) {
                    throw InputError(message: "\(path): is \(input), an input of this run: refusing to overwrite it")
                }
            }
            var isFolder: ObjCBool = false
            if let plot, FileManager.default.fileExists(atPath: plot, isDirectory: &isFolder), !isFolder.boolValue {
                throw InputError(message: "\(plot): --plot names a folder to write the pictures into, and this is a file")
            }
            let progress = ProgressLine()
            let log: (String) -> Void = { line in
                progress.endLine()
                writeStandardError(line)
            }
            let tasks = try specifications.map { try readTask($0, seed: c.seed, log: log) }
            let examples = tasks.map { "\($0.train.count)" }.joined(separator: " + "), devExamples = tasks.map { "\($0.dev.count)" }.joined(separator: " + ")
            log("training on \(examples) examples, evaluating on \(devExamples); strategy \(c.strategy), \(c.epochs) epochs")
            let tuner = try FineTuner(configuration: c)
            let events = try logJson.map { try openLog($0, appending: resume) }
            // Ctrl-C asks the run to stop after the current step, save a checkpoint and exit cleanly.
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            let checkpoints = CheckpointOptions(directory: checkpoint.path, every: outputOptions.checkpointEvery, resume: resume,
                                                shouldStop: { stopRequested.load(ordering: .relaxed) })
            var result: FineTuningResult
            var stepLosses: [(step: Int, loss: Double)] = []  // for --plot
            let record: (TrainingEvent) -> Void = { event in
                if case let .step(s) = event {
                    stepLosses.append((s.step, s.loss))
                    progress.update(s)
                }
                _ = try? events?.write(contentsOf: Data((event.json + "\n").utf8))
            }
            if taskOptions.isMultiTask {
                result = try tuner.train(tasks: tasks, log: log, events: record, checkpoints: checkpoints)
            } else {
                result = try ExampleSetFiles(train: tasks[0].trainSource, dev: tasks[0].devSource).naming {
                    try tuner.train(train: tasks[0].train, dev: tasks[0].dev, log: log, events: record, checkpoints: checkpoints)
                }
            }
            progress.endLine()
            try events?.close()
            try tuner.save(to: destination)
            if !outputOptions.noVerdict && !taskOptions.isMultiTask,
               let verdict = try TransferVerdict.measure(classifier: destination.path, configuration: tuner.configuration, train: tasks[0].train,
                                                         dev: tasks[0].dev, seconds: result.seconds, log: log) {
                let json = JSONEncoder()
                json.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeAtomically(try json.encode(verdict), to: destination.path + "/" + TransferVerdict.fileName, inputs: inputs)
                result.verdict = verdict
            }
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
            let kept = result.averagedEpochs.map { "mean of the last \($0) epochs' weights" }
                ?? String(format: c.keep == .best || c.keep == nil ? "best of %d evaluations" : "final weights after %d evaluations", result.history.count)
            let summary = String(format: "%@, %d steps, %.0f s of which %.0f s scoring dev", kept, result.steps, result.seconds,
                                 result.evaluationSeconds ?? 0)
            for task in result.tasks {
                let name = task.evaluation.task.map { "task \($0): " } ?? ""
                let e = task.evaluation
                let (table, metric) = e.report.map { ($0.table, String(format: "dev accuracy %.4f", $0.accuracy)) }
                    ?? e.regression.map { ($0.table, String(format: "dev Pearson %.4f", $0.pearson)) }
                    ?? e.multiLabel.map { ($0.table, String(format: "dev micro-F1 %.4f", $0.microF1)) } ?? ("", "")
                printOutput(name.isEmpty ? table : "task \(task.evaluation.task!)\n" + table, terminator: "")
                if result.tasks.count == 1 { printOutput("\(name)\(metric) (\(summary)); saved to \(destination.path)") } else { printOutput("\(name)\(metric)") }
            }
            if let verdict = result.verdict { printOutput(verdict.table, terminator: "") }
            if result.tasks.count > 1 {
                let score = result.tasks.map(\.evaluation.score).reduce(0, +) / Double(result.tasks.count)
                printOutput(String(format: "combined dev score %.4f (%@); saved to %@", score, summary, destination.path))
            }
        }
    }

    /// A task's training and dev examples, read from its files (dev held out of train when it has none,
    /// and --tune-fraction, --limit and --shots applied as for one task); errors name the files.
    private func readTask(_ specification: TaskSpecification, seed: UInt64, log: (String) -> Void) throws -> TrainingTask {
        let (textColumn, labelColumn, textPairColumn) = (data.textColumn, data.labelColumn, data.textPairColumn)
        var (train, dev) = try readExampleSets(train: specification.train, dev: specification.dev, devFraction: data.devFraction, seed: seed,
                                               textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
        if let tuneFraction = data.tuneFraction {
            (train, dev) = stratifiedSplit(train, fraction: tuneFraction, seed: seed &+ 1)
        }
        if let limit = data.limit {
            let labels = Set(train.map(\.label))
            train = Array(train.prefix(limit))
            let missing = labels.subtracting(train.map(\.label))
            if !missing.isEmpty && specification.head != .regression {
                let of = taskOptions.isMultiTask ? " of \(specification.train)" : ""
                log("warning: the first \(limit) training rows\(of) lack the label(s) \(missing.sorted().prefix(5).joined(separator: ", ")); is the file sorted by label?")
            }
        }
        if let shots = data.shots {
            guard specification.head != .regression else { throw ValidationError("--shots draws examples per class; a regression task has none") }
            let before = train.count
            train = fewShotSample(train, shots: shots, seed: seed &+ 2,
                                  tagSeparator: specification.head == .multiLabel ? data.labelSeparator : nil)
            log("few-shot: \(train.count) of \(before) training examples, \(shots) per class (seed \(seed))")
        }
        let inputs = [specification.train] + (specification.dev.map { [$0] } ?? [])
        if let path = data.writeTrain { try writeExamples(train, to: path, inputs: inputs) }
        if let path = data.writeDev { try writeExamples(dev, to: path, inputs: inputs) }
        var task = TrainingTask(name: specification.name.isEmpty ? nil : specification.name, head: specification.head,
                                labels: specification.labels, train: train, dev: dev)
        // The library names the example sets; the user knows them by their files.
        task.trainSource = specification.train
        task.devSource = specification.dev ?? "\(specification.train) (held-out part)"
        return task
    }
}

/// Examples as a TSV file with a header (label, text, and text_pair for pairs), written atomically:
/// what --write-train and --write-dev save for another tool to read.
func writeExamples(_ examples: [LabeledExample], to path: String, inputs: [String]) throws {
    let pairs = examples.contains { $0.textPair != nil }
    var text = pairs ? "label\ttext\ttext_pair\n" : "label\ttext\n"
    for e in examples {
        text += e.label + "\t" + e.text + (pairs ? "\t" + (e.textPair ?? "") : "") + "\n"
    }
    try writeAtomically(Data(text.utf8), to: path, inputs: inputs)
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
