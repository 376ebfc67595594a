import Foundation

/// A configuration value that cannot be used, named by its key as `text_transfer.json` spells it under
/// "training" (the CLI turns the key back into its flag).
public struct ConfigurationError: Error, CustomStringConvertible, LocalizedError, Equatable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
    public var errorDescription: String? { description }
}

extension FineTuningConfiguration {
    /// Checks every field before anything is loaded or allocated: numbers finite and in range, choices
    /// known, combinations consistent. Limits that need the model (max length against its positions) are
    /// checked when it is loaded.
    public func validate() throws {
        func fail(_ key: CodingKeys, _ message: String) -> ConfigurationError { ConfigurationError(key: key.rawValue, message: message) }
        func count(_ value: Int?, _ key: CodingKeys, _ range: ClosedRange<Int>) throws {
            if let value, !range.contains(value) {
                throw fail(key, "must be a whole number in \(range.lowerBound)...\(range.upperBound), not \(value)")
            }
        }
        func number(_ value: Float?, _ key: CodingKeys, _ allowed: (Float) -> Bool, _ what: String) throws {
            if let value, !(value.isFinite && allowed(value)) { throw fail(key, "must be \(what), not \(value)") }
        }
        let largeSize = 1 << 20
        try count(epochs, .epochs, 1...100_000)
        try count(batchSize, .batchSize, 1...65_536)
        try count(maxLength, .maxLength, 2...largeSize)
        try count(hiddenSize, .hiddenSize, 1...65_536)
        try count(headHidden, .headHidden, 1...65_536)
        if headHidden != nil && encoder == .transformer { throw fail(.headHidden, "is the hidden layer of a bilstm, gru or bag head, not a Transformer's") }
        try count(embeddingWidth, .embeddingWidth, 1...65_536)
        try count(minWordCount, .minWordCount, 1...Int.max)
        try count(vectorWords, .vectorWords, 0...Int.max)
        try count(unfreezeEmbeddingsAfter, .unfreezeEmbeddingsAfter, 0...100_000)
        try count(evaluateEvery, .evaluateEvery, 1...Int.max)
        try count(patience, .patience, 1...Int.max)
        try count(averageFrom, .averageFrom, 1...epochs)
        if averageFrom != nil && keep != .average { throw fail(.averageFrom, "is where keep \"average\" starts; keep is \"\(keep?.rawValue ?? "best")\"") }
        if keep == .average && (strategy == .featureExtraction || (strategy == .setfit && setfit?.endToEnd != true)) {
            throw fail(.keep, "\"average\" averages epochs of training; \(strategy) fits its head once")
        }
        try count(featureExtractionEpochs, .featureExtractionEpochs, 1...100_000)
        try number(encoderLearningRate, .encoderLearningRate, { $0 >= 0 }, "a finite number ≥ 0")
        try number(headLearningRate, .headLearningRate, { $0 >= 0 }, "a finite number ≥ 0")
        try number(warmupFraction, .warmupFraction, { $0 >= 0 && $0 <= 1 }, "a fraction in [0, 1]")
        try number(weightDecay, .weightDecay, { $0 >= 0 }, "a finite number ≥ 0")
        try number(dropout, .dropout, { $0 >= 0 && $0 < 1 }, "a probability in [0, 1)")
        try number(layerDecay, .layerDecay, { $0 > 0 }, "a finite number > 0")
        try number(maxGradientNorm.map(Float.init), .maxGradientNorm, { $0 > 0 }, "a finite number > 0")
        try number(l2SP, .l2SP, { $0 > 0 }, "a finite number > 0")
        try number(labelSmoothing, .labelSmoothing, { $0 >= 0 && $0 < 1 }, "a fraction in [0, 1)")
        try number(taskTemperature, .taskTemperature, { $0 > 0 }, "a finite number > 0")
        if let tasks { try validateTasks(tasks) }
        if let d = distillation {
            if !(d.temperature.isFinite && d.temperature > 0) {
                throw ConfigurationError(key: "distillation.temperature", message: "must be a finite number > 0, not \(d.temperature)")
            }
            if !(d.alpha.isFinite && d.alpha >= 0 && d.alpha <= 1) {
                throw ConfigurationError(key: "distillation.alpha", message: "must be in [0, 1], not \(d.alpha)")
            }
            if !(d.hiddenWeight.isFinite && d.hiddenWeight >= 0) {
                throw ConfigurationError(key: "distillation.hidden_weight", message: "must be a finite number ≥ 0, not \(d.hiddenWeight)")
            }
            if d.hiddenWeight > 0 && encoder != .transformer {
                throw ConfigurationError(key: "distillation.hidden_weight", message: "matches a Transformer student's states, not a \(encoder.rawValue) student's")
            }
            if head != .softmax || tasks != nil { throw fail(.distillation, "distils a single softmax task") }
        }
        if strategy == .setfit || setfit != nil { try validateSetFit() }
        if classWeights != nil, let other = (tasks?.map(\.head) ?? [head]).first(where: { !$0.rules.weighsClasses }) {
            // The ordinal, multi-label and regression losses have no per-class weights to scale.
            throw fail(.classWeights, "weighs the classes of the softmax head only, not of the \(other.rawValue) head")
        }
        if pooling == .pooler && normalize == true { throw fail(.normalize, "normalization applies to mean or cls pooling, not pooler") }
        if labelSeparator.count != 1 { throw fail(.labelSeparator, "must be one character, not '\(labelSeparator)'") }
        if let labels { try Self.validateLabels(labels, key: CodingKeys.labels.rawValue) }
    }

    /// SetFit pairs examples by their classes (or tags) and fits its head by logistic regression: one
    /// softmax or multi-label Transformer task, without class weights.
    private func validateSetFit() throws {
        func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(key: key, message: message) }
        guard strategy == .setfit else { throw fail("setfit", "settings for the setfit strategy, but the strategy is \(strategy)") }
        guard encoder == .transformer else { throw fail("strategy", "setfit tunes a Transformer encoder, not the \(encoder.rawValue) encoder") }
        guard tasks == nil, distillation == nil else { throw fail("strategy", "setfit trains one task on its labels (no tasks, no distillation)") }
        guard head == .softmax || head == .multiLabel else {
            throw fail("head", "setfit pairs examples by class: it trains a softmax or multi-label head, not \(head.rawValue)")
        }
        guard classWeights == nil else { throw fail("class_weights", "setfit fits its head by logistic regression, without class weights") }
        let s = setfit ?? SetFitSettings()
        if !(1...100_000).contains(s.pairRounds) { throw fail("setfit.pair_rounds", "must be a whole number in 1...100000, not \(s.pairRounds)") }
        if !(1...65_536).contains(s.pairBatchSize) { throw fail("setfit.pair_batch_size", "must be a whole number in 1...65536, not \(s.pairBatchSize)") }
        if !(s.learningRate.isFinite && s.learningRate >= 0) { throw fail("setfit.lr", "must be a finite number ≥ 0, not \(s.learningRate)") }
        if !(s.warmupFraction.isFinite && (0...1).contains(s.warmupFraction)) {
            throw fail("setfit.warmup", "must be a fraction in [0, 1], not \(s.warmupFraction)")
        }
    }

    private static func validateLabels(_ labels: [String], key: String) throws {
        if labels.isEmpty || labels.contains("") { throw ConfigurationError(key: key, message: "must name at least one class, none of them empty") }
        if Set(labels).count != labels.count { throw ConfigurationError(key: key, message: "names a class twice") }
    }

    /// Several tasks share one trained Transformer encoder; names are unique and fit a parameter name
    /// (`classifier.<name>.weight`) and a command line (`--task NAME=...`).
    private func validateTasks(_ tasks: [TaskSettings]) throws {
        func fail(_ key: String, _ message: String) -> ConfigurationError { ConfigurationError(key: key, message: message) }
        guard !tasks.isEmpty else { throw fail("tasks", "lists no task") }
        guard encoder == .transformer else { throw fail("tasks", "several tasks share a Transformer encoder, not the \(encoder.rawValue) encoder") }
        guard strategy != .featureExtraction else {
            throw fail("tasks", "feature extraction trains no shared encoder: train each task's head on its own")
        }
        var seen = Set<String>()
        for (i, task) in tasks.enumerated() {
            let allowed = task.name.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
            guard !task.name.isEmpty, task.name.count <= 64, allowed else {
                throw fail("tasks[\(i)].name", "'\(task.name)' must be 1 to 64 letters, digits, '_' or '-'")
            }
            guard seen.insert(task.name).inserted else { throw fail("tasks[\(i)].name", "'\(task.name)' names two tasks") }
            if let labels = task.labels { try Self.validateLabels(labels, key: "tasks[\(i)].labels") }
        }
    }
}
