import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// The multi-label head: metrics and thresholds by hand, and a whole run with saved thresholds.
final class MultiLabelTests: XCTestCase {
    func testReportAndThresholdsByHand() {
        let p: [[Float]] = [[0.9, 0.2], [0.6, 0.7], [0.3, 0.4], [0.1, 0.8]]
        let gold = [[true, false], [true, true], [false, false], [false, true]]
        let r = MultiLabelReport(probabilities: p, gold: gold, labels: ["x", "y"], thresholds: [0.5, 0.5])
        // x: tp 2, fp 0, fn 0; y: tp 2, fp 0, fn 0 at 0.5 -> everything right.
        XCTAssertEqual(r.microF1, 1)
        XCTAssertEqual(r.subsetAccuracy, 1)
        let strict = MultiLabelReport(probabilities: p, gold: gold, labels: ["x", "y"], thresholds: [0.95, 0.75])
        // x: nothing predicted -> F1 0; y: predicts rows 3 only (0.8) -> tp 1, fn 1 -> F1 2/3.
        XCTAssertEqual(strict.perClass["x"]!.f1, 0)
        XCTAssertEqual(strict.perClass["y"]!.f1, 2.0 / 3, accuracy: 1e-12)
        let expectedMicro: Double = 2.0 / 5  // tp 1, fp 0, fn 3: 2·1 / (2·1 + 0 + 3)
        XCTAssertEqual(strict.microF1, expectedMicro, accuracy: 1e-12)
        let tuned = MultiLabelReport.tunedThresholds(probabilities: p, gold: gold, classes: 2)
        XCTAssertEqual(MultiLabelReport(probabilities: p, gold: gold, labels: ["x", "y"], thresholds: tuned).microF1, 1)
    }

    func testMultiLabelRunPredictsTagsWithSavedThresholds() throws {
        let dir = NSTemporaryDirectory() + "multi-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        // "hello" carries tag greeting, "a" carries tag letter: rows can have both, one, or none... at least one.
        let rows = [("hello a", "greeting|letter"), ("hello b", "greeting"), ("world a", "letter"), ("hello a b", "greeting|letter"),
                    ("world b a", "letter"), ("hello", "greeting")]
        let train = (0..<36).map { LabeledExample(text: rows[$0 % 6].0, label: rows[$0 % 6].1, line: $0 + 2) }
        let c = FineTuningConfiguration.tinyRun(model: dir + "/base", head: .multiLabel, epochs: 30, batchSize: 12)
        let tuner = try FineTuner(configuration: c)
        let result = try tuner.train(train: train, dev: Array(train.prefix(6)))
        XCTAssertEqual(result.labels, ["greeting", "letter"])
        let report = try XCTUnwrap(result.bestMultiLabel)
        XCTAssertGreaterThanOrEqual(report.microF1, 0.9)
        try tuner.save(to: dir + "/trained")
        let loaded = try TextClassifier(directory: dir + "/trained")
        XCTAssertEqual(loaded.description.thresholds?.count, 2)
        let predictions = loaded.predict(["hello a", "world b"])
        XCTAssertEqual(predictions[0].tags, ["greeting", "letter"])
        XCTAssertEqual(predictions[0].label, "greeting|letter")
    }
}
