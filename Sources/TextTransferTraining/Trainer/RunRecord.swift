import TextTransferCore

/// What a run has done so far — steps, the evaluation history, the best weights — shared by the loop,
/// the evaluations and the checkpoints.
package final class RunRecord {
    /// The weights with the best dev score so far, and their reports.
    package struct KeptWeights {
        package var score: Double
        package var values: [Float]
        /// Each task's evaluation of these weights.
        package var tasks: [TaskEvaluation]

        package init(score: Double, values: [Float], tasks: [TaskEvaluation]) {
            (self.score, self.values, self.tasks) = (score, values, tasks)
        }
    }

    package init() {}

    package var step = 0
    package var history: [EvaluationPoint] = []
    package var best: KeptWeights?
    /// Evaluations since the best one (for early stopping).
    package var sinceBest = 0
    /// With keep "average": the sum of the weights at the ends of the epochs averaged so far, and their count.
    package var averageSum: [Float]?
    package var averagedEpochs = 0
    /// The running mean of this epoch's training loss.
    package var lossSum = 0.0, lossCount = 0
    package var meanLoss: Double { lossSum / Double(max(lossCount, 1)) }

    /// Adds the weights as they stand (an epoch's end) to the average.
    package func addToAverage(_ store: ParameterStore) {
        let values = UnsafeBufferPointer(start: store.values.pointer, count: store.count)
        if averageSum == nil {
            averageSum = Array(values)
        } else {
            averageSum!.withUnsafeMutableBufferPointer { sum in for i in 0..<sum.count { sum[i] += values[i] } }
        }
        averagedEpochs += 1
    }

    /// Writes the mean of the averaged weights into `store`; false when no epoch was averaged.
    package func applyAverage(to store: ParameterStore) -> Bool {
        guard let averageSum, averagedEpochs > 0 else { return false }
        let scale = 1 / Float(averagedEpochs)
        averageSum.withUnsafeBufferPointer { sum in for i in 0..<sum.count { store.values.pointer[i] = sum[i] * scale } }
        return true
    }

    /// Adds an evaluation to the history and keeps the weights when they score best so far; returns
    /// whether `patience` evaluations have passed without improvement.
    package func record(_ scored: ScoredWeights, store: ParameterStore, patience: Int?) -> Bool {
        history.append(scored.point)
        if best == nil || scored.point.score > best!.score {
            best = KeptWeights(score: scored.point.score, values: Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)),
                               tasks: scored.tasks)
            sinceBest = 0
        } else {
            sinceBest += 1
        }
        return patience.map { sinceBest >= $0 } ?? false
    }
}

/// One dev evaluation: the point for the history and each task's evaluation.
package struct ScoredWeights {
    package let point: EvaluationPoint
    package let tasks: [TaskEvaluation]

    /// The point of one task's evaluation, or of several tasks' (their means, and each task's score).
    package init(_ tasks: [TaskEvaluation], epoch: Int, step: Int, trainLoss: Double) {
        precondition(!tasks.isEmpty, "an evaluation scores a task")
        self.tasks = tasks
        if tasks.count == 1 {
            let t = tasks[0]
            point = EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: t.accuracy, macroF1: t.macroF1, score: t.score)
        } else {
            func mean(_ value: (TaskEvaluation) -> Double) -> Double { tasks.map(value).reduce(0, +) / Double(tasks.count) }
            point = EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: mean(\.accuracy), macroF1: mean(\.macroF1),
                                    score: mean(\.score), taskScores: tasks.map { TaskScore(task: $0.task ?? "", score: $0.score) })
        }
    }
}
