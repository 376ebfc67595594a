import Foundation
import TextTransferEncoders
import TextTransferTokenization

// Dev evaluation: each task scored by its head kind's report, one log line per task.
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
        let dev = task.dev
        switch task.kind {
        case .regression:
            let r = RegressionReport(predictions: probabilities(task: t, encodings: dev.encodings).map { Double($0[0]) }, targets: dev.values)
            log(String(format: "epoch %d step %d: train loss %.4f, dev MSE %.4f, Pearson %.4f, Spearman %.4f", epoch, step,
                       trainLoss, r.mse, r.pearson, r.spearman))
            return TaskEvaluation(task: task.name, regression: r, accuracy: 0, macroF1: 0, score: r.pearson)
        case .multiLabel:
            let p = probabilities(task: t, encodings: dev.encodings)
            let thresholds = MultiLabelReport.tunedThresholds(probabilities: p, gold: dev.multiHot, classes: task.labels.count)
            let m = MultiLabelReport(probabilities: p, gold: dev.multiHot, labels: task.labels, thresholds: thresholds)
            log(String(format: "epoch %d step %d: train loss %.4f, dev micro-F1 %.4f, macro-F1 %.4f, subset accuracy %.4f", epoch, step,
                       trainLoss, m.microF1, m.macroF1, m.subsetAccuracy))
            return TaskEvaluation(task: task.name, multiLabel: m, accuracy: m.subsetAccuracy, macroF1: m.macroF1, score: m.microF1)
        case .softmax, .ordinal:
            let r = evaluate(task: t, encodings: dev.encodings, gold: dev.gold)
            log(String(format: "epoch %d step %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f", epoch, step, trainLoss,
                       r.accuracy, r.macroF1))
            return TaskEvaluation(task: task.name, report: r, accuracy: r.accuracy, macroF1: r.macroF1, score: r.accuracy)
        }
    }

    /// Dev metrics of the current weights on task `t`. Dev examples whose label never occurs in training
    /// (warned about when training starts) are left out: the head cannot name them.
    package func evaluate(task t: Int = 0, encodings: [Encoding], gold: [Int]) -> ClassificationReport {
        guard let model else { preconditionFailure("train first") }
        let head = decoders[t]
        let scored = mapLengthSortedBatches(encodings, batchSize: 64) { members in
            model.logits(TokenBatch(encodings: members.map { encodings[$0] }), task: t).map { z in
                let k = head.predictedClass(z[...])
                return (predicted: k, confidence: Double(head.probabilities(z[...])[k]))
            }
        }
        let (predicted, confidence) = (scored.map(\.predicted), scored.map(\.confidence))
        let known = gold.indices.filter { gold[$0] >= 0 }
        return ClassificationReport(gold: known.map { gold[$0] }, predicted: known.map { predicted[$0] }, labels: tasks[t].labels,
                                    confidences: known.map { confidence[$0] })
    }

    /// Task `t`'s class probabilities for each encoding, in input order.
    package func probabilities(task t: Int = 0, encodings: [Encoding]) -> [[Float]] {
        guard let model else { preconditionFailure("train first") }
        let head = decoders[t]
        return mapLengthSortedBatches(encodings, batchSize: 64) { members in
            model.logits(TokenBatch(encodings: members.map { encodings[$0] }), task: t).map { head.probabilities($0[...]) }
        }
    }
}
