import Foundation

/// One dev evaluation during training.
public struct EvaluationPoint: Codable, Sendable, Equatable {
    public let epoch: Int
    public let step: Int
    public let trainLoss: Double
    /// Accuracy; for a multi-label head, subset accuracy.
    public let accuracy: Double
    public let macroF1: Double
    /// What picks the best weights: accuracy, or micro-F1 for a multi-label head; for several tasks the
    /// mean of their scores (and accuracy and macro-F1 are means too).
    public let score: Double
    /// Each task's score, for a multi-task run; nil for one task.
    public var taskScores: [TaskScore]?

    public init(epoch: Int, step: Int, trainLoss: Double, accuracy: Double, macroF1: Double, score: Double, taskScores: [TaskScore]? = nil) {
        (self.epoch, self.step, self.trainLoss, self.accuracy, self.macroF1, self.score) = (epoch, step, trainLoss, accuracy, macroF1, score)
        self.taskScores = taskScores
    }
}

/// One task's score in a multi-task evaluation.
public struct TaskScore: Codable, Sendable, Equatable {
    public let task: String
    public let score: Double

    public init(task: String, score: Double) { (self.task, self.score) = (task, score) }
}

/// One task's dev evaluation: the report its head kind gives, and the numbers the history keeps.
public struct TaskEvaluation: Codable, Sendable {
    /// The task's name; nil for the one task of a single-task run.
    public var task: String?
    public var report: ClassificationReport?
    public var multiLabel: MultiLabelReport?
    public var regression: RegressionReport?
    public var accuracy: Double
    public var macroF1: Double
    /// Accuracy, micro-F1 (multi-label) or Pearson (regression).
    public var score: Double

    public init(task: String?, report: ClassificationReport? = nil, multiLabel: MultiLabelReport? = nil, regression: RegressionReport? = nil,
                accuracy: Double, macroF1: Double, score: Double) {
        (self.task, self.report, self.multiLabel, self.regression) = (task, report, multiLabel, regression)
        (self.accuracy, self.macroF1, self.score) = (accuracy, macroF1, score)
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
            let tasks = p.taskScores.map { scores in
                ",\"task_scores\":{" + scores.map { String(format: "\"%@\":%.6f", $0.task, $0.score) }.joined(separator: ",") + "}"
            } ?? ""
            return String(format: "{\"event\":\"evaluation\",\"epoch\":%d,\"step\":%d,\"train_loss\":%.6f,\"accuracy\":%.6f,\"macro_f1\":%.6f,\"score\":%.6f%@}",
                          p.epoch, p.step, p.trainLoss, p.accuracy, p.macroF1, p.score, tasks)
        }
    }
}

/// What a fine-tuning run reached.
public struct FineTuningResult: Codable, Sendable {
    /// The labels of the (first) task.
    public let labels: [String]
    /// The dev report of the kept (best) weights for the (first) task: single-label, multi-label with its
    /// tuned thresholds, or regression.
    public let best: ClassificationReport?
    public let bestMultiLabel: MultiLabelReport?
    public let bestRegression: RegressionReport?
    /// Every task's labels and dev evaluation of the kept weights, in task order (one for a single task).
    public let tasks: [TaskResult]
    public let history: [EvaluationPoint]
    public let steps: Int
    /// The whole run, from loading the model to the kept weights.
    public let seconds: Double
    /// The part of `seconds` spent scoring dev (so `seconds − evaluationSeconds` is the training alone).
    public var evaluationSeconds: Double?
    /// True when the caller's stop condition (a time budget) ended training before its epochs were done.
    public var endedEarly: Bool?
    /// With keep "average": how many epochs' end weights the kept weights average (the last ones).
    public var averagedEpochs: Int?
    /// Whether transfer helped (set by `train` unless --no-verdict).
    public var verdict: TransferVerdict?

    public init(tasks: [TaskResult], history: [EvaluationPoint], steps: Int, seconds: Double) {
        precondition(!tasks.isEmpty, "a run has a task")
        let first = tasks[0]
        (labels, best, bestMultiLabel, bestRegression) = (first.labels, first.evaluation.report, first.evaluation.multiLabel, first.evaluation.regression)
        (self.tasks, self.history, self.steps, self.seconds) = (tasks, history, steps, seconds)
    }
}

/// A task's labels and the dev evaluation of the weights a run kept.
public struct TaskResult: Codable, Sendable {
    public let labels: [String]
    public let evaluation: TaskEvaluation

    public init(labels: [String], evaluation: TaskEvaluation) { (self.labels, self.evaluation) = (labels, evaluation) }
}
