import ArgumentParser
import Foundation
import Synchronization
import TextTransfer

/// Set by the SIGINT handler; polled after every training step.
let stopRequested = Atomic<Bool>(false)

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Fine-tune a pretrained encoder on labelled text and save the classifier.")

    @Option(help: "Training data: .tsv, .csv (with a header row) or .jsonl.") var train: String
    @Option(help: "Dev data; without it, a stratified --dev-fraction of the training data is held out.") var dev: String?
    @Option(help: "Directory to write the classifier to.") var output: String
    @Option(help: "Pretrained Hugging Face model directory, or a classifier saved by train (its fine-tuned encoder, with a new head).") var model: String = "Models/all-MiniLM-L6-v2"
    @Option(help: "feature-extraction, fine-tune, top-k:N or gradual-unfreeze.") var strategy: String = "fine-tune"
    @Option(help: "transformer, or bilstm, gru or bag over the model's WordPiece embeddings (or over word vectors with --embeddings).") var encoder: String = "transformer"
    @Option(help: "Word-vector file (GloVe, word2vec, fastText .vec/.bin, converted .safetensors) for bilstm, gru, bag: ICU word tokens start from these vectors.")
    var embeddings: String?
    @Flag(help: "ICU word tokens with random embeddings for bilstm, gru, bag (no vector file; e.g. Thai).") var wordTokens = false
    @Option(help: "Embedding width with --word-tokens.") var embeddingWidth: Int = 300
    @Option(help: "Training words seen fewer times share the unknown vector (word tokens).") var minWordCount: Int = 1
    @Option(help: "Train the embeddings only after N epochs (frozen before).") var unfreezeEmbeddingsAfter: Int?
    @Option(help: "With --embeddings: also give rows to the file's first N words, so words unseen in training keep their vectors.")
    var vectorWords: Int?
    @Option(help: "Hidden units per direction (bilstm, gru).") var hidden: Int = 256
    @Flag(help: "Random embeddings instead of the model's (the from-scratch baseline).") var fromScratch = false
    @Flag(help: "Keep the embedding table fixed (bilstm, gru, bag).") var freezeEmbeddings = false
    @Option(help: "softmax, ordinal (ordered labels; needs --labels in order), multi-label, or regression (numeric labels).") var head: String = "softmax"
    @Option(help: "Separates the tags of a multi-label row.") var labelSeparator: String = "|"
    @Option(help: "Comma-separated class names in order (required for --head ordinal).") var labels: String?
    @Option(help: "mean, cls or pooler.") var pooling: String = "mean"
    @Option(help: "true or false: L2-normalize the pooled vector (default: the model's own setting for feature-extraction, else false).") var normalize: Bool?
    @Option(help: "Epochs.") var epochs: Int = 3
    @Option(help: "Epochs of the head on cached features (feature-extraction).") var featureEpochs: Int = 20
    @Option(help: "Feature extraction's head fit: adamw (epochs) or lbfgs (logistic regression to convergence, as scikit-learn).")
    var featureSolver: String = "adamw"
    @Option(help: "Examples per step.") var batchSize: Int = 32
    @Option(help: "Tokens per text, [CLS] and [SEP] included.") var maxLength: Int = 128
    @Option(help: "Encoder learning rate.") var lr: Float = 5e-5
    @Option(help: "Head learning rate.") var headLr: Float = 1e-3
    @Option(help: "Warm-up as a fraction of all steps.") var warmup: Float = 0.06
    @Option(help: "AdamW weight decay (not on biases and norms).") var weightDecay: Float = 0.01
    @Option(help: "Dropout.") var dropout: Float = 0.1
    @Option(help: "Layer-wise learning-rate decay factor (1: none).") var layerDecay: Float = 1
    @Option(name: .customLong("l2-sp"), help: "L2-SP strength α: penalize α/2·‖θ − θ₀‖², the distance from the pretrained weights, instead of decaying them toward zero.")
    var l2SP: Float?
    @Option(help: "Label smoothing ε of the softmax loss.") var labelSmoothing: Float?
    @Option(help: "Seed for initialization, dropout and shuffling.") var seed: UInt64 = 42
    @Option(help: "Evaluate on dev every N steps too.") var evaluateEvery: Int?
    @Option(help: "Stop after N evaluations without a better dev accuracy.") var patience: Int?
    @Option(help: "best: end with the weights of the best dev evaluation; last: with the final weights (dev only reports).")
    var keep: String = "best"
    @Option(help: "Held-out fraction when there is no --dev.") var devFraction: Double = 0.1
    @Option(help: "Choose settings without looking at dev: hold out this stratified fraction of the training data and evaluate on it instead of dev.")
    var tuneFraction: Double?
    @Option(help: "Name of the text column.") var textColumn: String = "text"
    @Option(help: "Name of the label column.") var labelColumn: String = "label"
    @Option(help: "Name of a second text column: each example is a pair of texts.") var textPairColumn: String?
    @Option(help: "Use only the first N training examples.") var limit: Int?
    @Option(help: "Write one JSON object per step and per evaluation here (JSON Lines).") var logJson: String?
    @Option(help: "Write the final result (dev metrics, history) as JSON here.") var resultJson: String?
    @Option(help: "balanced: weigh classes by N / (K · count) in the loss.") var classWeights: String?
    @Option(help: "Write learning_curve.svg and confusion.svg to this directory.") var plot: String?
    @Option(help: "Save a checkpoint every N steps (always at each epoch's end and on Ctrl-C) in OUTPUT.checkpoint.") var checkpointEvery: Int?
    @Flag(help: "Continue from OUTPUT.checkpoint when there is one.") var resume = false
    @Flag(help: "Keep OUTPUT.checkpoint after a successful run (it is removed otherwise).") var keepCheckpoint = false
    @Flag(help: "Replace whatever is at --output, even if it is not a classifier saved by train (a file, another directory, an input of this run).")
    var overwrite = false
    @Option(help: "Compute threads.") var threads: Int?

    func run() throws {
        if let threads {
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            ComputeThreads.set(threads)
        }
        guard devFraction.isFinite, devFraction > 0, devFraction < 1 else { throw ValidationError("--dev-fraction must be between 0 and 1, not \(devFraction)") }
        if let tuneFraction, !(tuneFraction.isFinite && tuneFraction > 0 && tuneFraction < 1) {
            throw ValidationError("--tune-fraction must be between 0 and 1, not \(tuneFraction)")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1, not \(limit)") }
        if let checkpointEvery, checkpointEvery < 1 { throw ValidationError("--checkpoint-every must be at least 1, not \(checkpointEvery)") }
        guard let headKind = ClassificationHead.Kind(rawValue: head) else {
            throw ValidationError("--head must be softmax, ordinal, multi-label or regression")
        }
        guard let pooling = ClassificationHead.Pooling(rawValue: pooling) else { throw ValidationError("--pooling must be mean, cls or pooler") }
        var c = FineTuningConfiguration()
        c.model = model
        c.encoder = encoder
        c.hiddenSize = hidden
        c.fromScratch = fromScratch
        c.freezeEmbeddings = freezeEmbeddings
        c.embeddings = embeddings
        if wordTokens { c.wordTokens = true }
        if wordTokens || embeddings != nil {
            guard ["bilstm", "gru", "bag"].contains(encoder) else { throw ValidationError("--embeddings and --word-tokens need --encoder bilstm, gru or bag") }
            guard embeddingWidth >= 1, minWordCount >= 1 else { throw ValidationError("--embedding-width and --min-word-count must be at least 1") }
            c.embeddingWidth = embeddingWidth
            c.minWordCount = minWordCount
        }
        c.unfreezeEmbeddingsAfter = unfreezeEmbeddingsAfter
        c.vectorWords = vectorWords
        c.strategy = strategy
        c.pooling = pooling
        c.normalize = normalize
        c.epochs = epochs
        c.featureExtractionEpochs = featureEpochs
        c.featureSolver = featureSolver == "adamw" ? nil : featureSolver
        c.batchSize = batchSize
        c.maxLength = maxLength
        c.encoderLearningRate = lr
        c.headLearningRate = headLr
        c.warmupFraction = warmup
        c.weightDecay = weightDecay
        c.dropout = dropout
        c.layerDecay = layerDecay
        c.l2SP = l2SP
        c.labelSmoothing = labelSmoothing
        c.seed = seed
        c.evaluateEvery = evaluateEvery
        c.patience = patience
        c.keep = keep == "best" ? nil : keep
        c.classWeights = classWeights
        c.head = headKind
        guard labelSeparator.count == 1 else { throw ValidationError("--label-separator must be one character") }
        c.labelSeparator = labelSeparator
        c.labels = labels.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }
        reportingErrors {
            // Every output is checked (and --output locked) before any work, so that a refusal never
            // comes after an hour of training.
            let inputs = [train, dev, model, embeddings].compactMap { $0 }
            let destination = try OutputDirectory.reserve(output, marker: ClassifierDescription.fileName, overwrite: overwrite, inputs: inputs)
            let checkpoint = try OutputDirectory.reserve(destination.path + ".checkpoint", marker: "state.json", inputs: inputs, locking: false)
            for path in [logJson, resultJson].compactMap({ $0 }) {
                if let input = inputs.first(where: { isSameFile($0, path) }) {
                    throw InputError(message: "\(path): is \(input), an input of this run: refusing to overwrite it")
                }
            }
            var trainExamples = try readLabeledExamples(path: train, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
            var devExamples: [LabeledExample]
            if let dev {
                devExamples = try readLabeledExamples(path: dev, textColumn: textColumn, labelColumn: labelColumn, textPairColumn: textPairColumn)
            } else {
                (trainExamples, devExamples) = stratifiedSplit(trainExamples, fraction: devFraction, seed: seed)
            }
            if let tuneFraction {
                (trainExamples, devExamples) = stratifiedSplit(trainExamples, fraction: tuneFraction, seed: seed &+ 1)
            }
            let log: (String) -> Void = { writeStandardError($0) }
            if let limit {
                let labels = Set(trainExamples.map(\.label))
                trainExamples = Array(trainExamples.prefix(limit))
                let missing = labels.subtracting(trainExamples.map(\.label))
                if !missing.isEmpty && c.head != .regression {
                    log("warning: the first \(limit) training rows lack the label(s) \(missing.sorted().prefix(5).joined(separator: ", ")); is the file sorted by label?")
                }
            }
            log("training on \(trainExamples.count) examples, evaluating on \(devExamples.count); strategy \(strategy), \(epochs) epochs")
            let tuner = try FineTuner(configuration: c)
            let events = try logJson.map { try openLog($0, appending: resume) }
            // Ctrl-C asks the run to stop after the current step, save a checkpoint and exit cleanly.
            signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
            let checkpoints = CheckpointOptions(directory: checkpoint.path, every: checkpointEvery, resume: resume,
                                                shouldStop: { stopRequested.load(ordering: .relaxed) })
            let result: FineTuningResult
            do {
                result = try tuner.train(train: trainExamples, dev: devExamples, log: log,
                                         events: { _ = try? events?.write(contentsOf: Data(($0.json + "\n").utf8)) }, checkpoints: checkpoints)
            } catch let error as DataError where error.file == "train" || error.file == "dev" {
                // The library names the example sets; the user knows them by their files.
                let file = error.file == "train" ? train : dev ?? "\(train) (held-out part)"
                throw DataError(file: file, line: error.line, message: error.message)
            }
            try events?.close()
            try tuner.save(to: destination)
            if keepCheckpoint {
                log("the checkpoint stays in \(checkpoint.path)")
            } else {
                checkpoint.remove()
            }
            if let plot {
                try FileManager.default.createDirectory(atPath: plot, withIntermediateDirectories: true)
                try writeOutput(Data(TrainingPlots.learningCurves(result.history).utf8), to: plot + "/learning_curve.svg")
                if let report = result.best {
                    try writeOutput(Data(TrainingPlots.confusionMatrix(report).utf8), to: plot + "/confusion.svg")
                }
            }
            if let resultJson {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                try writeOutput(try encoder.encode(result), to: resultJson, inputs: inputs)
            }
            let kept = keep == "last" ? "final weights after %d evaluations" : "best of %d evaluations"
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
