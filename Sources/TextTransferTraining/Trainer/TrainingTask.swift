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
    /// Knowledge distillation: what a teacher said of the training examples, and of more texts.
    public var teacher: TeacherLabels?

    /// A teacher's logits (K per text, in the task's label order) for each training example, and an
    /// unlabelled transfer set (more texts, augmented ones) with the teacher's logits alone.
    public struct TeacherLabels: Sendable {
        public var logits: [[Float]]
        public var unlabeled: [LabeledExample]
        public var unlabeledLogits: [[Float]]
        /// The teacher's pooled states of the training examples then of the unlabelled texts, for
        /// hidden-state matching (`DistillationSettings.hiddenWeight`); nil without it.
        public var states: [[Float]]?

        public init(logits: [[Float]], unlabeled: [LabeledExample] = [], unlabeledLogits: [[Float]] = [], states: [[Float]]? = nil) {
            precondition(unlabeled.count == unlabeledLogits.count, "one row of logits per unlabelled text")
            precondition(states == nil || states!.count == logits.count + unlabeled.count, "one teacher state per text")
            (self.logits, self.unlabeled, self.unlabeledLogits, self.states) = (logits, unlabeled, unlabeledLogits, states)
        }
    }

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
    /// The teacher's logits per training example (the unlabelled transfer set after the labelled ones,
    /// with class −1); nil without a teacher.
    package let teacherLogits: [[Float]]?
    /// The teacher's pooled states in the same order, for hidden-state matching; nil without.
    package let teacherStates: [[Float]]?

    /// The class names in order (from the head kind's rules); a dev label never seen in training is a warning.
    package static func labels(of task: TrainingTask, separator: String, log: (String) -> Void) throws -> [String] {
        let rules = task.head.rules
        let labels = try rules.labels(given: task.labels, training: task.train, separator: separator, task: task.name, source: task.trainSource)
        if task.head != .regression {
            for example in task.dev where !rules.tags(example.label, separator: separator).allSatisfy(labels.contains) {
                log("warning: dev label '\(example.label)' (line \(example.line)) never occurs in training")
            }
        }
        return labels
    }

    /// Encodes the task's examples and reads their targets for `labels` (from `labels(of:separator:log:)`).
    package init(_ task: TrainingTask, labels: [String], configuration c: FineTuningConfiguration, encode: (LabeledExample) -> Encoding) throws {
        let rules = task.head.rules
        (name, kind, self.labels) = (task.name, task.head, labels)
        let train = try rules.trainingTargets(task.train, labels: labels, separator: c.labelSeparator, source: task.trainSource)
        if let teacher = task.teacher {
            precondition(teacher.logits.count == task.train.count, "one row of teacher logits per training example")
            targets = TrainingTargets(encodings: (task.train + teacher.unlabeled).map(encode),
                                      classes: train.classes + teacher.unlabeled.map { _ in -1 }, rows: train.rows)
            teacherLogits = teacher.logits + teacher.unlabeledLogits
            teacherStates = teacher.states
        } else {
            targets = TrainingTargets(encodings: task.train.map(encode), classes: train.classes, rows: train.rows)
            (teacherLogits, teacherStates) = (nil, nil)
        }
        let dev = try rules.devTargets(task.dev, labels: labels, separator: c.labelSeparator, source: task.devSource)
        self.dev = DevSet(encodings: task.dev.map(encode), gold: task.dev.map { labels.firstIndex(of: $0.label) ?? -1 },
                          multiHot: dev.multiHot, values: dev.values)
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
