import Foundation
import XCTest
@testable import TextTransfer
import TextTransferIO
import TextTransferTokenization
import TextTransferTestSupport

/// Distillation end to end on the tiny model: a fine-tuned teacher labels the training texts and an
/// unlabelled set, a bag-of-embeddings student learns its logits beside one trained on the labels alone,
/// and the report measures all three from their saved directories.
final class DistillerTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "distill-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    /// Fine-tunes the tiny model (or `model`) on `train` and saves it as the teacher, in scratch/teacher.
    func saveTeacher(epochs: Int, model: String? = nil) throws {
        let teacher = try FineTuner(configuration: .tinyRun(model: model ?? scratch + "/base", epochs: epochs, batchSize: 8))
        _ = try teacher.train(train: train, dev: train)
        try teacher.save(to: scratch + "/teacher")
    }

    /// A bag-of-embeddings student over the tiny model's positions.
    func bagStudent(epochs: Int, batchSize: Int = 32) -> FineTuningConfiguration {
        var student = FineTuningConfiguration()
        student.encoder = .bag
        student.epochs = epochs
        student.batchSize = batchSize
        student.maxLength = 16
        return student
    }

    let train: [LabeledExample] = (0..<24).map { (i: Int) -> LabeledExample in
        let suffixes = ["a", "b", "a b", "b a"]
        return LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + suffixes[(i / 2) % 4], label: i % 2 == 0 ? "pos" : "neg", line: i + 2)
    }

    func testTheStudentLearnsTheTeachersLogitsAndTheReportMeasuresAllThree() throws {
        try saveTeacher(epochs: 30)

        var student = bagStudent(epochs: 40, batchSize: 8)
        student.headLearningRate = 5e-2
        student.distillation = DistillationSettings(softLoss: .kl, temperature: 2, alpha: 0)  // the teacher's logits alone
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
        XCTAssertEqual(distiller.configuration.labels, ["neg", "pos"], "the student answers in the teacher's label order")
        let unlabeled = ["hello hello", "world world b", "hello b b a", "world a a"]
        let report = try distiller.run(train: train, dev: Array(train.prefix(8)), unlabeled: unlabeled)
        XCTAssertEqual(report.transferTexts, 28)
        XCTAssertEqual(report.teacher.accuracy, 1)
        XCTAssertEqual(report.distilled.accuracy, 1, "the bag student separates hello from world")
        XCTAssertEqual(report.gain, report.distilled.accuracy - report.alone.accuracy, accuracy: 1e-12)
        XCTAssertLessThanOrEqual(report.gainInterval95[0], report.gain)
        XCTAssertGreaterThanOrEqual(report.gainInterval95[1], report.gain)
        XCTAssertLessThan(report.distilled.parameters, report.teacher.parameters)
        XCTAssertGreaterThan(report.distilled.sentencesPerSecond, 0)
        XCTAssertTrue(report.table.contains("distilled − alone"), report.table)

        try distiller.save(to: OutputDirectory.reserve(scratch + "/student", marker: ClassifierDescription.fileName))
        let saved = try TextClassifier(directory: scratch + "/student")
        let judge = try TextClassifier(directory: scratch + "/teacher")
        XCTAssertEqual(saved.description.encoder, .bag)
        XCTAssertEqual(saved.predict(unlabeled).map(\.label), judge.predict(unlabeled).map(\.label), "the student agrees with its teacher on unseen texts")
        let json = try JSONEncoder().encode(report)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: json) as? [String: Any])
    }

    func testAStudentOfAnotherHeadKindOrWithoutSettingsIsRefused() throws {
        var teacherSettings = FineTuningConfiguration.tinyRun(model: scratch + "/base", head: .regression, epochs: 1, batchSize: 8)
        teacherSettings.labels = nil
        let teacher = try FineTuner(configuration: teacherSettings)
        let numbers = train.enumerated().map { LabeledExample(text: $1.text, label: "\($0 % 3)", line: $1.line) }
        _ = try teacher.train(train: numbers, dev: numbers)
        try teacher.save(to: scratch + "/regressor")
        XCTAssertThrowsError(try Distiller(teacher: scratch + "/regressor", student: FineTuningConfiguration())) { error in
            XCTAssertTrue("\(error)".contains("softmax teacher"), "\(error)")
        }
    }

    func testAugmentedTextsAreLabelledOnceAndAStoppedRunResumesFromTheCache() throws {
        try saveTeacher(epochs: 2)
        let student = bagStudent(epochs: 1)
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
        var lines: [String] = []
        let report = try distiller.run(train: train, dev: train, augment: 3, work: .init(path: scratch + "/cache"), log: { lines.append($0) })
        let made = report.transferTexts - train.count
        XCTAssertGreaterThan(made, train.count, lines.joined(separator: "\n"))
        XCTAssertLessThanOrEqual(made, 3 * train.count)
        let rows = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: scratch + "/cache/teacher-logits.f32")[.size] as? Int)
        XCTAssertEqual(rows, report.transferTexts * 2 * 4, "one row of two float32 logits per transfer text")

        // Cut the file mid-row, as a kill while appending would: the whole rows are kept, the rest relabelled.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/cache/teacher-logits.f32"))
        try handle.truncate(atOffset: UInt64(10 * 8 + 3))
        try handle.close()
        lines = []
        let again = try distiller.run(train: train, dev: train, augment: 3, work: .init(path: scratch + "/cache"), log: { lines.append($0) })
        XCTAssertTrue(lines.contains("the cache in \(scratch!)/cache has the teacher's logits of 10 of \(report.transferTexts) texts"), lines.joined(separator: "\n"))
        XCTAssertEqual(again.distilled.accuracy, report.distilled.accuracy, "the same seed and logits give the same student")
        XCTAssertEqual(again.distilled.macroF1, report.distilled.macroF1)

        // Another teacher's cache is not taken: its rows belong to other logits.
        let other = TeacherLogitCache(directory: scratch + "/cache", teacher: scratch + "/base", texts: ["x"], pairs: nil, classes: 2)
        XCTAssertEqual(try other.resume().count, 0)
    }

    func testAugmentingTextPairsIsRefusedByItsFlagName() throws {
        try saveTeacher(epochs: 1)
        let student = bagStudent(epochs: 1)
        let pairs = train.map { LabeledExample(text: $0.text, textPair: "b", label: $0.label, line: $0.line) }
        XCTAssertThrowsError(try Distiller(teacher: scratch + "/teacher", student: student).run(train: pairs, dev: pairs, augment: 2)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "augment", "\(error)")
        }
    }

    func testAStaticStudentStartsFromATableDistilledFromTheTeacher() throws {
        try saveTeacher(epochs: 20)
        let table = try StaticDistillation.distill(from: scratch + "/teacher", dimensions: 8)
        XCTAssertEqual(table.dimension, 8)
        try FileManager.default.createDirectory(atPath: scratch + "/static", withIntermediateDirectories: true)
        try table.write(to: scratch + "/static")
        XCTAssertEqual(try StaticEmbeddingModel(directory: scratch + "/static").embed(["hello a"]), table.embed(["hello a"]))

        var student = bagStudent(epochs: 20, batchSize: 8)
        student.staticEmbeddings = scratch + "/static"
        student.headLearningRate = 5e-2
        var lines: [String] = []
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
        let report = try distiller.run(train: train, dev: train, log: { lines.append($0) })
        XCTAssertTrue(lines.contains { $0.hasPrefix("static embeddings: ") && $0.contains("8-d rows") }, lines.joined(separator: "\n"))
        XCTAssertEqual(report.distilled.accuracy, 1)
        try distiller.save(to: OutputDirectory.reserve(scratch + "/student", marker: ClassifierDescription.fileName))
        let saved = try TextClassifier(directory: scratch + "/student")
        XCTAssertEqual(saved.predict(["hello b", "world a"]).map(\.label), ["pos", "neg"])
    }

    func testAWordTokenStudentCanStartFromTheTeachersVectorsOfItsWords() throws {
        try saveTeacher(epochs: 20)
        var student = bagStudent(epochs: 20, batchSize: 8)
        student.headLearningRate = 5e-2
        var lines: [String] = []
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student, teacherWordVectors: 2)
        let report = try distiller.run(train: train, dev: train, unlabeled: ["hello world"], log: { lines.append($0) })
        let log = lines.joined(separator: "\n")
        XCTAssertTrue(lines.contains("the teacher's vectors of the transfer set's 4 words, 2-d:"), log)
        XCTAssertTrue(lines.contains { $0.hasPrefix("read 4 of 4 vectors (2-d") }, log)
        XCTAssertEqual(report.distilled.accuracy, 1, report.table)
        try distiller.save(to: OutputDirectory.reserve(scratch + "/student", marker: ClassifierDescription.fileName))
        let saved = try TextClassifier(directory: scratch + "/student")
        XCTAssertTrue(saved.tokenizer is WordTokenizer, "ICU word tokens")
        XCTAssertEqual(saved.predict(["hello b", "world a"]).map(\.label), ["pos", "neg"])

        // Only a Transformer has vectors to give.
        var bag = bagStudent(epochs: 1)
        bag.model = scratch + "/base"
        let bagTeacher = try FineTuner(configuration: bag)
        _ = try bagTeacher.train(train: train, dev: train)
        try bagTeacher.save(to: scratch + "/bag-teacher")
        XCTAssertThrowsError(try Distiller(teacher: scratch + "/bag-teacher", student: student, teacherWordVectors: 4)) {
            XCTAssertEqual(($0 as? ModelFileError)?.key, "encoder", "\($0)")
        }
    }

    func testATransformerStudentTakesEveryKthLayerOfItsTeacher() throws {
        try TinyBert.write(to: scratch + "/deep", layers: 3)
        try saveTeacher(epochs: 20, model: scratch + "/deep")
        XCTAssertEqual(try TransformerStudent.write(teacher: scratch + "/teacher", layers: 1, to: scratch + "/small"), [0])
        XCTAssertEqual(try TransformerStudent.write(teacher: scratch + "/teacher", layers: 2, to: scratch + "/two"), [0, 1])
        let teacherWeights = try SafetensorsReader(path: scratch + "/teacher/model.safetensors")
        let studentWeights = try SafetensorsReader(path: scratch + "/small/model.safetensors")
        XCTAssertEqual(try studentWeights.tensor("encoder.layer.0.output.dense.weight").values, try teacherWeights.tensor("encoder.layer.0.output.dense.weight").values)
        XCTAssertEqual(try studentWeights.tensor("pooler.dense.weight").values, try teacherWeights.tensor("pooler.dense.weight").values)
        XCTAssertFalse(studentWeights.names.contains("encoder.layer.1.output.dense.weight"))
        XCTAssertThrowsError(try TransformerStudent.write(teacher: scratch + "/teacher", layers: 3, to: scratch + "/same")) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "student", "\(error)")
        }

        var student = FineTuningConfiguration.tinyRun(model: scratch + "/small", epochs: 20, batchSize: 8)
        student.distillation = DistillationSettings()
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
        let report = try distiller.run(train: train, dev: train)
        XCTAssertEqual(report.distilled.accuracy, 1, report.table)
        XCTAssertLessThan(report.distilled.parameters, report.teacher.parameters)
        try distiller.save(to: OutputDirectory.reserve(scratch + "/student", marker: ClassifierDescription.fileName))
        let saved = try TextClassifier(directory: scratch + "/student")
        XCTAssertEqual(saved.encoder?.weights.layers.count, 1)
        XCTAssertEqual(saved.predict(["hello b", "world a"]).map(\.label), ["pos", "neg"])
    }

    /// Hidden-state matching: the teacher's pooled states are labelled with its logits (and cached beside
    /// them), the step adds β · (1 − cos), so the student's states end nearer the teacher's than without it;
    /// the student's settings keep β; a bag student may not ask for it.
    func testATransformerStudentCanMatchItsTeachersStates() throws {
        try TinyBert.write(to: scratch + "/deep", layers: 3)
        try saveTeacher(epochs: 20, model: scratch + "/deep")
        try TransformerStudent.write(teacher: scratch + "/teacher", layers: 1, to: scratch + "/small")
        let teacher = try TextClassifier(directory: scratch + "/teacher")
        let texts = train.map(\.text)
        func cosineToTeacher(hiddenWeight: Float) throws -> Double {
            var student = FineTuningConfiguration.tinyRun(model: scratch + "/small", epochs: 20, batchSize: 8)
            student.distillation = DistillationSettings(hiddenWeight: hiddenWeight)
            student.keep = .last  // the whole run's effect, not its first best epoch
            let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
            let work = Distiller.WorkDirectory(path: scratch + "/work-\(hiddenWeight)")
            let report = try distiller.run(train: train, dev: train, unlabeled: ["hello hello", "world b"], work: work)
            XCTAssertEqual(report.table.contains("hidden states β 0.5"), hiddenWeight == 0.5, report.table)
            let output = scratch + "/student-\(hiddenWeight)"
            try distiller.save(to: OutputDirectory.reserve(output, marker: ClassifierDescription.fileName))
            let saved = try TextClassifier(directory: output)
            XCTAssertEqual(saved.description.training.distillation?.hiddenWeight, hiddenWeight)
            func cosine(_ s: [Float], _ t: [Float]) -> Double {
                let dot: Float = zip(s, t).map { $0 * $1 }.reduce(0, +)
                let ss: Float = s.map { $0 * $0 }.reduce(0, +), tt: Float = t.map { $0 * $0 }.reduce(0, +)
                return Double(dot) / Double(ss * tt).squareRoot()
            }
            let cosines = zip(try XCTUnwrap(saved.features(texts)), try XCTUnwrap(teacher.features(texts))).map { cosine($0, $1) }
            return cosines.reduce(0, +) / Double(texts.count)
        }
        let matched = try cosineToTeacher(hiddenWeight: 0.5), unmatched = try cosineToTeacher(hiddenWeight: 0)
        XCTAssertGreaterThan(matched, 0.99, "mean cosine of the student's states to the teacher's")
        XCTAssertGreaterThan(matched, unmatched + 0.05, "mean cosine of the student's states to the teacher's")
        let states = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: scratch + "/work-0.5/teacher-states.f32")[.size] as? Int)
        XCTAssertEqual(states, (train.count + 2) * teacher.head.width * 4, "one cached state per transfer text")
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch + "/work-0.0/teacher-states.f32"))

        var bag = bagStudent(epochs: 1)
        bag.distillation = DistillationSettings(hiddenWeight: 0.5)
        XCTAssertThrowsError(try Distiller(teacher: scratch + "/teacher", student: bag)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "distillation.hidden_weight", "\(error)")
        }
    }

    func testAStoppedStudentResumesBitIdentically() throws {
        try saveTeacher(epochs: 2)
        let student = bagStudent(epochs: 3, batchSize: 4)
        let distiller = try Distiller(teacher: scratch + "/teacher", student: student)
        _ = try distiller.run(train: train, dev: train, augment: 1, work: .init(path: scratch + "/whole"))

        // Stopped in the distilled student's second epoch (the alone student takes 18 steps, 6 an epoch).
        var steps = 0
        var lines: [String] = []
        let stopping = Distiller.WorkDirectory(path: scratch + "/stopped", checkpointEvery: 2, shouldStop: { steps > 18 + 8 })
        XCTAssertThrowsError(try distiller.run(train: train, dev: train, augment: 1, work: stopping, events: { if case .step = $0 { steps += 1 } })) {
            XCTAssertTrue($0 is TrainingInterrupted, "\($0)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: scratch + "/stopped/distilled.checkpoint/state.json"))
        _ = try distiller.run(train: train, dev: train, augment: 1, work: .init(path: scratch + "/stopped", resume: true), log: { lines.append($0) })
        XCTAssertTrue(lines.contains { $0.contains("trained by an earlier run") }, lines.joined(separator: "\n"))
        // Other settings: the earlier alone student is not theirs, so it is trained again.
        lines = []
        try FileManager.default.createDirectory(atPath: scratch + "/other", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: scratch + "/stopped/alone", toPath: scratch + "/other/alone")
        _ = try Distiller(teacher: scratch + "/teacher", student: bagStudent(epochs: 1, batchSize: 4))
            .run(train: train, dev: train, augment: 1, work: .init(path: scratch + "/other", resume: true), log: { lines.append($0) })
        XCTAssertFalse(lines.contains { $0.contains("trained by an earlier run") }, lines.joined(separator: "\n"))
        for model in ["alone", "distilled"] {
            let whole = try Data(contentsOf: URL(fileURLWithPath: scratch + "/whole/\(model)/model.safetensors"))
            let resumed = try Data(contentsOf: URL(fileURLWithPath: scratch + "/stopped/\(model)/model.safetensors"))
            XCTAssertEqual(whole, resumed, "\(model): the resumed student's weights differ from the uninterrupted run's")
        }
    }

    func testAnEmbeddingTeachersWordPieceStudentStartsFromItsBaseModel() throws {
        var teacherSettings = bagStudent(epochs: 20, batchSize: 8)
        teacherSettings.model = scratch + "/base"
        teacherSettings.headLearningRate = 5e-2
        let teacher = try FineTuner(configuration: teacherSettings)
        _ = try teacher.train(train: train, dev: train)
        try teacher.save(to: scratch + "/teacher")
        let distiller = try Distiller(teacher: scratch + "/teacher", student: bagStudent(epochs: 2, batchSize: 8))
        XCTAssertEqual(distiller.configuration.model, scratch + "/base", "a bag teacher has no encoder embeddings to start from")
        let report = try distiller.run(train: train, dev: train)
        XCTAssertEqual(report.teacher.accuracy, 1, report.table)
        // Nor pooled states for a Transformer student to match.
        var matching = FineTuningConfiguration.tinyRun(model: scratch + "/base", epochs: 1, batchSize: 8)
        matching.distillation = DistillationSettings(hiddenWeight: 0.5)
        XCTAssertThrowsError(try Distiller(teacher: scratch + "/teacher", student: matching)) { error in
            XCTAssertEqual((error as? ModelFileError)?.key, "encoder", "\(error)")
        }
    }
}
