import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTokenization

/// Trains a model on one or several tasks: builds the encoder with a head per task, applies the
/// strategy's rates, freezing and regularizers, runs the epochs (or fits the head on cached features),
/// evaluates on dev, and ends with the best (or last) weights. FineTuner is its facade for apps.
package final class Trainer {
    package let configuration: FineTuningConfiguration
    package var strategy: TransferStrategy { configuration.strategy }
    /// WordPiece for the transformer and its embedding table; for word tokens, replaced when training
    /// builds the word vocabulary.
    package internal(set) var tokenizer: any TextTokenizer
    package private(set) var tasks: [PreparedTask] = []
    /// The trained model: a BertClassifier for the transformer encoder, else `embeddingClassifier`.
    package private(set) var classifier: BertClassifier?
    package private(set) var embeddingClassifier: RecurrentClassifier?
    private(set) var model: FineTunable?
    /// Per task, the head that decodes its logits into classes and probabilities.
    package private(set) var decoders: [ClassificationHead] = []
    /// Polled after every optimizer step; true ends training there (a time budget): dev is scored and the
    /// run ends as if its epochs were done. Unlike an interruption, nothing is checkpointed.
    package var endsTraining: () -> Bool = { false }
    /// Whether `endsTraining` ended the last run before its epochs were done.
    package internal(set) var endedEarly = false

    package init(configuration: FineTuningConfiguration, tokenizer: any TextTokenizer) {
        self.configuration = configuration
        self.tokenizer = tokenizer
    }

    /// Trains on the tasks' training examples, evaluating each task on its dev examples after every epoch
    /// (and every `evaluateEvery` steps), and keeps the weights with the best score (accuracy; micro-F1
    /// for multi-label, Pearson for regression; for several tasks their mean).
    package func train(_ given: [TrainingTask], log: (String) -> Void, events: (TrainingEvent) -> Void,
                       checkpoints: CheckpointOptions?) throws -> FineTuningResult {
        let c = configuration
        precondition(!given.isEmpty, "training needs a task")
        let started = Date()
        endedEarly = false
        let labels = try given.map { try PreparedTask.labels(of: $0, separator: c.labelSeparator, log: log) }
        // Builds the word vocabulary too, for word tokens: the model comes before anything is encoded.
        let model = try makeModel(given, classes: labels.map(\.count), log: log)
        tasks = try zip(given, labels).map { try PreparedTask($0, labels: $1, configuration: c, encode: encode) }
        guard tasks.map(\.labels.count) == decoders.map(\.classes) else { preconditionFailure("heads built for other labels") }
        self.model = model
        try applyRegularizers(model)
        if let bert = classifier {
            for (head, task) in zip(bert.heads, tasks) { head.initializeThresholds(bert.store, labels: task.targets.classes) }
        }

        let run = RunRecord()
        var evaluationSeconds = 0.0
        func evaluate(epoch: Int, trainLoss: Double) -> Bool {
            let scoring = Date()
            defer { evaluationSeconds += Date().timeIntervalSince(scoring) }
            let scored = score(epoch: epoch, step: run.step, trainLoss: trainLoss, log: log)
            events(.evaluation(scored.point))
            return run.record(scored, store: model.store, patience: c.patience)
        }
        if strategy == .featureExtraction, let bert = classifier {
            try trainHeadOnFeatures(bert, tasks[0], log: log, onStep: { run.step += 1 }, evaluate: evaluate)
        } else if strategy == .setfit, let bert = classifier {
            // The body on pairs, then the head by logistic regression on its embeddings (scored as epoch 0
            // when end-to-end fine-tuning follows).
            try trainSetFitBody(bert, tasks[0], started: started, log: log, events: events, onStep: { run.step += 1 })
            let endToEnd = (c.setfit?.endToEnd ?? false) && !endedEarly
            try trainHeadOnFeatures(bert, tasks[0], solver: .lbfgs, epoch: endToEnd ? 0 : 1, log: log, onStep: {}, evaluate: evaluate)
            if endToEnd {
                try trainEpochs(model, run: run, checkpoints: checkpoints, started: started, log: log, events: events, evaluate: evaluate)
            }
        } else {
            try trainEpochs(model, run: run, checkpoints: checkpoints, started: started, log: log, events: events, evaluate: evaluate)
        }
        guard let best = run.best else { throw DataError(file: "dev", message: "no evaluation ran") }
        let kept: [TaskEvaluation]
        if c.keep == .average {
            // A run stopped before the first averaged epoch ended keeps its last weights.
            if run.applyAverage(to: model.store) {
                // Counted, not given as a range: a run the clock cut mid-epoch has a partial last epoch that is not in it.
                log("the weights are the mean of those at the ends of the last \(run.averagedEpochs) whole epochs")
            } else {
                log("no averaged epoch ended: the weights are the last")
            }
        }
        if c.keep == .last || c.keep == .average {  // report the weights as they are, selecting nothing
            let scoring = Date()
            kept = score(epoch: run.history.last?.epoch ?? c.epochs, step: run.step, trainLoss: run.meanLoss, log: { _ in }).tasks
            evaluationSeconds += Date().timeIntervalSince(scoring)
        } else {
            best.values.withUnsafeBufferPointer { model.store.values.pointer.update(from: $0.baseAddress!, count: $0.count) }
            kept = best.tasks
        }
        var result = FineTuningResult(tasks: zip(tasks, kept).map { TaskResult(labels: $0.labels, evaluation: $1) },
                                      history: run.history, steps: run.step, seconds: Date().timeIntervalSince(started))
        result.evaluationSeconds = evaluationSeconds
        result.endedEarly = endedEarly ? true : nil
        result.averagedEpochs = run.averageSum == nil ? nil : run.averagedEpochs
        return result
    }

    /// The encoder with a head per task: the pretrained Transformer, or an embedding encoder (bilstm, gru,
    /// bag) with its one softmax head.
    private func makeModel(_ given: [TrainingTask], classes classCounts: [Int], log: (String) -> Void) throws -> FineTunable {
        let c = configuration
        switch c.encoder {
        case .transformer:
            let normalize = try c.normalize ?? ((strategy == .featureExtraction || strategy == .setfit) && c.pooling != .pooler
                && SentenceTransformersFiles(directory: c.model).normalize)
            let bert = try BertClassifier(directory: c.model,
                                          heads: zip(given, classCounts).map { ($0.head, $1, ClassificationHead.prefix(task: $0.name)) },
                                          pooling: c.pooling, normalize: normalize, seed: c.seed)
            try checkModelLimits(vocabularySize: bert.bert.encoder.architecture.vocabularySize,
                                 maxPositions: bert.bert.encoder.architecture.maxPositions)
            bert.hiddenDropout = c.dropout
            bert.attentionDropout = c.dropout
            bert.maxGradientNorm = c.maxGradientNorm
            (classifier, decoders) = (bert, bert.heads)
            return bert
        case .bilstm, .gru, .bag:
            guard given.count == 1, given[0].head == .softmax, strategy == .fineTune else {
                throw ConfigurationError(key: "encoder", message: "the \(c.encoder) encoder trains a softmax head with the fine-tune strategy")
            }
            // A distilled student's vocabulary takes in the unlabelled transfer set's words too.
            let embedding = try makeEmbeddingClassifier(train: given[0].train + (given[0].teacher?.unlabeled ?? []), dev: given[0].dev,
                                                        classes: classCounts[0], log: log)
            embeddingClassifier = embedding
            decoders = [ClassificationHead(kind: .softmax, classes: classCounts[0], width: embedding.featureWidth)]
            return embedding
        }
    }

    /// The tokenizer's ids and the longest text must fit the model's tables: the training passes index
    /// them without bounds checks, so a vocab.txt longer than config.json's vocab_size or a max length
    /// beyond max_position_embeddings would read and write out of bounds.
    func checkModelLimits(vocabularySize: Int, maxPositions: Int?) throws {
        if let maxPositions, configuration.maxLength > maxPositions {
            throw ConfigurationError(key: "max_length", message: "\(configuration.maxLength) exceeds the model's \(maxPositions) positions (max_position_embeddings of \(configuration.model)/config.json)")
        }
        if let words = (tokenizer as? BertTokenizer)?.vocabulary.count, words > vocabularySize {
            throw ModelFileError(file: (configuration.model as NSString).appendingPathComponent("config.json"), key: "vocab_size",
                                 message: "the tokenizer has \(words) tokens but the embedding table has \(vocabularySize) rows")
        }
    }

    /// The tokens of an example: its text, or its pair of texts.
    package func encode(_ example: LabeledExample) -> Encoding {
        if let pair = example.textPair { return tokenizer.encode(example.text, pair: pair, maxLength: configuration.maxLength) }
        return tokenizer.encode(example.text, maxLength: configuration.maxLength)
    }
}
