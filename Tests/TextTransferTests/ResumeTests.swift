import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// A run stopped mid-epoch and resumed from its checkpoint ends with the same weights, bit for bit, as
/// one that never stopped (same seed, same thread count).
final class ResumeTests: XCTestCase {
    func testInterruptedAndResumedRunEqualsAnUninterruptedOne() throws {
        let dir = NSTemporaryDirectory() + "resume-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        let train = (0..<40).map { i in LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a"][(i / 2) % 4],
                                                       label: i % 2 == 0 ? "pos" : "neg", line: i + 2) }
        let dev = Array(train.prefix(8))
        var c = FineTuningConfiguration()
        c.model = dir + "/base"
        c.epochs = 3
        c.batchSize = 6
        c.maxLength = 16  // the tiny model's positions
        c.encoderLearningRate = 1e-2
        func weights(_ t: FineTuner) -> [UInt32] {
            let store = t.classifier!.store
            return Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count)).map(\.bitPattern)
        }

        let straight = try FineTuner(configuration: c)
        let expected = try straight.train(train: train, dev: dev, checkpoints: CheckpointOptions(directory: dir + "/a.checkpoint"))

        var steps = 0
        let first = try FineTuner(configuration: c)
        XCTAssertThrowsError(try first.train(train: train, dev: dev, checkpoints: CheckpointOptions(
            directory: dir + "/b.checkpoint", shouldStop: { steps += 1; return steps == 10 }))) { error in
            XCTAssertEqual((error as? TrainingInterrupted)?.step, 10)  // mid-epoch 2: 7 batches an epoch
        }
        let resumed = try FineTuner(configuration: c)
        let result = try resumed.train(train: train, dev: dev, checkpoints: CheckpointOptions(directory: dir + "/b.checkpoint", resume: true))
        XCTAssertEqual(weights(resumed), weights(straight))
        XCTAssertEqual(result.history, expected.history)
        XCTAssertEqual(result.steps, expected.steps)

        var other = c
        other.seed = 7
        XCTAssertThrowsError(try FineTuner(configuration: other).train(train: train, dev: dev, checkpoints: CheckpointOptions(
            directory: dir + "/b.checkpoint", resume: true))) { error in
            XCTAssertTrue("\(error)".contains("other settings"), "\(error)")
        }
    }
}
