import TextTransferCore

/// What a run has done so far — steps, the evaluation history, the best weights — shared by the loop,
/// the evaluations and the checkpoints.
package final class RunRecord {
    /// The weights with the best dev score so far, and their reports.
    package struct KeptWeights {
        package var score: Double
        package var values: [Float]
        package var report: ClassificationReport?
        package var multiLabel: MultiLabelReport?
        package var regression: RegressionReport?

        package init(score: Double, values: [Float], report: ClassificationReport?, multiLabel: MultiLabelReport?, regression: RegressionReport?) {
            (self.score, self.values, self.report, self.multiLabel, self.regression) = (score, values, report, multiLabel, regression)
        }
    }

    package init() {}

    package var step = 0
    package var history: [EvaluationPoint] = []
    package var best: KeptWeights?
    /// Evaluations since the best one (for early stopping).
    package var sinceBest = 0
    /// The running mean of this epoch's training loss.
    package var lossSum = 0.0, lossCount = 0
    package var meanLoss: Double { lossSum / Double(max(lossCount, 1)) }

    /// Adds an evaluation to the history and keeps the weights when they score best so far; returns
    /// whether `patience` evaluations have passed without improvement.
    package func record(_ scored: ScoredWeights, store: ParameterStore, patience: Int?) -> Bool {
        history.append(scored.point)
        if best == nil || scored.point.score > best!.score {
            best = KeptWeights(score: scored.point.score, values: Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)),
                               report: scored.report, multiLabel: scored.multiLabel, regression: scored.regression)
            sinceBest = 0
        } else {
            sinceBest += 1
        }
        return patience.map { sinceBest >= $0 } ?? false
    }
}

/// One dev evaluation: the point for the history and the head's report.
package struct ScoredWeights {
    package let point: EvaluationPoint
    package var report: ClassificationReport?
    package var multiLabel: MultiLabelReport?
    package var regression: RegressionReport?

    package init(point: EvaluationPoint, report: ClassificationReport? = nil, multiLabel: MultiLabelReport? = nil,
                 regression: RegressionReport? = nil) {
        (self.point, self.report, self.multiLabel, self.regression) = (point, report, multiLabel, regression)
    }
}
