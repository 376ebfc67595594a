import Foundation

/// Independent tags: K sigmoid outputs, binary cross-entropy on multi-hot targets; a class is predicted
/// where its probability reaches its threshold, tuned on dev. A row's tags are joined by the label
/// separator ("DESC|DESC:manner").
package enum MultiLabelHead: HeadKind {
    package static func tags(_ label: String, separator: String) -> [String] {
        label.split(separator: Character(separator)).map(String.init)
    }

    package static func trainingTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (classes: [Int], rows: [[Float]]) {
        (examples.map { _ in 0 }, examples.map { e in labels.map { tags(e.label, separator: separator).contains($0) ? 1 : 0 } })
    }

    package static func devTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (multiHot: [[Bool]], values: [Double]) {
        (examples.map { e in labels.map { tags(e.label, separator: separator).contains($0) } }, [])
    }

    package static func loss(logits: [Float], labels: [Int], targets: [Float]?, classes: Int, labelSmoothing: Float,
                             classWeights: [Float]?) -> (loss: Float, gradient: [Float]) {
        guard let targets else { preconditionFailure("a multi-label head trains on multi-hot targets") }
        return binaryCrossEntropyWithLogits(logits: logits, targets: targets)
    }

    package static func probabilities(_ logits: ArraySlice<Float>, classes: Int) -> [Float] {
        logits.map { 1 / (1 + Foundation.exp(-$0)) }
    }

    package static func decode(_ probabilities: [Float], logits: ArraySlice<Float>, labels: [String], thresholds: [Float]?,
                               separator: String) -> (label: String, tags: [String]) {
        guard let thresholds else {
            let label = labels[predictedClass(logits)]
            return (label, [label])
        }
        let tags = labels.indices.filter { probabilities[$0] >= thresholds[$0] }.map { labels[$0] }
        return (tags.joined(separator: separator), tags)
    }

    package static func evaluate(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String) {
        let p = logits.map { probabilities($0[...], classes: labels.count) }
        let thresholds = MultiLabelReport.tunedThresholds(probabilities: p, gold: dev.multiHot, classes: labels.count)
        let m = MultiLabelReport(probabilities: p, gold: dev.multiHot, labels: labels, thresholds: thresholds)
        return (TaskEvaluation(task: task, multiLabel: m, accuracy: m.subsetAccuracy, macroF1: m.macroF1, score: m.microF1),
                String(format: "dev micro-F1 %.4f, macro-F1 %.4f, subset accuracy %.4f", m.microF1, m.macroF1, m.subsetAccuracy))
    }
}
