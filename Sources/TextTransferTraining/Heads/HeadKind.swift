import Foundation
import TextTransferCore

/// Everything one kind of head means, in one file per kind — SoftmaxHead, OrdinalHead, MultiLabelHead,
/// RegressionHead: its outputs and parameters, how it reads labels into targets, its loss, how its logits
/// decode into probabilities, classes and a prediction, and its dev report. A new head kind is a new
/// conforming type and a case of `ClassificationHead.Kind`.
package protocol HeadKind {
    /// The fewest classes the head makes sense for.
    static var minimumClasses: Int { get }
    /// Logits per example.
    static func outputs(classes: Int) -> Int
    /// `<prefix>.weight` and `<prefix>.bias`.
    static func parameterShapes(classes: Int, width: Int, prefix: String) -> [(name: String, shape: [Int])]
    /// Logits (B, outputs) from the classifier's input x (B, C).
    static func logits(_ x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore, rows: Int, into logits: UnsafeMutablePointer<Float>)
    /// Backward of `logits`: accumulates the parameter gradients and dx (B, C).
    static func backward(_ dLogits: UnsafePointer<Float>, x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore,
                         rows: Int, dx: UnsafeMutablePointer<Float>)
    /// After the N(0, 0.02) start: anything the head sets from the training labels (class indices).
    static func initialize(_ head: ClassificationHead, store: ParameterStore, trainingClasses: [Int])
    /// The learning-rate multiplier of the bias over the head's own.
    static var biasLearningRateScale: Float { get }
    /// Whether the loss takes label smoothing and class weights.
    static var weighsClasses: Bool { get }

    /// The tags of a row: several for a multi-label head ("DESC|DESC:manner"), else the label itself.
    static func tags(_ label: String, separator: String) -> [String]
    /// The class names in order, from the given list or the training labels (of task `task`, nil for the
    /// one task of a single-task run).
    static func labels(given: [String]?, training: [LabeledExample], separator: String, task: String?, source: String) throws -> [String]
    /// Per training example: a class index (or 0), and a row of targets where the loss reads rows.
    static func trainingTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (classes: [Int], rows: [[Float]])
    /// Per dev example: multi-hot tags or numeric values, where the report needs them.
    static func devTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (multiHot: [[Bool]], values: [Double])

    /// The loss of logits (B · outputs) and its gradient: `labels` class indices, `targets` the rows.
    static func loss(logits: [Float], labels: [Int], targets: [Float]?, classes: Int, labelSmoothing: Float,
                     classWeights: [Float]?) -> (loss: Float, gradient: [Float])
    /// Class probabilities (or for regression the value) from one example's logits.
    static func probabilities(_ logits: ArraySlice<Float>, classes: Int) -> [Float]
    /// The predicted class index.
    static func predictedClass(_ logits: ArraySlice<Float>) -> Int
    /// A prediction's label and tags from its probabilities.
    static func decode(_ probabilities: [Float], logits: ArraySlice<Float>, labels: [String], thresholds: [Float]?,
                       separator: String) -> (label: String, tags: [String])
    /// The dev report of logits (one row per dev example) and its log line.
    static func evaluate(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String)
}

// What most kinds share: one linear layer to K logits, class labels as they are, no extra targets.
extension HeadKind {
    package static var minimumClasses: Int { 1 }
    package static func outputs(classes: Int) -> Int { classes }
    package static func parameterShapes(classes: Int, width: Int, prefix: String) -> [(name: String, shape: [Int])] {
        [(prefix + ".weight", [classes, width]), (prefix + ".bias", [classes])]
    }
    package static func logits(_ x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore, rows: Int,
                               into logits: UnsafeMutablePointer<Float>) {
        linearForward(x: x, weight: store.value(head.weightName).pointer, bias: store.value(head.biasName).pointer,
                      y: logits, rows: rows, inFeatures: head.width, outFeatures: head.classes)
    }
    package static func backward(_ dLogits: UnsafePointer<Float>, x: UnsafePointer<Float>, head: ClassificationHead, store: ParameterStore,
                                 rows: Int, dx: UnsafeMutablePointer<Float>) {
        linearBackward(x: x, weight: store.value(head.weightName).pointer, dy: dLogits, dx: dx, dWeight: store.gradient(head.weightName).pointer,
                       dBias: store.gradient(head.biasName).pointer, rows: rows, inFeatures: head.width, outFeatures: head.classes)
    }
    package static func initialize(_ head: ClassificationHead, store: ParameterStore, trainingClasses: [Int]) {}
    package static var biasLearningRateScale: Float { 1 }
    package static var weighsClasses: Bool { false }
    package static func tags(_ label: String, separator: String) -> [String] { [label] }

    package static func labels(given: [String]?, training: [LabeledExample], separator: String, task: String?, source: String) throws -> [String] {
        let labels: [String]
        if let given {
            labels = given
            if let stranger = training.first(where: { !tags($0.label, separator: separator).allSatisfy(given.contains) }) {
                let list = task.map { "the labels of task \($0)" } ?? "the labels given"
                throw DataError(file: source, line: stranger.line,
                                message: "label '\(stranger.label)' is not among \(list) (\(given.joined(separator: ", ")))")
            }
        } else {
            labels = Array(Set(training.flatMap { tags($0.label, separator: separator) })).sorted()
        }
        guard labels.count >= 2 else { throw DataError(file: source, message: "training needs at least two labels, found \(labels)") }
        return labels
    }

    package static func trainingTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (classes: [Int], rows: [[Float]]) {
        (examples.map { labels.firstIndex(of: $0.label)! }, [])
    }

    package static func devTargets(_ examples: [LabeledExample], labels: [String], separator: String, source: String) throws
        -> (multiHot: [[Bool]], values: [Double]) {
        ([], [])
    }

    package static func predictedClass(_ logits: ArraySlice<Float>) -> Int {
        logits.indices.max { logits[$0] < logits[$1] }! - logits.startIndex
    }

    package static func decode(_ probabilities: [Float], logits: ArraySlice<Float>, labels: [String], thresholds: [Float]?,
                               separator: String) -> (label: String, tags: [String]) {
        let label = labels[predictedClass(logits)]
        return (label, [label])
    }

    /// Accuracy and macro-F1 of the predicted classes: the single-label report. Dev examples whose label
    /// never occurs in training (gold −1, warned about when training starts) are left out: the head cannot
    /// name them.
    package static func classReport(logits: [[Float]], dev: DevSet, labels: [String], task: String?) -> (TaskEvaluation, line: String) {
        let predicted = logits.map { predictedClass($0[...]) }
        let confidence = zip(logits, predicted).map { z, k in Double(probabilities(z[...], classes: labels.count)[k]) }
        let known = dev.gold.indices.filter { dev.gold[$0] >= 0 }
        let r = ClassificationReport(gold: known.map { dev.gold[$0] }, predicted: known.map { predicted[$0] }, labels: labels,
                                     confidences: known.map { confidence[$0] })
        return (TaskEvaluation(task: task, report: r, accuracy: r.accuracy, macroF1: r.macroF1, score: r.accuracy),
                String(format: "dev accuracy %.4f, macro-F1 %.4f", r.accuracy, r.macroF1))
    }

    /// A target read as a number, or an error naming the file and line.
    package static func numericTarget(_ example: LabeledExample, source: String) throws -> Float {
        guard let v = Float(example.label.trimmingCharacters(in: .whitespaces)), v.isFinite else {
            throw DataError(file: source, line: example.line,
                            message: "label '\(example.label)' is not a number (the regression head needs numeric targets)")
        }
        return v
    }
}

extension ClassificationHead.Kind {
    /// What this kind of head means.
    package var rules: any HeadKind.Type {
        switch self {
        case .softmax: SoftmaxHead.self
        case .ordinal: OrdinalHead.self
        case .multiLabel: MultiLabelHead.self
        case .regression: RegressionHead.self
        }
    }
}
