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
        self.configuration = configuration
        strategy = try TransferStrategy(configuration.strategy)
        tokenizer = configuration.usesWordTokens
            ? try WordTokenizer(words: [WordTokenizer.padding, WordTokenizer.unknown, WordTokenizer.separator], options: .forWordVectors)
            : try BertTokenizer(directory: configuration.model)
        guard configuration.epochs >= 1, configuration.batchSize >= 1, configuration.maxLength >= 2 else {
            throw DataError(file: "configuration", message: "epochs and batch size must be at least 1, max length at least 2")
        }
    }

    /// Trains on `train`, evaluating on `dev` after every epoch (and every `evaluateEvery` steps), and
    /// keeps the weights with the best dev accuracy. `log` receives progress lines.
    public func train(train: [LabeledExample], dev: [LabeledExample], log: (String) -> Void = { _ in },
                      events: (TrainingEvent) -> Void = { _ in }, checkpoints: CheckpointOptions? = nil) throws -> FineTuningResult {
        let c = configuration
        let multiLabel = c.head == .multiLabel
        let regression = c.head == .regression
        func value(_ e: LabeledExample, _ file: String) throws -> Float {
            guard let v = Float(e.label.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw DataError(file: file, line: e.line, message: "label '\(e.label)' is not a number (the regression head needs numeric targets)")
            }
            return v
        }
        func tags(_ e: LabeledExample) -> [String] {
            multiLabel ? e.label.split(separator: Character(c.labelSeparator)).map(String.init) : [e.label]
        }
        if regression {
            labels = ["value"]
        } else if let given = c.labels {
            labels = given
            if let stranger = train.first(where: { !tags($0).allSatisfy(given.contains) }) {
                throw DataError(file: "train", line: stranger.line, message: "label '\(stranger.label)' is not in --labels (\(given.joined(separator: ", ")))")
            }
        } else {
            guard c.head != .ordinal else { throw DataError(file: "--labels", message: "the ordinal head needs the labels in order") }
            labels = Array(Set(train.flatMap(tags))).sorted()
        }
        guard labels.count >= 2 || regression else { throw DataError(file: "train", message: "training needs at least two labels, found \(labels)") }
        for example in dev where !regression && !tags(example).allSatisfy(labels.contains) {
            log("warning: dev label '\(example.label)' (line \(example.line)) never occurs in training")
        }
        let started = Date()
        let model: FineTunable
        switch c.encoder {
        case "transformer":
            if FileManager.default.fileExists(atPath: (c.model as NSString).appendingPathComponent("text_transfer.json")) {
                log("starting from the fine-tuned encoder of \(c.model); its head is replaced by a new one for these labels")
            }
            let normalize = try c.normalize ?? (strategy == .featureExtraction && c.pooling != .pooler
                && SentenceTransformersFiles(directory: c.model).normalize)
            let bert = try BertClassifier(directory: c.model, classes: labels.count, pooling: c.pooling, kind: c.head,
                                          normalize: normalize, seed: c.seed)
            bert.hiddenDropout = c.dropout
            bert.attentionDropout = c.dropout
            bert.maxGradientNorm = c.maxGradientNorm
            (classifier, decoder, model) = (bert, bert.head, bert)
        case "bilstm", "gru", "bag":
            guard c.head == .softmax, strategy == .fineTune else {
                throw DataError(file: "--encoder", message: "the \(c.encoder) encoder trains a softmax head with the fine-tune strategy")
            }
            let embedding = try makeEmbeddingClassifier(train: train, dev: dev, classes: labels.count, log: log)
            embeddingClassifier = embedding
            decoder = ClassificationHead(kind: .softmax, pooling: .mean, classes: labels.count, width: embedding.featureWidth)
            model = embedding
        default:
            throw DataError(file: "--encoder", message: "unknown encoder '\(c.encoder)': use transformer, bilstm, gru or bag")
        }
        trained = model
        try applyRegularizers(model)
        let trainEncodings = train.map(encode)
        let trainLabels = multiLabel || regression ? train.map { _ in 0 } : train.map { labels.firstIndex(of: $0.label)! }
        if let bert = classifier { bert.head.initializeThresholds(bert.store, labels: trainLabels) }
        let multiHot = { (e: LabeledExample) -> [Float] in self.labels.map { tags(e).contains($0) ? 1 : 0 } }
        let trainTargets = multiLabel ? train.map(multiHot) : regression ? try train.map { [try value($0, "train")] } : []
        let devValues = regression ? try dev.map { Double(try value($0, "dev")) } : []
        let devTargets = regression ? [] : dev.map { e in labels.map { tags(e).contains($0) } }
        let devEncodings = dev.map(encode)
        let devGold = dev.map { labels.firstIndex(of: $0.label) ?? -1 }
        var classWeights: [Float]?
        switch c.classWeights {
        case nil: break
        case "balanced"?:
            let counts = (0..<labels.count).map { k in trainLabels.filter { $0 == k }.count }
            classWeights = counts.map { Float(trainLabels.count) / Float(labels.count * $0) }
        case let other?:
            throw DataError(file: "--class-weights", message: "unknown class weighting '\(other)': use balanced")
        }

        var history: [EvaluationPoint] = []
        var best: (score: Double, values: [Float], report: ClassificationReport?, multi: MultiLabelReport?, regression: RegressionReport?)?
        var sinceBest = 0
        var step = 0
        func evaluate(epoch: Int, trainLoss: Double) -> Bool {
            var report: ClassificationReport?, multi: MultiLabelReport?, fit: RegressionReport?
            let point: EvaluationPoint
            if regression {
                let r = RegressionReport(predictions: self.probabilities(encodings: devEncodings).map { Double($0[0]) }, targets: devValues)
                fit = r
                point = EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: 0, macroF1: 0, score: r.pearson)
                log(String(format: "epoch %d step %d: train loss %.4f, dev MSE %.4f, Pearson %.4f, Spearman %.4f", epoch, step,
                           trainLoss, r.mse, r.pearson, r.spearman))
            } else if multiLabel {
                let p = self.probabilities(encodings: devEncodings)
                let thresholds = MultiLabelReport.tunedThresholds(probabilities: p, gold: devTargets, classes: labels.count)
                let m = MultiLabelReport(probabilities: p, gold: devTargets, labels: labels, thresholds: thresholds)
                multi = m
                point = EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: m.subsetAccuracy, macroF1: m.macroF1, score: m.microF1)
                log(String(format: "epoch %d step %d: train loss %.4f, dev micro-F1 %.4f, macro-F1 %.4f, subset accuracy %.4f", epoch, step,
                           trainLoss, m.microF1, m.macroF1, m.subsetAccuracy))
            } else {
                let r = self.evaluate(encodings: devEncodings, gold: devGold)
                report = r
                point = EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: r.accuracy, macroF1: r.macroF1, score: r.accuracy)
                log(String(format: "epoch %d step %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f", epoch, step, trainLoss,
                           r.accuracy, r.macroF1))
            }
            history.append(point)
            events(.evaluation(point))
            if best == nil || point.score > best!.score {
                best = (point.score, Array(UnsafeBufferPointer(start: model.store.values.pointer, count: model.store.count)), report, multi, fit)
                sinceBest = 0
            } else {
                sinceBest += 1
            }
            return c.patience.map { sinceBest >= $0 } ?? false
        }

        if strategy == .featureExtraction, let model = classifier {
            try trainHeadOnFeatures(model, trainEncodings, trainLabels, targets: trainTargets, classWeights: classWeights, log: log,
                                    onStep: { step += 1 }) { epoch, loss in evaluate(epoch: epoch, trainLoss: loss) }
        } else {
            if let bert = classifier { applyLearningRateScales(bert) }
            var generator = RandomGenerator(seed: c.seed &+ 1)
            let batchesPerEpoch = (train.count + c.batchSize - 1) / c.batchSize
            let total = batchesPerEpoch * c.epochs
            // Embedding encoders train everything at the head's rate; a Transformer at the encoder's.
            let schedule = LearningRateSchedule.linearWarmupThenDecay(classifier == nil ? c.headLearningRate : c.encoderLearningRate,
                                                                      warmup: Int((Float(total) * c.warmupFraction).rounded()), total: total)
            let optimizer = AdamW(weightDecay: c.weightDecay)
            let progress = ProgressLine(total: total)
            var startEpoch = 1, skipBatches = 0
            var lossSum = 0.0, lossCount = 0
            if let checkpoints, checkpoints.resume, FileManager.default.fileExists(atPath: checkpoints.directory + "/state.json") {
                let (saved, tensors) = try TrainingCheckpoint.read(from: checkpoints.directory)
                guard saved.configuration == c, saved.labels == labels else {
                    throw ModelFileError(file: checkpoints.directory, message: "the checkpoint was made with other settings or labels: resume with the same command")
                }
                let values = try tensors.tensor("values")
                guard values.count == model.store.count else {
                    throw ModelFileError(file: checkpoints.directory, key: "values", message: "\(values.count) values for a model of \(model.store.count)")
                }
                model.store.values.pointer.update(from: values.pointer, count: values.count)
                optimizer.importState(steps: saved.optimizerSteps, first: try tensors.tensor("adam.first").values,
                                      second: try tensors.tensor("adam.second").values)
                model.generator.state = saved.dropoutGeneratorState
                model.steps = saved.classifierSteps
                generator.state = saved.epochGeneratorState
                (startEpoch, skipBatches, step) = (saved.epoch, saved.batchesDone, saved.step)
                (lossSum, lossCount, history, sinceBest) = (saved.lossSum, saved.lossCount, saved.history, saved.sinceBest)
                if let score = saved.bestScore {
                    best = (score, try tensors.tensor("best").values, saved.bestReport, saved.bestMultiLabel, saved.bestRegression)
                }
                log("resuming at epoch \(startEpoch), step \(step)")
            }
            func saveCheckpoint(epoch: Int, batchesDone: Int, epochGenerator: RandomGenerator) throws {
                guard let checkpoints else { return }
                let moments = optimizer.exportState(count: model.store.count)
                let state = TrainingCheckpoint(
                    epoch: epoch, batchesDone: batchesDone, step: step, epochGeneratorState: epochGenerator.state,
                    dropoutGeneratorState: model.generator.state, classifierSteps: model.steps, optimizerSteps: moments.steps,
                    lossSum: lossSum, lossCount: lossCount, history: history, bestScore: best?.score, bestReport: best?.report,
                    bestMultiLabel: best?.multi, bestRegression: best?.regression, sinceBest: sinceBest, labels: labels, configuration: c)
                try state.write(to: checkpoints.directory, values: Array(UnsafeBufferPointer(start: model.store.values.pointer, count: model.store.count)),
                                first: moments.first, second: moments.second, best: best?.values)
            }
            training: for epoch in startEpoch..<(c.epochs + 1) {  // empty when resuming a finished run
                if let bert = classifier { applyFreezing(bert, epoch: epoch) }
                if let embedding = embeddingClassifier, let after = c.unfreezeEmbeddingsAfter, !c.freezeEmbeddings, epoch > after {
                    embedding.embeddingsTrainable = true
                    embedding.unpinEmbeddingRows()
                }
                let epochGenerator = generator  // this epoch's batches can be drawn again from here
                let batches = lengthBucketedBatches(trainEncodings, batchSize: c.batchSize, generator: &generator)
                if epoch > startEpoch || skipBatches == 0 { (lossSum, lossCount) = (0, 0) }
                for (index, members) in batches.enumerated() where epoch > startEpoch || index >= skipBatches {
                    let batch = TokenBatch(encodings: members.map { trainEncodings[$0] })
                    let loss = try model.trainStep(batch, labels: members.map { trainLabels[$0] }, optimizer: optimizer,
                                                   learningRate: schedule(step), labelSmoothing: c.labelSmoothing ?? 0,
                                                   classWeights: classWeights,
                                                   targets: multiLabel || regression ? members.flatMap { trainTargets[$0] } : nil)
                    events(.step(epoch: epoch, step: step, loss: Double(loss), learningRate: schedule(step),
                                 seconds: Date().timeIntervalSince(started)))
                    step += 1
                    lossSum += Double(loss)
                    lossCount += 1
                    progress.update(step: step, epoch: epoch, loss: lossSum / Double(lossCount), tokens: batch.batch * batch.tokens, log: log)
                    if let every = c.evaluateEvery, step % every == 0, index + 1 < batches.count,
                       evaluate(epoch: epoch, trainLoss: lossSum / Double(lossCount)) { break training }
                    let stop = checkpoints?.shouldStop() ?? false
                    if stop || (checkpoints?.every.map { step % $0 == 0 } ?? false) {
                        try saveCheckpoint(epoch: epoch, batchesDone: index + 1, epochGenerator: epochGenerator)
                    }
                    if stop {
                        progress.finishLine()
                        throw TrainingInterrupted(step: step, checkpoint: checkpoints!.directory)
                    }
                }
                progress.finishLine()
                let stopEarly = evaluate(epoch: epoch, trainLoss: lossSum / Double(max(lossCount, 1)))
                try saveCheckpoint(epoch: epoch + 1, batchesDone: 0, epochGenerator: generator)
                if stopEarly { break }
            }
        }
        guard let best else { throw DataError(file: "dev", message: "no evaluation ran") }
        best.values.withUnsafeBufferPointer { model.store.values.pointer.update(from: $0.baseAddress!, count: $0.count) }
        let outcome = FineTuningResult(labels: labels, best: best.report, bestMultiLabel: best.multi, bestRegression: best.regression,
                                       history: history, steps: step,
                                       seconds: Date().timeIntervalSince(started))
        result = outcome
        return outcome
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
        let order = encodings.indices.sorted { encodings[$0].length > encodings[$1].length }
        var predicted = [Int](repeating: 0, count: encodings.count)
        var confidence = [Double](repeating: 0, count: encodings.count)
        for start in stride(from: 0, to: order.count, by: 64) {
            let members = Array(order[start..<min(start + 64, order.count)])
            let logits = model.logits(TokenBatch(encodings: members.map { encodings[$0] }))
            for (row, index) in members.enumerated() {
                predicted[index] = head.predictedClass(logits[row][...])
                confidence[index] = Double(head.probabilities(logits[row][...])[predicted[index]])
            }
        }
        let known = gold.indices.filter { gold[$0] >= 0 }
        return ClassificationReport(gold: known.map { gold[$0] }, predicted: known.map { predicted[$0] }, labels: labels,
                                    confidences: known.map { confidence[$0] })
    }

    /// The head's class probabilities for each encoding, in input order.
    func probabilities(encodings: [Encoding]) -> [[Float]] {
        guard let model = trained, let head = decoder else { preconditionFailure("train first") }
        let order = encodings.indices.sorted { encodings[$0].length > encodings[$1].length }
        var out = [[Float]](repeating: [], count: encodings.count)
        for start in stride(from: 0, to: order.count, by: 64) {
            let members = Array(order[start..<min(start + 64, order.count)])
            let logits = model.logits(TokenBatch(encodings: members.map { encodings[$0] }))
            for (row, index) in members.enumerated() { out[index] = head.probabilities(logits[row][...]) }
        }
        return out
    }

    /// Writes the trained classifier (best dev weights) as a model directory: the encoder's config.json and
    /// tokenizer files, model.safetensors with every weight, and text_transfer.json (labels, head,
    /// tokenizer fingerprint, training settings and dev metrics). Written beside `directory` and renamed
    /// into place, so a failure never leaves half a model.
    public func save(to directory: String) throws {
        guard let model = trained, let head = decoder, let result else { preconditionFailure("train before saving") }
        let fm = FileManager.default
        let partial = directory + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: partial)
        try fm.createDirectory(atPath: partial, withIntermediateDirectories: true)
        if let words = tokenizer as? WordTokenizer {
            try Data(words.words.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: (partial as NSString).appendingPathComponent("words.txt")))
        } else {
            for name in ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"] {
                let source = (configuration.model as NSString).appendingPathComponent(name)
                if fm.fileExists(atPath: source) { try fm.copyItem(atPath: source, toPath: (partial as NSString).appendingPathComponent(name)) }
            }
        }
        var tensors: [String: Tensor] = [:]
        for p in model.store.parameters { tensors[p.name] = model.store.value(p.name) }
        try SafetensorsWriter.write(tensors, metadata: ["format": "text-transfer"], to: (partial as NSString).appendingPathComponent("model.safetensors"))
        var description = ClassifierDescription(labels: labels, head: head.kind, pooling: head.pooling, maxLength: configuration.maxLength,
                                                tokenizerFingerprint: tokenizer.fingerprint,
                                                baseModel: configuration.usesWordTokens ? configuration.embeddings ?? "random word embeddings" : configuration.model,
                                                training: configuration, metrics: result.best, multiLabelMetrics: result.bestMultiLabel,
                                                regressionMetrics: result.bestRegression)
        description.normalize = head.normalize  // what the head did, whether chosen or defaulted
        if let words = tokenizer as? WordTokenizer { description.wordSegmentation = words.segmenter.options }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(description).write(to: URL(fileURLWithPath: (partial as NSString).appendingPathComponent("text_transfer.json")))
        if fm.fileExists(atPath: directory) { try fm.removeItem(atPath: directory) }
        try fm.moveItem(atPath: partial, toPath: directory)
    }
}
