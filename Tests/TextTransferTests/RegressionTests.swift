import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// The regression head: metrics by hand and a whole run.
final class RegressionTests: XCTestCase {
    func testReportByHand() {
        let r = RegressionReport(predictions: [1, 2, 3, 4], targets: [2, 2, 4, 5])
        XCTAssertEqual(r.mse, (1 + 0 + 1 + 1) / 4.0, accuracy: 1e-12)
        XCTAssertEqual(r.mae, 0.75, accuracy: 1e-12)
        // Pearson of (1,2,3,4) and (2,2,4,5): deviations (−1.5,−.5,.5,1.5) and (−1.25,−1.25,.75,1.75).
        XCTAssertEqual(r.pearson, 5.5 / (5.0 * 6.75).squareRoot(), accuracy: 1e-12)  // Σ products 1.875 + .625 + .375 + 2.625
        // Spearman: ranks (1,2,3,4) and (1.5,1.5,3,4), ties averaged.
        XCTAssertEqual(r.spearman, RegressionReport(predictions: [1, 2, 3, 4], targets: [1.5, 1.5, 3, 4]).pearson, accuracy: 1e-12)
    }

    func testRegressionRunLearnsAndReloads() throws {
        let dir = NSTemporaryDirectory() + "regression-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        // target: +1 for "hello", −1 for "world", +0.5 more with "a"
        let texts = ["hello a", "hello b", "world a", "world b", "hello a b", "world b b"]
        let values = ["1.5", "1", "-0.5", "-1", "1.5", "-1"]
        let train = (0..<36).map { LabeledExample(text: texts[$0 % 6], label: values[$0 % 6], line: $0 + 2) }
        let c = FineTuningConfiguration.tinyRun(model: dir + "/base", head: .regression, epochs: 30, batchSize: 12)
        let tuner = try FineTuner(configuration: c)
        let result = try tuner.train(train: train, dev: Array(train.prefix(6)))
        let report = try XCTUnwrap(result.bestRegression)
        XCTAssertGreaterThan(report.pearson, 0.95)
        try tuner.save(to: dir + "/trained")
        let loaded = try TextClassifier(directory: dir + "/trained")
        let p = loaded.predict(["hello a", "world b"])
        XCTAssertGreaterThan(p[0].probabilities[0], p[1].probabilities[0])
        XCTAssertEqual(p[0].label, String(format: "%.4f", p[0].probabilities[0]))
        let bad = [LabeledExample(text: "hello", label: "high", line: 7)]
        XCTAssertThrowsError(try FineTuner(configuration: c).train(train: bad, dev: bad)) { error in
            XCTAssertEqual("\(error)", "train:7: label 'high' is not a number (the regression head needs numeric targets)")
        }
    }
}
