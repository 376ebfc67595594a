import Foundation
import TextTransferEncoders
import TextTransferTokenization

// Dev evaluation: each task scored by its head kind's report (HeadKind.evaluate), one log line per task.
extension Trainer {
    /// Scores the current weights on every task's dev set, logging a line per task (and the combined
    /// score for several), and returns the point for the history with each task's evaluation.
    func score(epoch: Int, step: Int, trainLoss: Double, log: (String) -> Void) -> ScoredWeights {
        let evaluations = tasks.indices.map { t in
            score(task: t, epoch: epoch, step: step, trainLoss: trainLoss, log: { log((tasks[t].name.map { "[\($0)] " } ?? "") + $0) })
        }
        let scored = ScoredWeights(evaluations, epoch: epoch, step: step, trainLoss: trainLoss)
        if tasks.count > 1 {
            log(String(format: "epoch %d step %d: combined dev score %.4f (the mean of the tasks')", epoch, step, scored.point.score))
        }
        return scored
    }

    private func score(task t: Int, epoch: Int, step: Int, trainLoss: Double, log: (String) -> Void) -> TaskEvaluation {
        let task = tasks[t]
        let (evaluation, line) = task.kind.rules.evaluate(logits: logits(task: t, encodings: task.dev.encodings), dev: task.dev,
                                                          labels: task.labels, task: task.name)
        log(String(format: "epoch %d step %d: train loss %.4f, ", epoch, step, trainLoss) + line)
        return evaluation
    }

    /// Task `t`'s logits for each encoding, in input order.
    package func logits(task t: Int, encodings: [Encoding]) -> [[Float]] {
        guard let model else { preconditionFailure("train first") }
        return mapLengthSortedBatches(encodings, batchSize: 64) { members in
            model.logits(TokenBatch(encodings: members.map { encodings[$0] }), task: t)
        }
    }
}
