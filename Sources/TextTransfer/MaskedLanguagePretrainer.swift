import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// How `pretrain mlm` continues a Transformer's masked-LM pretraining on unlabelled text (TAPT/DAPT).
public struct PretrainingSettings: Codable, Sendable, Equatable {
    public var model = "Models/all-MiniLM-L6-v2"
    public var maxLength = 128
    public var maskProbability = 0.15
    /// Mask every piece of a chosen word together (words by WordPiece's "##" continuations).
    public var wholeWord = false
    /// One sequence per line (truncated) instead of the lines concatenated and cut to `maxLength`.
    public var lineByLine = false
    public var batchSize = 32
    /// TAPT's rate (Gururangan et al. 2020).
    public var learningRate: Float = 1e-4
    public var warmupFraction: Float = 0.06
    public var weightDecay: Float = 0.01
    public var epochs = 1
    /// Stop after this many training tokens (padding not counted) or steps, whichever comes first.
    public var maxTokens: Int?
    public var maxSteps: Int?
    /// The seeded fraction of the lines held out to watch the loss and the embeddings' drift (1 to 500 lines).
    public var heldOutFraction = 0.02
    /// Held-out evaluations over the run (besides the one before training).
    public var evaluations = 10
    /// L2-SP strength toward the starting weights (the head excluded); nil: weight decay toward zero.
    public var l2SP: Float?
    /// When the head is new (the checkpoint had none), the fraction of the steps that train it alone, the
    /// encoder frozen, so that a random head's first gradients do not scramble the pretrained encoder.
    public var headWarmupFraction = 0.1
    public var seed: UInt64 = 42

    public init() {}

    enum CodingKeys: String, CodingKey {
        case model, epochs, seed, evaluations
        case maxLength = "max_length", maskProbability = "mask_probability", wholeWord = "whole_word", lineByLine = "line_by_line"
        case batchSize = "batch_size", learningRate = "lr", warmupFraction = "warmup", weightDecay = "weight_decay"
        case maxTokens = "max_tokens", maxSteps = "max_steps", heldOutFraction = "held_out_fraction", l2SP = "l2_sp"
        case headWarmupFraction = "head_warmup"
    }

    public func validate() throws {
        func fail(_ key: CodingKeys, _ message: String) -> ConfigurationError { ConfigurationError(key: key.rawValue, message: message) }
        if !(2...(1 << 20)).contains(maxLength) { throw fail(.maxLength, "must be in 2...1048576, not \(maxLength)") }
        if !(maskProbability > 0 && maskProbability < 1) { throw fail(.maskProbability, "must be a probability in (0, 1), not \(maskProbability)") }
        if !(1...65_536).contains(batchSize) { throw fail(.batchSize, "must be in 1...65536, not \(batchSize)") }
        if !(learningRate.isFinite && learningRate >= 0) { throw fail(.learningRate, "must be a finite number ≥ 0, not \(learningRate)") }
        if !(warmupFraction.isFinite && (0...1).contains(warmupFraction)) { throw fail(.warmupFraction, "must be a fraction in [0, 1], not \(warmupFraction)") }
        if !(weightDecay.isFinite && weightDecay >= 0) { throw fail(.weightDecay, "must be a finite number ≥ 0, not \(weightDecay)") }
        if !(1...100_000).contains(epochs) { throw fail(.epochs, "must be in 1...100000, not \(epochs)") }
        if let maxTokens, maxTokens < 1 { throw fail(.maxTokens, "must be at least 1, not \(maxTokens)") }
        if let maxSteps, maxSteps < 1 { throw fail(.maxSteps, "must be at least 1, not \(maxSteps)") }
        if !(heldOutFraction > 0 && heldOutFraction < 1) { throw fail(.heldOutFraction, "must be in (0, 1), not \(heldOutFraction)") }
        if !(1...10_000).contains(evaluations) { throw fail(.evaluations, "must be in 1...10000, not \(evaluations)") }
        if let l2SP, !(l2SP.isFinite && l2SP > 0) { throw fail(.l2SP, "must be a finite number > 0, not \(l2SP)") }
        if !(0..<1).contains(headWarmupFraction) { throw fail(.headWarmupFraction, "must be a fraction in [0, 1), not \(headWarmupFraction)") }
    }
}

/// One look at the held-out lines: their masked-LM loss (the same masking every time) and how far the
/// sentence embeddings moved (mean cosine to the starting model's; 1 is unchanged).
public struct PretrainingEvaluation: Codable, Sendable, Equatable {
    public let step: Int
    public let tokens: Int
    public let trainLoss: Double?
    public let heldOutLoss: Double
    public let cosineToStart: Double
}

/// What a pretraining run did.
public struct PretrainingResult: Codable, Sendable {
    public let settings: PretrainingSettings
    /// Whether the MLM head came from the checkpoint (false: initialized as BERT does).
    public let headWasLoaded: Bool
    public let sequences: Int
    public let heldOutLines: Int
    public let steps: Int
    public let tokens: Int
    public let seconds: Double
    public let history: [PretrainingEvaluation]
}

/// Continued masked-LM pretraining of a BERT-family encoder on the user's text; the saved directory is a
/// model `train --model`, `embed` and `pretrain` again take (the MLM head saved beside the encoder).
///
///     let pretrainer = try MaskedLanguagePretrainer(settings: settings)
///     let result = try pretrainer.run(lines: try String(contentsOfFile: "tickets.txt").components(separatedBy: "\n"))
///     try pretrainer.save(to: OutputDirectory.reserve("Models/tickets-minilm", marker: MaskedLanguagePretrainer.fileName))
public final class MaskedLanguagePretrainer {
    public static let fileName = "text_transfer_pretraining.json"
    public let settings: PretrainingSettings
    public let model: MaskedLanguageModel
    public let tokenizer: BertTokenizer
    private var result: PretrainingResult?

    public init(settings: PretrainingSettings) throws {
        try settings.validate()
        let directory = settings.model
        if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(ClassifierDescription.fileName)) {
            throw ModelFileError(file: directory, message: "is a classifier saved by train: pretrain a pretrained encoder (or a pretrain output)")
        }
        self.settings = settings
        tokenizer = try BertTokenizer(directory: directory)
        model = try MaskedLanguageModel(directory: directory, seed: settings.seed)
        if tokenizer.vocabulary.count > model.head.vocabularySize {
            throw ModelFileError(file: (directory as NSString).appendingPathComponent("config.json"), key: "vocab_size",
                                 message: "the tokenizer has \(tokenizer.vocabulary.count) tokens but the embedding table has \(model.head.vocabularySize) rows")
        }
        let maxPositions = model.bert.encoder.architecture.maxPositions
        if settings.maxLength > maxPositions {
            throw ConfigurationError(key: "max_length", message: "\(settings.maxLength) exceeds the model's \(maxPositions) positions")
        }
    }

    /// The training sequences of `lines`: each line alone (truncated), or the lines' pieces concatenated
    /// with [SEP] between lines and cut into [CLS] … [SEP] blocks of `maxLength`; with `wholeWord`, each
    /// token's word number too (a word: a WordPiece word, "##" pieces continuing it, or the pieces of one
    /// ICU word — how Chinese characters, which BERT splits one by one, make words).
    package func sequences(_ lines: [String]) throws -> [(encoding: Encoding, words: [Int]?)] {
        let (cls, sep) = (tokenizer.classifierID, tokenizer.separatorID)
        let segmenter = settings.wholeWord ? try ICUWordSegmenter() : nil
        var nextWord = 0
        func sequence(_ body: [Int32], special: [Bool], words: [Int]?) -> (encoding: Encoding, words: [Int]?) {
            let ids = [cls] + body + [sep]
            let encoding = Encoding(ids: ids, typeIDs: ids.map { _ in 0 }, attentionMask: ids.map { _ in 1 },
                                    specialTokensMask: ([true] + special + [true]).map { $0 ? 1 : 0 }, offsets: ids.map { _ in 0..<0 })
            return (encoding, words.map { [-1] + $0 + [-2] })
        }
        /// A line's pieces and (with whole words) their word numbers, continuing the run's count.
        func pieces(_ line: String) -> (ids: [Int32], words: [Int]?) {
            let encoded = tokenizer.encode(line)
            let ids = Array(encoded.ids.dropFirst().dropLast())
            guard let segmenter else { return (ids, nil) }
            let spans = segmenter.segments(line).map(\.range)
            var words: [Int] = [], previousSpan: Int?
            for (i, id) in ids.enumerated() {
                let offset = encoded.offsets[i + 1]
                let span = spans.firstIndex { $0.contains(offset.lowerBound) }
                let continues = i > 0 && (tokenizer.vocabulary.tokens[Int(id)].hasPrefix("##") || (span != nil && span == previousSpan))
                if !continues { nextWord += 1 }
                words.append(nextWord)
                previousSpan = span
            }
            return (ids, words)
        }
        let block = settings.maxLength - 2
        if settings.lineByLine {
            return lines.compactMap { line in
                let (ids, words) = pieces(line)
                let kept = min(ids.count, block)
                return kept == 0 ? nil : sequence(Array(ids.prefix(kept)), special: [Bool](repeating: false, count: kept), words: words.map { Array($0.prefix(kept)) })
            }
        }
        var stream: [Int32] = [], special: [Bool] = [], streamWords: [Int] = []
        for line in lines {
            let (ids, words) = pieces(line)
            guard !ids.isEmpty else { continue }
            if !stream.isEmpty {
                stream.append(sep)
                special.append(true)
                nextWord += 1
                streamWords.append(nextWord)
            }
            stream += ids
            special += ids.map { _ in false }
            streamWords += words ?? []
        }
        return stride(from: 0, to: stream.count, by: block).compactMap { start in
            let end = min(start + block, stream.count)
            return special[start..<end].allSatisfy { $0 } ? nil
                : sequence(Array(stream[start..<end]), special: Array(special[start..<end]), words: segmenter == nil ? nil : Array(streamWords[start..<end]))
        }
    }

    /// Trains on `lines` (empty lines skipped), a seeded slice held out; `source` names them in errors.
    /// With `checkpoints`, the state is saved every N steps, at each epoch's end and when `shouldStop`
    /// says so (then `TrainingInterrupted` is thrown), and `resume` continues bit-identically.
    public func run(lines given: [String], source: String = "text", checkpoints: CheckpointOptions? = nil,
                    log: (String) -> Void = { _ in }) throws -> PretrainingResult {
        let s = settings
        let started = Date()
        var lines = given.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard lines.count >= 2 else {
            throw DataError(file: source, message: "has \(lines.count) non-empty line\(lines.count == 1 ? "" : "s"); pretraining needs at least 2 (one is held out to watch the loss)")
        }
        var generator = RandomGenerator(seed: s.seed &+ 1)
        lines.shuffle(using: &generator)
        let heldCount = min(500, max(1, Int((Double(lines.count) * s.heldOutFraction).rounded())))
        let held = Array(lines.prefix(heldCount)), trainLines = Array(lines.dropFirst(heldCount))
        let sequenced = try sequences(trainLines)
        let train = sequenced.map(\.encoding)
        guard !train.isEmpty else { throw DataError(file: source, message: "has no WordPiece tokens to learn from outside the held-out lines") }
        log("pretrain: \(train.count) sequences of up to \(s.maxLength) tokens from \(trainLines.count) lines; \(heldCount) lines held out")
        log(model.headWasLoaded ? "pretrain: the MLM head comes from \(s.model)" : "pretrain: \(s.model) has no MLM head; it starts as BERT initializes one")

        let masking = TokenMasking(maskID: tokenizer.vocabulary.id("[MASK]") ?? tokenizer.wordPiece.vocabulary.id("[UNK]")!,
                                   vocabularySize: model.head.vocabularySize, probability: s.maskProbability)
        func maskedBatch(_ sequences: [(encoding: Encoding, words: [Int]?)], generator: inout RandomGenerator) -> (TokenBatch, [Int32]) {
            let encodings = sequences.map(\.encoding)
            let T = encodings.map(\.count).max()!
            var ids: [Int32] = [], labels: [Int32] = []
            for (e, words) in sequences {
                let (masked, chosen) = masking.mask(e, words: words, generator: &generator)
                ids += masked + [Int32](repeating: tokenizer.paddingID, count: T - e.count)
                labels += chosen + [Int32](repeating: -1, count: T - e.count)
            }
            return (TokenBatch(ids: ids, typeIDs: ids.map { _ in 0 }, lengths: encodings.map { Int32($0.count) }, tokens: T), labels)
        }
        // The held-out lines, masked once, and their starting embeddings (from the checkpoint on resume:
        // the starting model is the one this run began with).
        let heldSequences = held.map { tokenizer.encode($0, maxLength: s.maxLength) }
        var heldGenerator = RandomGenerator(seed: s.seed &+ 9)
        let heldBatches = stride(from: 0, to: heldSequences.count, by: s.batchSize).map {
            // Token by token, whatever --whole-word says: the held-out loss compares runs.
            maskedBatch(heldSequences[$0..<min($0 + s.batchSize, heldSequences.count)].map { ($0, nil) }, generator: &heldGenerator)
        }
        var startEmbeddings = model.meanEmbeddings(heldSequences)
        func evaluate(step: Int, tokens: Int, trainLoss: Double?) -> PretrainingEvaluation {
            var lossSum = 0.0, counted = 0
            for (batch, labels) in heldBatches {
                let n = labels.filter { $0 >= 0 }.count
                if let loss = model.loss(batch, labels: labels) { (lossSum, counted) = (lossSum + loss * Double(n), counted + n) }
            }
            let now = model.meanEmbeddings(heldSequences)
            let cosine = zip(now, startEmbeddings).map { a, b in zip(a, b).reduce(0.0) { $0 + Double($1.0 * $1.1) } }.reduce(0, +) / Double(now.count)
            let e = PretrainingEvaluation(step: step, tokens: tokens, trainLoss: trainLoss, heldOutLoss: lossSum / Double(max(counted, 1)),
                                          cosineToStart: cosine)
            log(String(format: "pretrain: step %d, %d tokens: held-out MLM loss %.4f, embeddings' cosine to the start %.4f%@", step, tokens,
                       e.heldOutLoss, cosine, trainLoss.map { String(format: ", train loss %.4f", $0) } ?? ""))
            return e
        }

        // L2-SP anchors at the starting weights, before a checkpoint's replace them.
        if let strength = s.l2SP {
            let penalty = L2SPPenalty(store: model.store, strength: strength) { !$0.hasPrefix("cls.") }
            for name in penalty.anchoredNames { model.store.setWeightDecay(false, matching: name) }
            model.penalty = penalty
        }
        let perEpoch = (train.count + s.batchSize - 1) / s.batchSize
        let meanTokens = Double(train.reduce(0) { $0 + $1.count }) / Double(train.count)
        var total = perEpoch * s.epochs
        if let maxSteps = s.maxSteps { total = min(total, maxSteps) }
        if let maxTokens = s.maxTokens { total = min(total, max(1, Int((Double(maxTokens) / (meanTokens * Double(s.batchSize))).rounded(.up)))) }
        let schedule = LearningRateSchedule.linearWarmupThenDecay(s.learningRate, warmup: Int((Float(total) * s.warmupFraction).rounded()), total: total)
        let optimizer = AdamW(weightDecay: s.weightDecay)
        let every = max(1, total / s.evaluations)
        var maskingGenerator = RandomGenerator(seed: s.seed &+ 2)
        var history: [PretrainingEvaluation] = []
        var (startEpoch, skip, step, tokens, lossSum, lossCount) = (1, 0, 0, 0, 0.0, 0)
        if let checkpoints, checkpoints.resume, CheckpointFiles.exists(in: checkpoints.directory) {
            let (saved, values, first, second, start) = try PretrainingCheckpoint.read(from: checkpoints.directory, settings: s, sequences: train.count,
                                                                                   parameters: model.store.count)
            model.store.values.pointer.update(from: values.pointer, count: values.count)
            optimizer.importState(steps: saved.optimizerSteps, first: first.values, second: second.values)
            (generator.state, maskingGenerator.state, model.generator.state, model.steps) = (saved.epochGeneratorState, saved.maskingGeneratorState,
                                                                                 saved.dropoutGeneratorState, saved.modelSteps)
            (startEpoch, skip, step, tokens, lossSum, lossCount, history) = (saved.epoch, saved.batchesDone, saved.step, saved.tokens,
                                                                           saved.lossSum, saved.lossCount, saved.history)
            let width = start.shape.last ?? 0
            startEmbeddings = (0..<(start.shape.first ?? 0)).map { Array(start.values[($0 * width)..<(($0 + 1) * width)]) }
            log("pretrain: resuming at epoch \(startEpoch), step \(step)")
        } else {
            history = [evaluate(step: 0, tokens: 0, trainLoss: nil)]
        }
        func saveCheckpoint(epoch: Int, batchesDone: Int, epochGenerator: RandomGenerator) throws {
            guard let checkpoints else { return }
            let moments = optimizer.exportState(count: model.store.count)
            let state = PretrainingCheckpoint(settings: s, sequences: train.count, epoch: epoch, batchesDone: batchesDone,
                                              epochGeneratorState: epochGenerator.state, maskingGeneratorState: maskingGenerator.state,
                                              dropoutGeneratorState: model.generator.state, step: step, modelSteps: model.steps,
                                              optimizerSteps: moments.steps, tokens: tokens, lossSum: lossSum, lossCount: lossCount, history: history)
            try state.write(to: checkpoints.directory, values: Array(UnsafeBufferPointer(start: model.store.values.pointer, count: model.store.count)),
                            first: moments.first, second: moments.second, startEmbeddings: startEmbeddings)
        }
        // A new head trains alone first; the encoder (and the tied decoder) join after its warm-up.
        let headWarmup = model.headWasLoaded ? 0 : Int((Double(total) * s.headWarmupFraction).rounded())
        func applyWarmup() {
            model.store.setTrainable(step >= headWarmup, matching: "*")
            model.store.setTrainable(true, matching: "cls.*")
        }
        if headWarmup > 0 { log("pretrain: the new head trains alone for the first \(headWarmup) steps") }
        applyWarmup()
        var finished = step >= total
        training: for epoch in startEpoch..<(s.epochs + 1) where !finished {
            let epochGenerator = generator
            let batches = lengthBucketedBatches(train, batchSize: s.batchSize, generator: &generator)
            for (index, members) in batches.enumerated() where epoch > startEpoch || index >= skip {
                let (batch, labels) = maskedBatch(members.map { sequenced[$0] }, generator: &maskingGenerator)
                let loss = try model.trainStep(batch, labels: labels, optimizer: optimizer, learningRate: schedule(step))
                step += 1
                if step == headWarmup { applyWarmup() }
                tokens += members.reduce(0) { $0 + train[$1].count }
                (lossSum, lossCount) = (lossSum + Double(loss), lossCount + 1)
                finished = step >= total || (s.maxTokens.map { tokens >= $0 } ?? false)
                if step % every == 0 || finished {
                    history.append(evaluate(step: step, tokens: tokens, trainLoss: lossSum / Double(lossCount)))
                    (lossSum, lossCount) = (0, 0)
                }
                let stop = checkpoints?.shouldStop() ?? false
                if stop || finished || (checkpoints?.every.map { step % $0 == 0 } ?? false) {
                    try saveCheckpoint(epoch: epoch, batchesDone: index + 1, epochGenerator: epochGenerator)
                }
                if stop { throw TrainingInterrupted(step: step, checkpoint: checkpoints!.directory) }
                if finished { break training }
            }
            try saveCheckpoint(epoch: epoch + 1, batchesDone: 0, epochGenerator: generator)
        }
        let outcome = PretrainingResult(settings: s, headWasLoaded: model.headWasLoaded, sequences: train.count, heldOutLines: heldCount,
                                        steps: step, tokens: tokens, seconds: Date().timeIntervalSince(started), history: history)
        result = outcome
        return outcome
    }

    /// Writes the pretrained model: the starting directory's files (config, tokenizer, sentence-transformers
    /// pooling) with model.safetensors holding the encoder and the MLM head (transformers' names, so
    /// BertForMaskedLM loads it too), and text_transfer_pretraining.json saying how it was made.
    public func save(to output: OutputDirectory) throws {
        guard let result else { preconditionFailure("run before saving") }
        try output.write { staging in
            try ModelWeightsFile.copyEverythingButWeights(from: settings.model, to: staging)
            try? FileManager.default.removeItem(atPath: (staging as NSString).appendingPathComponent(Self.fileName))
            var tensors: [String: Tensor] = [:]
            for p in model.store.parameters { tensors[p.name] = model.store.value(p.name) }
            try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: (staging as NSString).appendingPathComponent(ModelWeightsFile.name(for: .fp32)))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(result).write(to: URL(fileURLWithPath: (staging as NSString).appendingPathComponent(Self.fileName)))
        }
    }
}
