import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// Knowledge distillation: a fine-tuned classifier (the teacher) labels the training texts and an
/// unlabelled transfer set once, and a small student learns its logits — beside the same student trained
/// on the labels alone, so that the report says what distillation bought.
///
///     var student = FineTuningConfiguration()
///     student.encoder = .bilstm
///     student.embeddings = "glove.6B.300d.txt"
///     let distiller = try Distiller(teacher: "Models/sst2", student: student)
///     let report = try distiller.run(train: train, dev: dev, unlabeled: moreTexts)
///     print(report.table)
///     try distiller.save(to: "Models/sst2-bilstm")
public final class Distiller {
    public let teacherDirectory: String
    public let teacher: TextClassifier
    /// The student's settings: its encoder, recipe and `distillation` (T, α, soft loss).
    public let configuration: FineTuningConfiguration
    private var distilled: FineTuner?

    /// Reads the teacher (a softmax classifier saved by `train`) and checks the student's settings; the
    /// student learns the teacher's labels in the teacher's order, and without word vectors its embedding
    /// table starts from the teacher's WordPiece embeddings.
    public init(teacher directory: String, student: FineTuningConfiguration) throws {
        teacherDirectory = directory
        teacher = try TextClassifier(directory: directory)
        guard teacher.description.head == .softmax else {
            throw ModelFileError(file: directory, key: "head", message: "distillation learns a softmax teacher's logits, not a \(teacher.description.head.rawValue) head's")
        }
        var c = student
        c.head = .softmax
        c.labels = teacher.labels
        if !c.usesWordTokens { c.model = directory }
        if c.distillation == nil { c.distillation = DistillationSettings() }
        try c.validate()
        configuration = c
    }

    /// Trains the student on the labels alone, then distilled from the teacher (its logits on `train`
    /// and on `unlabeled`, computed once), and measures teacher, student alone and distilled student on
    /// `dev`: accuracy and macro-F1 with intervals, the gain with its interval, size and speed.
    public func run(train: [LabeledExample], dev: [LabeledExample], unlabeled: [String] = [], log: (String) -> Void = { _ in },
                    events: (TrainingEvent) -> Void = { _ in }) throws -> DistillationReport {
        let started = Date()
        let trainLogits = teacher.logits(train.map(\.text), pairs: pairs(train))
        let extraLogits = teacher.logits(unlabeled)
        let labelling = Date().timeIntervalSince(started)
        log(String(format: "the teacher labelled %d texts (%d training, %d unlabelled) in %.1f s", train.count + unlabeled.count,
                   train.count, unlabeled.count, labelling))
        try requireFinite(trainLogits + extraLogits)

        var aloneConfiguration = configuration
        aloneConfiguration.distillation = nil
        log("the student on the labels alone:")
        let alone = try FineTuner(configuration: aloneConfiguration)
        _ = try alone.train(train: train, dev: dev, log: log, events: events)
        log("the student distilled from the teacher:")
        let student = try FineTuner(configuration: configuration)
        var task = TrainingTask(name: nil, train: train, dev: dev)
        task.teacher = TrainingTask.TeacherLabels(
            logits: trainLogits, unlabeled: unlabeled.enumerated().map { LabeledExample(text: $1, label: "", line: $0 + 1) },
            unlabeledLogits: extraLogits)
        _ = try student.train(task, log: log, events: events)
        distilled = student

        // Each model is measured as an app would load it: from its saved directory.
        let scratch = NSTemporaryDirectory() + "distill-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try alone.save(to: scratch + "/alone")
        try student.save(to: scratch + "/distilled")
        let gold = dev.map { teacher.labels.firstIndex(of: $0.label) ?? -1 }
        let measured = try [("teacher", teacherDirectory), ("alone", scratch + "/alone"), ("distilled", scratch + "/distilled")].map { name, path in
            try DistillationReport.Model.measure(name: name, directory: path, dev: dev, gold: gold)
        }
        return DistillationReport(teacher: measured[0], alone: measured[1], distilled: measured[2], transferTexts: train.count + unlabeled.count,
                                  labellingSeconds: labelling, settings: configuration.distillation!)
    }

    /// Writes the distilled student as an ordinary classifier directory (`FineTuner.save`).
    public func save(to output: OutputDirectory) throws {
        guard let distilled else { preconditionFailure("run before saving") }
        try distilled.save(to: output)
    }

    private func pairs(_ examples: [LabeledExample]) -> [String]? {
        examples.contains { $0.textPair != nil } ? examples.map { $0.textPair ?? "" } : nil
    }

    private func requireFinite(_ logits: [[Float]]) throws {
        if let row = logits.firstIndex(where: { !$0.allSatisfy(\.isFinite) }) {
            throw ModelFileError(file: teacherDirectory, message: "the teacher's logits of text \(row + 1) are not finite")
        }
    }
}
