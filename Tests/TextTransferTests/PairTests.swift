import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// Text pairs through the reader, the fine-tuner and the saved classifier.
final class PairTests: XCTestCase {
    func testPairColumnTrainsAndPredictsOnBothTexts() throws {
        let dir = NSTemporaryDirectory() + "pairs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        // The label follows the second text's first word while the first text varies on its own: a model
        // that ignored the pair could not learn it.
        var rows = "premise\thypothesis\tlabel\n"
        for i in 0..<32 {
            let first = i % 2 == 0 ? "hello" : "world", second = (i / 2) % 2 == 0 ? "hello" : "world"
            rows += "\(first) a\t\(second) b\t\(second == "hello" ? "greeting" : "place")\n"
        }
        try rows.write(toFile: dir + "/pairs.tsv", atomically: true, encoding: .utf8)
        let examples = try readLabeledExamples(path: dir + "/pairs.tsv", textColumn: "premise", textPairColumn: "hypothesis")
        XCTAssertEqual(examples[2].textPair, "world b")
        XCTAssertThrowsError(try readLabeledExamples(path: dir + "/pairs.tsv", textColumn: "premise", textPairColumn: "nope"))
        let c = FineTuningConfiguration.tinyRun(model: dir + "/base", epochs: 40, batchSize: 8)
        let tuner = try FineTuner(configuration: c)
        let result = try tuner.train(train: examples, dev: Array(examples.prefix(8)))
        XCTAssertEqual(result.best?.accuracy, 1)
        try tuner.save(to: dir + "/trained")
        let loaded = try TextClassifier(directory: dir + "/trained")
        let p = loaded.predict(["hello a", "hello a"], pairs: ["hello b", "world b"])
        XCTAssertEqual(p.map(\.label), ["greeting", "place"])
    }
}
