import Foundation
import TextTransferCore
import TextTransferIO

/// Where and when a fine-tuning run saves checkpoints, and whether it resumes from one.
public struct CheckpointOptions {
    /// The checkpoint directory (replaced atomically at every save).
    public var directory: String
    /// Also save every N steps; a checkpoint is always saved at the end of each epoch and on interruption.
    public var every: Int?
    /// Continue from the checkpoint in `directory` when there is one.
    public var resume: Bool
    /// Polled after every step; returning true saves a checkpoint and stops with `TrainingInterrupted`.
    public var shouldStop: () -> Bool

    public init(directory: String, every: Int? = nil, resume: Bool = false, shouldStop: @escaping () -> Bool = { false }) {
        self.directory = directory
        self.every = every
        self.resume = resume
        self.shouldStop = shouldStop
    }
}

/// Training stopped on request after saving a checkpoint.
public struct TrainingInterrupted: Error, CustomStringConvertible, LocalizedError {
    /// What `localizedDescription` shows: the same one line as `description`.
    public var errorDescription: String? { description }

    public let step: Int
    public let checkpoint: String

    public init(step: Int, checkpoint: String) {
        self.step = step
        self.checkpoint = checkpoint
    }

    public var description: String { "interrupted after step \(step); checkpoint saved in \(checkpoint): run again with --resume to continue" }
}

/// Everything a run needs to continue exactly where it stopped: with the same seed and thread count the
/// resumed run ends with bit-identical weights. Tensors (values, both AdamW moments, the best weights so
/// far, the sum of the weights averaged so far) go to state.safetensors, the rest to state.json.
package struct TrainingCheckpoint: Codable {
    package var epoch: Int
    package var batchesDone: Int
    package var step: Int
    /// The batch-order generator at the start of `epoch`, so that epoch's batches are drawn again.
    package var epochGeneratorState: [UInt64]
    package var dropoutGeneratorState: [UInt64]
    package var classifierSteps: Int
    package var optimizerSteps: Int
    package var lossSum: Double
    package var lossCount: Int
    package var history: [EvaluationPoint]
    package var bestScore: Double?
    /// Each task's evaluation of the best weights so far.
    package var bestTasks: [TaskEvaluation]?
    package var sinceBest: Int
    /// Each task's labels.
    package var labels: [[String]]
    package var configuration: FineTuningConfiguration
    /// With keep "average": the epochs summed so far (their sum is the tensor "average.sum"); nil before the first.
    package var averagedEpochs: Int?

    package init(epoch: Int, batchesDone: Int, step: Int, epochGeneratorState: [UInt64], dropoutGeneratorState: [UInt64], classifierSteps: Int, optimizerSteps: Int, lossSum: Double, lossCount: Int, history: [EvaluationPoint], bestScore: Double?, bestTasks: [TaskEvaluation]?, sinceBest: Int, labels: [[String]], configuration: FineTuningConfiguration, averagedEpochs: Int? = nil) {
        self.epoch = epoch
        self.batchesDone = batchesDone
        self.step = step
        self.epochGeneratorState = epochGeneratorState
        self.dropoutGeneratorState = dropoutGeneratorState
        self.classifierSteps = classifierSteps
        self.optimizerSteps = optimizerSteps
        self.lossSum = lossSum
        self.lossCount = lossCount
        self.history = history
        self.bestScore = bestScore
        self.bestTasks = bestTasks
        self.sinceBest = sinceBest
        self.labels = labels
        self.configuration = configuration
        self.averagedEpochs = averagedEpochs
    }

    package func write(to directory: String, values: [Float], first: [Float], second: [Float], best: [Float]?, averageSum: [Float]? = nil) throws {
        let view = { (array: [Float]) in SafetensorsWriter.FloatView(shape: [array.count], array: array) }
        var views = ["values": view(values), "adam.first": view(first), "adam.second": view(second)]
        if let best { views["best"] = view(best) }
        if let averageSum { views["average.sum"] = view(averageSum) }
        try CheckpointFiles.write(self, views: views, to: directory)
    }

    /// Checks what the run record needs to continue: counters in range, generator states of 4 words.
    package func validate(path: String) throws {
        func check(_ ok: Bool, _ key: String, _ message: String) throws {
            if !ok { throw ModelFileError(file: path, key: key, message: message) }
        }
        try check(epoch >= 1 && epoch <= configuration.epochs + 1, "epoch", "\(epoch) is outside the run's epochs 1...\(configuration.epochs) (or \(configuration.epochs + 1): finished)")
        for (value, key) in [(batchesDone, "batchesDone"), (step, "step"), (classifierSteps, "classifierSteps"),
                             (optimizerSteps, "optimizerSteps"), (lossCount, "lossCount"), (sinceBest, "sinceBest")] {
            try check(value >= 0, key, "must not be negative, got \(value)")
        }
        if let averagedEpochs { try check(averagedEpochs >= 1, "averagedEpochs", "counts the epochs summed, at least 1, got \(averagedEpochs)") }
        try check(epochGeneratorState.count == 4, "epochGeneratorState", "a generator state has 4 words, found \(epochGeneratorState.count)")
        try check(dropoutGeneratorState.count == 4, "dropoutGeneratorState", "a generator state has 4 words, found \(dropoutGeneratorState.count)")
        try check(lossSum.isFinite, "lossSum", "must be finite")
    }

    package static func read(from directory: String) throws -> (TrainingCheckpoint, SafetensorsReader) {
        (try CheckpointFiles.readState(TrainingCheckpoint.self, from: directory), try CheckpointFiles.tensors(in: directory))
    }
}
