import Foundation
import XCTest
import TextTransfer
import TextTransferTraining
import TextTransferTestSupport

/// `keep = "average"` ends with the mean of the weights at the ends of the averaged epochs, on the
/// schedule a run keeping its last weights follows, and resumes to the same mean from a checkpoint.
final class WeightAveragingTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "averaging-\(UUID().uuidString)"
        try TinyBert.write(to: scratch + "/base")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    let train = (0..<40).map { i in LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a"][(i / 2) % 4],
                                                   label: i % 2 == 0 ? "pos" : "neg", line: i + 2) }
    var dev: [LabeledExample] { Array(train.prefix(8)) }
    /// 7 batches an epoch.
    let batchesPerEpoch = 7

    func configuration(keep: WeightsToKeep, averageFrom: Int? = nil) -> FineTuningConfiguration {
        var c = FineTuningConfiguration()
        (c.model, c.epochs, c.batchSize, c.maxLength, c.encoderLearningRate) = (scratch + "/base", 3, 6, 16, 1e-2)
        (c.keep, c.averageFrom) = (keep, averageFrom)
        return c
    }

    func weights(_ t: FineTuner) -> [Float] {
        let store = t.classifier!.store
        return Array(UnsafeBufferPointer(start: store.values.pointer, count: store.count))
    }

    func testTheAverageIsTheMeanOfTheEpochEndWeights() throws {
        // The weights at the end of epoch 2 (a run stopped there saves them) and of epoch 3 (the last).
        var steps = 0
        let stopped = try FineTuner(configuration: configuration(keep: .last))
        XCTAssertThrowsError(try stopped.train(train: train, dev: dev, checkpoints: CheckpointOptions(
            directory: scratch + "/last.checkpoint", shouldStop: { steps += 1; return steps == 2 * self.batchesPerEpoch })))
        let epoch2 = try TrainingCheckpoint.read(from: scratch + "/last.checkpoint").1.tensor("values").values
        let last = try FineTuner(configuration: configuration(keep: .last))
        _ = try last.train(train: train, dev: dev, checkpoints: CheckpointOptions(directory: scratch + "/last.checkpoint", resume: true))
        let epoch3 = weights(last)
        XCTAssertNotEqual(epoch2, epoch3)

        let averaged = try FineTuner(configuration: configuration(keep: .average, averageFrom: 2))
        let result = try averaged.train(train: train, dev: dev)
        XCTAssertEqual(result.averagedEpochs, 2, "epochs 2 and 3")
        XCTAssertEqual(weights(averaged), zip(epoch2, epoch3).map { ($0 + $1) * 0.5 })
        XCTAssertEqual(result.history.count, 3, "dev still scored after every epoch")
        XCTAssertEqual(result.best?.examples, dev.count, "and the mean reported on it")

        // Averaging the last epoch alone is keeping the last weights; with 7 steps an epoch, 100 steps are
        // not reached before the last epoch, which the default then averages alone.
        let lastOnly = try FineTuner(configuration: configuration(keep: .average))
        XCTAssertEqual(try lastOnly.train(train: train, dev: dev).averagedEpochs, 1)
        XCTAssertEqual(weights(lastOnly), epoch3)
    }

    func testAveragingStartsOnceTheRunHasTakenAHundredSteps() {
        var c = configuration(keep: .average)
        c.epochs = 5
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 154), 2, "TREC's 4,907 questions in batches of 32")
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 50), 3, "100 steps before the 3rd")
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 49), 4)
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 13), 5, "400 sentences: the last epoch alone")
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 1000), 2, "never the 1st of several")
        c.averageFrom = 1
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 13), 1, "as set")
        c.averageFrom = nil
        c.epochs = 1
        XCTAssertEqual(c.firstAveragedEpoch(batchesPerEpoch: 13), 1)
    }

    func testAnInterruptedAveragingRunResumesToTheSameMean() throws {
        let straight = try FineTuner(configuration: configuration(keep: .average, averageFrom: 1))
        let expected = try straight.train(train: train, dev: dev)
        // Stopped mid-epoch 3: epochs 1 and 2 are in the checkpoint's sum.
        var steps = 0
        XCTAssertThrowsError(try FineTuner(configuration: configuration(keep: .average, averageFrom: 1)).train(train: train, dev: dev,
            checkpoints: CheckpointOptions(directory: scratch + "/a.checkpoint", shouldStop: { steps += 1; return steps == 2 * self.batchesPerEpoch + 3 })))
        XCTAssertEqual(try TrainingCheckpoint.read(from: scratch + "/a.checkpoint").0.averagedEpochs, 2)
        let resumed = try FineTuner(configuration: configuration(keep: .average, averageFrom: 1))
        let result = try resumed.train(train: train, dev: dev, checkpoints: CheckpointOptions(directory: scratch + "/a.checkpoint", resume: true))
        XCTAssertEqual(result.averagedEpochs, 3)
        XCTAssertEqual(weights(resumed).map(\.bitPattern), weights(straight).map(\.bitPattern))
        XCTAssertEqual(result.history, expected.history)
    }

    func testAveragingSettingsThatCannotWorkAreRefusedByKey() {
        func refused(_ c: FineTuningConfiguration) -> String? {
            do { try c.validate(); return nil } catch { return (error as? ConfigurationError)?.key }
        }
        XCTAssertNil(refused(configuration(keep: .average, averageFrom: 3)))
        XCTAssertEqual(refused(configuration(keep: .average, averageFrom: 4)), "average_from", "past the last epoch")
        XCTAssertEqual(refused(configuration(keep: .average, averageFrom: 0)), "average_from")
        XCTAssertEqual(refused(configuration(keep: .last, averageFrom: 2)), "average_from", "without keep average")
        var probe = configuration(keep: .average)
        probe.strategy = .featureExtraction
        XCTAssertEqual(refused(probe), "keep", "a head fitted on cached features has no epochs of the encoder to average")
    }
}
