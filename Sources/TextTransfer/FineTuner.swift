import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Fine-tunes a pretrained BERT-family encoder with a classification head on labelled text — or with a
/// head per task on several tasks at once — and saves the classifier.
///
///     var configuration = FineTuningConfiguration()
///     configuration.epochs = 1
///     let tuner = try FineTuner(configuration: configuration)
///     let result = try tuner.train(train: trainExamples, dev: devExamples)
///     try tuner.save(to: "Models/sst2-classifier")
///
/// Several tasks share one encoder:
///
///     let result = try tuner.train(tasks: [
///         TrainingTask(name: "sentiment", train: sst2Train, dev: sst2Dev),
///         TrainingTask(name: "question", train: trecTrain, dev: trecDev)])
///     // TextClassifier(directory: ..., task: "question") predicts one of them
public final class FineTuner {
    /// The settings the run uses (for several tasks, with their `tasks` filled in).
    public private(set) var configuration: FineTuningConfiguration
    public var strategy: TransferStrategy { configuration.strategy }
    private var trainer: Trainer
    private var result: FineTuningResult?

    /// WordPiece for the transformer and its embedding table; for word tokens, set when training builds
    /// the word vocabulary.
    public var tokenizer: any TextTokenizer { trainer.tokenizer }
    /// The (first) task's class names.
    public var labels: [String] { trainer.tasks.first?.labels ?? [] }
    /// The trained model: a BertClassifier for the transformer encoder, else `embeddingClassifier`.
    public var classifier: BertClassifier? { trainer.classifier }
    public var embeddingClassifier: RecurrentClassifier? { trainer.embeddingClassifier }
    /// Polled after every optimizer step; returning true ends training there — a time budget, as autotune
    /// sets — and the run scores dev and keeps its weights as if its epochs were done
    /// (`FineTuningResult.endedEarly` says so). Nothing is checkpointed; for an interruption to resume
    /// from, use `CheckpointOptions.shouldStop`.
    public var endsTraining: () -> Bool = { false }

    public init(configuration: FineTuningConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        let tokenizer: any TextTokenizer = configuration.usesWordTokens
            ? try WordTokenizer(words: [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator], options: .forWordVectors)
            : try BertTokenizer(directory: configuration.model)
        trainer = Trainer(configuration: configuration, tokenizer: tokenizer)
    }

    /// Trains on `train`, evaluating on `dev` after every epoch (and every `evaluateEvery` steps), and
    /// keeps the weights with the best dev score (accuracy; micro-F1 for multi-label, Pearson for
    /// regression). `log` receives progress lines, `events` every step and evaluation.
    public func train(train: [LabeledExample], dev: [LabeledExample], log: (String) -> Void = { _ in },
                      events: (TrainingEvent) -> Void = { _ in }, checkpoints: CheckpointOptions? = nil) throws -> FineTuningResult {
        try run([TrainingTask(name: nil, head: configuration.head, labels: configuration.labels, train: train, dev: dev)],
                log: log, events: events, checkpoints: checkpoints)
    }

    /// Trains on one task given whole: its examples and, for knowledge distillation, its teacher's logits
    /// (`TrainingTask.teacher`, with `configuration.distillation`). Its name must be nil: it is the one task.
    public func train(_ task: TrainingTask, log: (String) -> Void = { _ in }, events: (TrainingEvent) -> Void = { _ in },
                      checkpoints: CheckpointOptions? = nil) throws -> FineTuningResult {
        precondition(task.name == nil, "a named task is one of several: train(tasks:)")
        if task.teacher != nil && configuration.distillation == nil {
            throw ConfigurationError(key: "distillation", message: "the task has a teacher's logits but the configuration no distillation settings")
        }
        return try run([task], log: log, events: events, checkpoints: checkpoints)
    }

    /// Multi-task learning: the tasks share the encoder, each with its own head and labels; every epoch
    /// interleaves their batches (shares set by `taskTemperature`), each task is scored on its own dev
    /// examples, and the mean of their scores picks the weights kept. `configuration.tasks` is set from
    /// the tasks (their names, heads and labels).
    public func train(tasks: [TrainingTask], log: (String) -> Void = { _ in },
                      events: (TrainingEvent) -> Void = { _ in }, checkpoints: CheckpointOptions? = nil) throws -> FineTuningResult {
        guard tasks.allSatisfy({ $0.name != nil }) else { throw ConfigurationError(key: "tasks", message: "every task of a multi-task run needs a name") }
        var c = configuration
        c.tasks = tasks.map(\.settings)
        try c.validate()
        (configuration, trainer) = (c, Trainer(configuration: c, tokenizer: trainer.tokenizer))
        return try run(tasks, log: log, events: events, checkpoints: checkpoints)
    }

    private func run(_ tasks: [TrainingTask], log: (String) -> Void, events: (TrainingEvent) -> Void,
                     checkpoints: CheckpointOptions?) throws -> FineTuningResult {
        if configuration.encoder == .transformer,
           FileManager.default.fileExists(atPath: (configuration.model as NSString).appendingPathComponent(ClassifierDescription.fileName)) {
            log("starting from the fine-tuned encoder of \(configuration.model); its head is replaced by a new one for these labels")
        }
        trainer.endsTraining = endsTraining
        let outcome = try trainer.train(tasks, log: log, events: events, checkpoints: checkpoints)
        result = outcome
        return outcome
    }

    /// Takes another run's evaluation as the one `save` writes: autotune's refit on all the data has
    /// nothing held out, so it carries the held-out score of the run that chose its epoch.
    func adoptEvaluation(of other: FineTuningResult) {
        precondition(other.labels == labels, "an evaluation of other labels")
        result = other
    }

    /// `body` with the trained classifier as `TextClassifier` reads it back, through a scratch copy that is
    /// removed afterwards (scoring other examples than the run's dev, as the verdict and autotune do).
    public func withSavedClassifier<T>(_ body: (TextClassifier) throws -> T) throws -> T {
        let scratch = NSTemporaryDirectory() + "classifier-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try save(to: scratch)
        return try body(TextClassifier(directory: scratch))
    }

    /// Writes the trained classifier (best dev weights) as a model directory: the encoder's config.json and
    /// tokenizer files, model.safetensors with every weight, and text_transfer.json (labels, head,
    /// tokenizer fingerprint, training settings and dev metrics; for several tasks, each task's). Built
    /// beside `directory` and swapped in, so a failure never leaves half a model; refuses to replace
    /// anything but a saved classifier (or an empty directory) unless `overwrite`, and never the
    /// pretrained model it was trained from.
    public func save(to directory: String, overwrite: Bool = false) throws {
        try save(to: OutputDirectory.reserve(directory, marker: ClassifierDescription.fileName, overwrite: overwrite,
                                             inputs: [configuration.model]))
    }

    /// Writes the trained classifier into an output reserved before training (see `save(to:overwrite:)`).
    public func save(to output: OutputDirectory) throws {
        guard let store = trainer.classifier?.store ?? trainer.embeddingClassifier?.store, let result else {
            preconditionFailure("train before saving")
        }
        let head = trainer.decoders[0]
        let first = result.tasks[0].evaluation
        var description = ClassifierDescription(labels: labels, head: head.kind, pooling: trainer.classifier?.pooling ?? .mean, maxLength: configuration.maxLength,
                                                tokenizerFingerprint: tokenizer.fingerprint,
                                                baseModel: configuration.usesWordTokens ? configuration.embeddings ?? "random word embeddings" : configuration.model,
                                                training: configuration, metrics: first.report, multiLabelMetrics: first.multiLabel,
                                                regressionMetrics: first.regression)
        description.normalize = head.normalize  // what the head did, whether chosen or defaulted
        if let words = tokenizer as? WordTokenizer { description.wordSegmentation = words.segmenter.options }
        if configuration.tasks != nil {
            description.tasks = zip(result.tasks, trainer.decoders).map { task, head in
                ClassifierDescription.Task(name: task.evaluation.task ?? "", labels: task.labels, head: head.kind, evaluation: task.evaluation,
                                           labelSeparator: configuration.labelSeparator)
            }
        }
        try output.write { staging in
            try ClassifierDirectory.write(to: staging, description: description, weights: store, tokenizer: tokenizer,
                                          tokenizerFilesFrom: configuration.model)
        }
    }
}
