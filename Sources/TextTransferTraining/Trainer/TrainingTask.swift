import Foundation
import TextTransferTokenization

/// A labelled task to train: its examples, and for multi-task runs its name, head kind and label order.
public struct TrainingTask: Sendable {
    /// nil for the one task of a single-task run (its head and labels come from the configuration).
    public var name: String?
    public var head: ClassificationHead.Kind
    /// Class names in order (required for an ordinal head); nil: the training labels, sorted.
    public var labels: [String]?
    public var train: [LabeledExample]
    public var dev: [LabeledExample]
    /// How errors name the two example sets ("train" and "dev" unless set, e.g. to their files).
    public var trainSource = "train", devSource = "dev"

    public init(name: String?, head: ClassificationHead.Kind = .softmax, labels: [String]? = nil,
                train: [LabeledExample], dev: [LabeledExample]) {
        (self.name, self.head, self.labels, self.train, self.dev) = (name, head, labels, train, dev)
    }

    /// What the configuration records of it.
    public var settings: TaskSettings { TaskSettings(name: name ?? "", head: head, labels: labels) }
}

/// A task as training reads it: the label list, the training targets, the dev data in the form its head
/// is scored on, and the class weights.
package struct PreparedTask {
    package let name: String?
    package let kind: ClassificationHead.Kind
    package let labels: [String]
    package let targets: TrainingTargets
    package let dev: DevSet
    package let classWeights: [Float]?

    /// The tags of a row: several for a multi-label head ("DESC|DESC:manner"), else the label itself.
    private static func tags(_ example: LabeledExample, kind: ClassificationHead.Kind, separator: String) -> [String] {
        kind == .multiLabel ? example.label.split(separator: Character(separator)).map(String.init) : [example.label]
    }

    /// The class names in order: given (required for the ordinal head), else the training labels sorted;
    /// a dev label never seen in training is a warning.
    package static func labels(of task: TrainingTask, separator: String, log: (String) -> Void) throws -> [String] {
        let kind = task.head
        if kind == .regression { return ["value"] }
        func tags(_ example: LabeledExample) -> [String] { Self.tags(example, kind: kind, separator: separator) }
        let labels: [String]
        let option = task.name.map { "the labels of task \($0)" } ?? "--labels"
        if let given = task.labels {
            labels = given
            if let stranger = task.train.first(where: { !tags($0).allSatisfy(given.contains) }) {
                throw DataError(file: task.trainSource, line: stranger.line,
                                message: "label '\(stranger.label)' is not in \(option) (\(given.joined(separator: ", ")))")
            }
        } else {
            guard kind != .ordinal else { throw DataError(file: option, message: "the ordinal head needs the labels in order") }
            labels = Array(Set(task.train.flatMap(tags))).sorted()
        }
        guard labels.count >= 2 else { throw DataError(file: task.trainSource, message: "training needs at least two labels, found \(labels)") }
        for example in task.dev where !tags(example).allSatisfy(labels.contains) {
            log("warning: dev label '\(example.label)' (line \(example.line)) never occurs in training")
        }
        return labels
    }

    /// Encodes the task's examples and targets for `labels` (from `labels(of:separator:log:)`).
    package init(_ task: TrainingTask, labels: [String], configuration c: FineTuningConfiguration, encode: (LabeledExample) -> Encoding) throws {
        let kind = task.head
        func tags(_ example: LabeledExample) -> [String] { Self.tags(example, kind: kind, separator: c.labelSeparator) }
        /// A regression target, or an error naming the file and line.
        func numericTarget(_ example: LabeledExample, file: String) throws -> Float {
            guard let v = Float(example.label.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw DataError(file: file, line: example.line,
                                message: "label '\(example.label)' is not a number (the regression head needs numeric targets)")
            }
            return v
        }
        name = task.name
        self.kind = kind
        self.labels = labels
        let single = kind == .softmax || kind == .ordinal
        targets = TrainingTargets(
            encodings: task.train.map(encode),
            classes: single ? task.train.map { labels.firstIndex(of: $0.label)! } : task.train.map { _ in 0 },
            rows: kind == .multiLabel ? task.train.map { e in labels.map { tags(e).contains($0) ? 1 : 0 } }
                : kind == .regression ? try task.train.map { [try numericTarget($0, file: task.trainSource)] } : [])
        dev = DevSet(encodings: task.dev.map(encode), gold: task.dev.map { labels.firstIndex(of: $0.label) ?? -1 },
                     multiHot: kind == .multiLabel ? task.dev.map { e in labels.map { tags(e).contains($0) } } : [],
                     values: kind == .regression ? try task.dev.map { Double(try numericTarget($0, file: task.devSource)) } : [])
        // balanced: each class weighs N / (K · count) in the loss (scikit-learn's rule); nil: equal weights.
        switch c.classWeights {
        case nil: classWeights = nil
        case .balanced?:
            let classes = targets.classes
            let counts = (0..<labels.count).map { k in classes.filter { $0 == k }.count }
            classWeights = counts.map { Float(classes.count) / Float(labels.count * $0) }
        }
    }
}

/// Tokens and targets of the training examples: class indices for softmax and ordinal heads (zeros for
/// the others), multi-hot rows for multi-label, one-value rows for regression.
package struct TrainingTargets {
    package let encodings: [Encoding]
    package let classes: [Int]
    package let rows: [[Float]]

    /// The flat targets of a batch for the heads that train on rows; nil for the others.
    package func rows(_ members: [Int]) -> [Float]? { rows.isEmpty ? nil : members.flatMap { rows[$0] } }
}

/// Dev examples: tokens, gold class (−1 for a label never seen in training), multi-hot tags, numbers.
package struct DevSet {
    package let encodings: [Encoding]
    package let gold: [Int]
    package let multiHot: [[Bool]]
    package let values: [Double]
}
