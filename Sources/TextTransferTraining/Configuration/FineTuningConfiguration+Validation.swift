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
        try count(embeddingWidth, .embeddingWidth, 1...65_536)
        try count(minWordCount, .minWordCount, 1...Int.max)
        try count(vectorWords, .vectorWords, 0...Int.max)
        try count(unfreezeEmbeddingsAfter, .unfreezeEmbeddingsAfter, 0...100_000)
        try count(evaluateEvery, .evaluateEvery, 1...Int.max)
        try count(patience, .patience, 1...Int.max)
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
            if head != .softmax || tasks != nil { throw fail(.distillation, "distils a single softmax task") }
        }
        if classWeights != nil, let other = (tasks?.map(\.head) ?? [head]).first(where: { !$0.rules.weighsClasses }) {
            // The ordinal, multi-label and regression losses have no per-class weights to scale.
            throw fail(.classWeights, "weighs the classes of the softmax head only, not of the \(other.rawValue) head")
        }
        if pooling == .pooler && normalize == true { throw fail(.normalize, "normalization applies to mean or cls pooling, not pooler") }
        if labelSeparator.count != 1 { throw fail(.labelSeparator, "must be one character, not '\(labelSeparator)'") }
        if let labels { try Self.validateLabels(labels, key: CodingKeys.labels.rawValue) }
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
