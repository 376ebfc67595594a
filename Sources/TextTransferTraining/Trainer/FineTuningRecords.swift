import Foundation

/// One dev evaluation during training.
public struct EvaluationPoint: Codable, Sendable, Equatable {
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double
    /// Accuracy; for a multi-label head, subset accuracy.
    public let accuracy: Double
    public let macroF1: Double
    /// What picks the best weights: accuracy, or micro-F1 for a multi-label head.
    public let score: Double

    public init(epoch: Int, step: Int, trainLoss: Double, accuracy: Double, macroF1: Double, score: Double) {
        (self.epoch, self.step, self.trainLoss, self.accuracy, self.macroF1, self.score) = (epoch, step, trainLoss, accuracy, macroF1, score)
    }
}

/// One optimizer step, as training reports it (the CLI draws its progress line from these).
public struct TrainingStep: Sendable, Equatable {
    public let epoch: Int
    /// Steps done before this one (0-based), of `totalSteps` in the run.
    public let step: Int
    public let totalSteps: Int
    /// This batch's loss, and the mean over the epoch so far.
    public let loss: Double
    public let meanLoss: Double
    public let learningRate: Float
    /// Tokens in the batch, padding included.
    public let tokens: Int
    /// Since training started.
    public let seconds: Double

    public init(epoch: Int, step: Int, totalSteps: Int, loss: Double, meanLoss: Double, learningRate: Float, tokens: Int, seconds: Double) {
        (self.epoch, self.step, self.totalSteps, self.loss, self.meanLoss) = (epoch, step, totalSteps, loss, meanLoss)
        (self.learningRate, self.tokens, self.seconds) = (learningRate, tokens, seconds)
    }
}

/// Something that happened during training, for logs (`--log-json` writes one JSON object per event).
public enum TrainingEvent: Sendable {
    case step(TrainingStep)
    case evaluation(EvaluationPoint)

    /// One line of JSON.
    public var json: String {
        switch self {
        case let .step(s):
            return String(format: "{\"event\":\"step\",\"epoch\":%d,\"step\":%d,\"total_steps\":%d,\"loss\":%.6f,\"mean_loss\":%.6f,\"lr\":%.8g,\"tokens\":%d,\"seconds\":%.3f}",
                          s.epoch, s.step, s.totalSteps, s.loss, s.meanLoss, s.learningRate, s.tokens, s.seconds)
        case let .evaluation(p):
            return String(format: "{\"event\":\"evaluation\",\"epoch\":%d,\"step\":%d,\"train_loss\":%.6f,\"accuracy\":%.6f,\"macro_f1\":%.6f,\"score\":%.6f}",
                          p.epoch, p.step, p.trainLoss, p.accuracy, p.macroF1, p.score)
        }
    }
}

/// What a fine-tuning run reached.
public struct FineTuningResult: Codable, Sendable {
    public let labels: [String]
    /// The dev report of the kept (best) weights: single-label, or multi-label with its tuned thresholds.
    public let best: ClassificationReport?
    public let bestMultiLabel: MultiLabelReport?
    public let bestRegression: RegressionReport?
    public let history: [EvaluationPoint]
    public let steps: Int
    public let seconds: Double

    public init(labels: [String], best: ClassificationReport?, bestMultiLabel: MultiLabelReport?, bestRegression: RegressionReport?,
                history: [EvaluationPoint], steps: Int, seconds: Double) {
        (self.labels, self.best, self.bestMultiLabel, self.bestRegression) = (labels, best, bestMultiLabel, bestRegression)
        (self.history, self.steps, self.seconds) = (history, steps, seconds)
    }
}
