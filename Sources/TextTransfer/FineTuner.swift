import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Fine-tunes a pretrained BERT-family encoder with a classification head on labelled text.
///
///     var configuration = FineTuningConfiguration()
///     configuration.epochs = 1
///     let tuner = try FineTuner(configuration: configuration)
///     let result = try tuner.train(train: trainExamples, dev: devExamples)
///     try tuner.save(to: "Models/sst2-classifier")
public final class FineTuner {
    public let configuration: FineTuningConfiguration
    public let strategy: TransferStrategy
    /// WordPiece for the transformer and its embedding table; for word tokens, set when training builds the
    /// word vocabulary.
    public internal(set) var tokenizer: any TextTokenizer
    public private(set) var labels: [String] = []
    /// The trained model: a BertClassifier for the transformer encoder, else `embeddingClassifier`.
    public private(set) var classifier: BertClassifier?
    public private(set) var embeddingClassifier: RecurrentClassifier?
    private var trained: FineTunable?
    /// Decodes logits into classes and probabilities.
    private var decoder: ClassificationHead?
    private var result: FineTuningResult?

    public init(configuration: FineTuningConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        strategy = configuration.strategy
        tokenizer = configuration.usesWordTokens
            ? try WordTokenizer(words: [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator], options: .forWordVectors)
            : try BertTokenizer(directory: configuration.model)
    }

    /// Trains on `train`, evaluating on `dev` after every epoch (and every `evaluateEvery` steps), and
    /// keeps the weights with the best dev score (accuracy; micro-F1 for multi-label, Pearson for
    /// regression). `log` receives progress lines.
    public func train(train: [LabeledExample], dev: [LabeledExample], log: (String) -> Void = { _ in },
                      events: (TrainingEvent) -> Void = { _ in }, checkpoints: CheckpointOptions? = nil) throws -> FineTuningResult {
        let c = configuration
        labels = try resolveLabels(train: train, dev: dev, log: log)
        let started = Date()
        let model = try makeModel(train: train, dev: dev, log: log)
        trained = model
        try applyRegularizers(model)
        let targets = try trainingTargets(train)
        let devSet = try devSet(dev)
        let classWeights = try classWeights(targets.classes)
        if let bert = classifier { bert.head.initializeThresholds(bert.store, labels: targets.classes) }

        let run = RunRecord()
        func evaluate(epoch: Int, trainLoss: Double) -> Bool {
            let scored = score(devSet, epoch: epoch, step: run.step, trainLoss: trainLoss, log: log)
            events(.evaluation(scored.point))
            return run.record(scored, store: model.store, patience: c.patience)
        }
        if strategy == .featureExtraction, let bert = classifier {
            try trainHeadOnFeatures(bert, targets.encodings, targets.classes, targets: targets.rows, classWeights: classWeights, log: log,
                                    onStep: { run.step += 1 }, evaluate: evaluate)
        } else {
            try trainEpochs(model, targets, classWeights: classWeights, run: run, checkpoints: checkpoints, started: started,
                            log: log, events: events, evaluate: evaluate)
        }
        guard let best = run.best else { throw DataError(file: "dev", message: "no evaluation ran") }
        let kept: (report: ClassificationReport?, multiLabel: MultiLabelReport?, regression: RegressionReport?)
        if c.keep == .last {  // the final weights as they are; report them, selecting nothing
            let last = score(devSet, epoch: run.history.last?.epoch ?? c.epochs, step: run.step, trainLoss: run.meanLoss, log: { _ in })
            kept = (last.report, last.multiLabel, last.regression)
        } else {
            best.values.withUnsafeBufferPointer { model.store.values.pointer.update(from: $0.baseAddress!, count: $0.count) }
            kept = (best.report, best.multiLabel, best.regression)
        }
        let outcome = FineTuningResult(labels: labels, best: kept.report, bestMultiLabel: kept.multiLabel, bestRegression: kept.regression,
                                       history: run.history, steps: run.step, seconds: Date().timeIntervalSince(started))
        result = outcome
        return outcome
    }

    /// The encoder with its head: the pretrained Transformer, or an embedding encoder (bilstm, gru, bag).
    private func makeModel(train: [LabeledExample], dev: [LabeledExample], log: (String) -> Void) throws -> FineTunable {
        let c = configuration
        switch c.encoder {
        case .transformer:
            if FileManager.default.fileExists(atPath: (c.model as NSString).appendingPathComponent(ClassifierDescription.fileName)) {
                log("starting from the fine-tuned encoder of \(c.model); its head is replaced by a new one for these labels")
            }
            let normalize = try c.normalize ?? (strategy == .featureExtraction && c.pooling != .pooler
                && SentenceTransformersFiles(directory: c.model).normalize)
            let bert = try BertClassifier(directory: c.model, classes: labels.count, pooling: c.pooling, kind: c.head,
                                          normalize: normalize, seed: c.seed)
            try checkModelLimits(vocabularySize: bert.bert.encoder.architecture.vocabularySize,
                                 maxPositions: bert.bert.encoder.architecture.maxPositions)
            bert.hiddenDropout = c.dropout
            bert.attentionDropout = c.dropout
            bert.maxGradientNorm = c.maxGradientNorm
            (classifier, decoder) = (bert, bert.head)
            return bert
        case .bilstm, .gru, .bag:
            guard c.head == .softmax, strategy == .fineTune else {
                throw DataError(file: "--encoder", message: "the \(c.encoder) encoder trains a softmax head with the fine-tune strategy")
            }
            let embedding = try makeEmbeddingClassifier(train: train, dev: dev, classes: labels.count, log: log)
            embeddingClassifier = embedding
            decoder = ClassificationHead(kind: .softmax, pooling: .mean, classes: labels.count, width: embedding.featureWidth)
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
    func encode(_ example: LabeledExample) -> Encoding {
        if let pair = example.textPair { return tokenizer.encode(example.text, pair: pair, maxLength: configuration.maxLength) }
        return tokenizer.encode(example.text, maxLength: configuration.maxLength)
    }

    /// Dev metrics of the current weights. Dev examples whose label never occurs in training (warned about
    /// when training starts) are left out: the head cannot name them.
    func evaluate(encodings: [Encoding], gold: [Int]) -> ClassificationReport {
        guard let model = trained, let head = decoder else { preconditionFailure("train first") }
        let scored = mapLengthSortedBatches(encodings, batchSize: 64) { members in
            model.logits(TokenBatch(encodings: members.map { encodings[$0] })).map { z in
                let k = head.predictedClass(z[...])
                return (predicted: k, confidence: Double(head.probabilities(z[...])[k]))
            }
        }
        let (predicted, confidence) = (scored.map(\.predicted), scored.map(\.confidence))
        let known = gold.indices.filter { gold[$0] >= 0 }
        return ClassificationReport(gold: known.map { gold[$0] }, predicted: known.map { predicted[$0] }, labels: labels,
                                    confidences: known.map { confidence[$0] })
    }

    /// The head's class probabilities for each encoding, in input order.
    func probabilities(encodings: [Encoding]) -> [[Float]] {
        guard let model = trained, let head = decoder else { preconditionFailure("train first") }
        return mapLengthSortedBatches(encodings, batchSize: 64) { members in
            model.logits(TokenBatch(encodings: members.map { encodings[$0] })).map { head.probabilities($0[...]) }
        }
    }

    /// Writes the trained classifier (best dev weights) as a model directory: the encoder's config.json and
    /// tokenizer files, model.safetensors with every weight, and text_transfer.json (labels, head,
    /// tokenizer fingerprint, training settings and dev metrics). Built beside `directory` and swapped in,
    /// so a failure never leaves half a model; refuses to replace anything but a saved classifier (or an
    /// empty directory) unless `overwrite`, and never the pretrained model it was trained from.
    public func save(to directory: String, overwrite: Bool = false) throws {
        try save(to: OutputDirectory.reserve(directory, marker: ClassifierDescription.fileName, overwrite: overwrite,
                                             inputs: [configuration.model]))
    }

    /// Writes the trained classifier into an output reserved before training (see `save(to:overwrite:)`).
    public func save(to output: OutputDirectory) throws {
        guard let model = trained, let head = decoder, let result else { preconditionFailure("train before saving") }
        var description = ClassifierDescription(labels: labels, head: head.kind, pooling: head.pooling, maxLength: configuration.maxLength,
                                                tokenizerFingerprint: tokenizer.fingerprint,
                                                baseModel: configuration.usesWordTokens ? configuration.embeddings ?? "random word embeddings" : configuration.model,
                                                training: configuration, metrics: result.best, multiLabelMetrics: result.bestMultiLabel,
                                                regressionMetrics: result.bestRegression)
        description.normalize = head.normalize  // what the head did, whether chosen or defaulted
        if let words = tokenizer as? WordTokenizer { description.wordSegmentation = words.segmenter.options }
        try output.write { staging in
            try ClassifierDirectory.write(to: staging, description: description, weights: model.store, tokenizer: tokenizer,
                                          tokenizerFilesFrom: configuration.model)
        }
    }
}
