import Foundation
import TextTransferTokenization
import TextTransferTraining

// What training reads from the examples, per head: the label list, the training targets, and the dev data
// in the form the head is scored on.
extension FineTuner {
    /// The tags of a row: several for a multi-label head ("DESC|DESC:manner"), else the label itself.
    func tags(_ example: LabeledExample) -> [String] {
        configuration.head == .multiLabel
            ? example.label.split(separator: Character(configuration.labelSeparator)).map(String.init) : [example.label]
    }

    /// A regression target, or an error naming the file and line.
    func numericTarget(_ example: LabeledExample, file: String) throws -> Float {
        guard let v = Float(example.label.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw DataError(file: file, line: example.line,
                            message: "label '\(example.label)' is not a number (the regression head needs numeric targets)")
        }
        return v
    }

    /// The class names in order: given (`labels`, required for the ordinal head), else the training labels
    /// sorted; a dev label never seen in training is a warning.
    func resolveLabels(train: [LabeledExample], dev: [LabeledExample], log: (String) -> Void) throws -> [String] {
        let c = configuration
        if c.head == .regression { return ["value"] }
        let labels: [String]
        if let given = c.labels {
            labels = given
            if let stranger = train.first(where: { !tags($0).allSatisfy(given.contains) }) {
                throw DataError(file: "train", line: stranger.line, message: "label '\(stranger.label)' is not in --labels (\(given.joined(separator: ", ")))")
            }
        } else {
            guard c.head != .ordinal else { throw DataError(file: "--labels", message: "the ordinal head needs the labels in order") }
            labels = Array(Set(train.flatMap(tags))).sorted()
        }
        guard labels.count >= 2 else { throw DataError(file: "train", message: "training needs at least two labels, found \(labels)") }
        for example in dev where !tags(example).allSatisfy(labels.contains) {
            log("warning: dev label '\(example.label)' (line \(example.line)) never occurs in training")
        }
        return labels
    }

    /// Tokens and targets of the training examples.
    func trainingTargets(_ train: [LabeledExample]) throws -> TrainingTargets {
        let kind = configuration.head
        let single = kind == .softmax || kind == .ordinal
        return TrainingTargets(
            encodings: train.map(encode),
            classes: single ? train.map { labels.firstIndex(of: $0.label)! } : train.map { _ in 0 },
            rows: kind == .multiLabel ? train.map { e in labels.map { tags(e).contains($0) ? 1 : 0 } }
                : kind == .regression ? try train.map { [try numericTarget($0, file: "train")] } : [])
    }

    /// `balanced`: each class weighs N / (K · count) in the loss (scikit-learn's rule); nil: equal weights.
    func classWeights(_ classes: [Int]) throws -> [Float]? {
        switch configuration.classWeights {
        case nil: return nil
        case .balanced?:
            let counts = (0..<labels.count).map { k in classes.filter { $0 == k }.count }
            return counts.map { Float(classes.count) / Float(labels.count * $0) }
        }
    }

    /// The dev examples as the head is scored on them.
    func devSet(_ dev: [LabeledExample]) throws -> DevSet {
        let kind = configuration.head
        return DevSet(encodings: dev.map(encode), gold: dev.map { labels.firstIndex(of: $0.label) ?? -1 },
                      multiHot: kind == .multiLabel ? dev.map { e in labels.map { tags(e).contains($0) } } : [],
                      values: kind == .regression ? try dev.map { Double(try numericTarget($0, file: "dev")) } : [])
    }

    /// Scores the current weights on dev, logs one line, and returns the point with the head's report.
    func score(_ dev: DevSet, epoch: Int, step: Int, trainLoss: Double, log: (String) -> Void) -> ScoredWeights {
        switch configuration.head {
        case .regression:
            let r = RegressionReport(predictions: probabilities(encodings: dev.encodings).map { Double($0[0]) }, targets: dev.values)
            log(String(format: "epoch %d step %d: train loss %.4f, dev MSE %.4f, Pearson %.4f, Spearman %.4f", epoch, step,
                       trainLoss, r.mse, r.pearson, r.spearman))
            return ScoredWeights(point: EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: 0, macroF1: 0, score: r.pearson),
                                 regression: r)
        case .multiLabel:
            let p = probabilities(encodings: dev.encodings)
            let thresholds = MultiLabelReport.tunedThresholds(probabilities: p, gold: dev.multiHot, classes: labels.count)
            let m = MultiLabelReport(probabilities: p, gold: dev.multiHot, labels: labels, thresholds: thresholds)
            log(String(format: "epoch %d step %d: train loss %.4f, dev micro-F1 %.4f, macro-F1 %.4f, subset accuracy %.4f", epoch, step,
                       trainLoss, m.microF1, m.macroF1, m.subsetAccuracy))
            return ScoredWeights(point: EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: m.subsetAccuracy,
                                                        macroF1: m.macroF1, score: m.microF1),
                                 multiLabel: m)
        case .softmax, .ordinal:
            let r = evaluate(encodings: dev.encodings, gold: dev.gold)
            log(String(format: "epoch %d step %d: train loss %.4f, dev accuracy %.4f, macro-F1 %.4f", epoch, step, trainLoss,
                       r.accuracy, r.macroF1))
            return ScoredWeights(point: EvaluationPoint(epoch: epoch, step: step, trainLoss: trainLoss, accuracy: r.accuracy,
                                                        macroF1: r.macroF1, score: r.accuracy),
                                 report: r)
        }
    }
}

/// Tokens and targets of the training examples: class indices for softmax and ordinal heads (zeros for
/// the others), multi-hot rows for multi-label, one-value rows for regression.
struct TrainingTargets {
    let encodings: [Encoding]
    let classes: [Int]
    let rows: [[Float]]

    /// The flat targets of a batch for the heads that train on rows; nil for the others.
    func rows(_ members: [Int]) -> [Float]? { rows.isEmpty ? nil : members.flatMap { rows[$0] } }
}

/// Dev examples: tokens, gold class (−1 for a label never seen in training), multi-hot tags, numbers.
struct DevSet {
    let encodings: [Encoding]
    let gold: [Int]
    let multiHot: [[Bool]]
    let values: [Double]
}

