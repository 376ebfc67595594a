import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// Several tasks on one encoder: a head per task, each scored on its own dev set, all saved in one
/// directory that predicts each task; interrupted and resumed, the run ends with the same weights.
final class MultiTaskTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "multitask-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    // "hello" or "world" decides the sentiment of a text, "a" or "b" its letter.
    let texts: [String] = (0..<24).map { (i: Int) -> String in
        let suffixes = ["a", "b", "a b", "b a"]
        return (i % 2 == 0 ? "hello " : "world ") + suffixes[(i / 2) % 4]
    }
    var sentiment: [LabeledExample] { texts.enumerated().map { LabeledExample(text: $1, label: $1.hasPrefix("hello") ? "pos" : "neg", line: $0 + 2) } }
    var shape: [LabeledExample] {
        (0..<16).map { i in
            let letter = i % 2 == 0 ? "a" : "b"
            return LabeledExample(text: letter + [" hello", " world", " hello world", ""][(i / 2) % 4], label: "letter-" + letter, line: i + 2)
        }
    }

    func configuration(epochs: Int = 60) -> FineTuningConfiguration {
        var c = FineTuningConfiguration.tinyRun(model: scratch + "/base", epochs: epochs, batchSize: 8)
        c.seed = 7
        return c
    }

    func tasks() -> [TrainingTask] {
        [TrainingTask(name: "sentiment", train: sentiment, dev: Array(sentiment.prefix(8))),
         TrainingTask(name: "shape", train: shape, dev: Array(shape.prefix(8)))]
    }

    func testEveryTaskTrainsItsOwnHeadAndTheSavedDirectoryPredictsEach() throws {
        let tuner = try FineTuner(configuration: configuration())
        let result = try tuner.train(tasks: tasks())
        XCTAssertEqual(result.tasks.map(\.evaluation.task), ["sentiment", "shape"])
        XCTAssertEqual(result.tasks.map(\.labels), [["neg", "pos"], ["letter-a", "letter-b"]])
        XCTAssertEqual(result.tasks.map(\.evaluation.score), [1, 1], "both toy tasks learned")
        let point = try XCTUnwrap(result.history.last)
        XCTAssertEqual(point.taskScores?.map(\.task), ["sentiment", "shape"])
        XCTAssertEqual(point.score, (point.taskScores!.map(\.score).reduce(0, +)) / 2, "the combined score is the tasks' mean")
        // 3 + 2 batches an epoch: every step a batch of one task.
        XCTAssertEqual(result.steps, 60 * 5)
        let store = try XCTUnwrap(tuner.classifier).store
        XCTAssertNotNil(store.parameter("classifier.sentiment.weight"))
        XCTAssertNotNil(store.parameter("classifier.shape.weight"))
        XCTAssertNil(store.parameter("classifier.weight"))
        XCTAssertEqual(tuner.configuration.tasks?.map(\.name), ["sentiment", "shape"])

        try tuner.save(to: scratch + "/both")
        let probe = ["hello b", "world a", "a hello", "b world"]
        let encodings = TokenBatch(encodings: probe.map { tuner.tokenizer.encode($0, maxLength: 16) })
        for (t, name) in ["sentiment", "shape"].enumerated() {
            let loaded = try TextClassifier(directory: scratch + "/both", task: name)
            XCTAssertEqual(loaded.labels, result.tasks[t].labels)
            let inMemory = tuner.classifier!.logits(encodings, task: t)
            for (p, z) in zip(loaded.predict(probe), inMemory) {
                let e = z.map { Foundation.exp($0 - z.max()!) }
                XCTAssertEqual(p.probabilities.map(\.bitPattern), e.map { $0 / e.reduce(0, +) }.map(\.bitPattern), "task \(name) after loading")
            }
        }
        for (name, dev) in zip(["sentiment", "shape"], tasks().map(\.dev)) {  // dev scored 1: every dev text comes out right
            XCTAssertEqual(try TextClassifier(directory: scratch + "/both", task: name).predict(dev.map(\.text)).map(\.label), dev.map(\.label))
        }
        XCTAssertThrowsError(try TextClassifier(directory: scratch + "/both")) { error in
            XCTAssertTrue("\(error)".contains("choose one of its tasks (sentiment, shape)"), "\(error)")
        }
        XCTAssertThrowsError(try TextClassifier(directory: scratch + "/both", task: "topic")) { error in
            XCTAssertTrue("\(error)".contains("has no task 'topic'"), "\(error)")
        }
    }

    func testAnInterruptedMultiTaskRunResumesToTheSameWeights() throws {
        func weights(_ t: FineTuner) -> [UInt32] {
            let store = t.classifier!.store
            return Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)).map(\.bitPattern)
        }
        let c = configuration(epochs: 3)
        let straight = try FineTuner(configuration: c)
        let expected = try straight.train(tasks: tasks())
        var steps = 0
        let first = try FineTuner(configuration: c)
        XCTAssertThrowsError(try first.train(tasks: tasks(), checkpoints: CheckpointOptions(
            directory: scratch + "/run.checkpoint", shouldStop: { steps += 1; return steps == 7 })))  // mid-epoch 2
        let resumed = try FineTuner(configuration: c)
        let result = try resumed.train(tasks: tasks(), checkpoints: CheckpointOptions(directory: scratch + "/run.checkpoint", resume: true))
        XCTAssertEqual(weights(resumed), weights(straight))
        XCTAssertEqual(result.history, expected.history)
    }

    func testTaskNamesAreCheckedBeforeTraining() throws {
        let tuner = try FineTuner(configuration: configuration())
        var twice = tasks()
        twice[1].name = "sentiment"
        XCTAssertThrowsError(try tuner.train(tasks: twice)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "tasks[1].name")
        }
        var spaced = tasks()
        spaced[0].name = "two words"
        XCTAssertThrowsError(try tuner.train(tasks: spaced)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "tasks[0].name")
        }
    }
}
