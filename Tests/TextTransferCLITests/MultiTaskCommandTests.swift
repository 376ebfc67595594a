import Foundation
import XCTest
import TextTransferTestSupport

/// `train --task` trains one classifier for several tasks; `predict --task` and `evaluate --task` use
/// one of its heads, and without --task the command names the tasks to choose from.
final class MultiTaskCommandTests: XCTestCase {
    func testTrainSeveralTasksThenPredictAndEvaluateEach() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "multitask-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The letter task: "a …" or "b …", in its own file with its own labels.
        let letters = (0..<16).map { i in i % 2 == 0 ? "A\ta hello" : "B\tb world" }
        try BadInputFixtures.write("label\ttext\n" + letters.joined(separator: "\n") + "\n", dir + "/letters.tsv")
        let train = try runCLI(["train", "--model", base + "/tiny", "--task", "sentiment=" + base + "/train.tsv",
                                "--task-dev", "sentiment=" + base + "/dev.tsv", "--task", "letter=" + dir + "/letters.tsv",
                                "--output", dir + "/both", "--epochs", "2", "--max-length", "16", "--threads", "1", "--batch-size", "8",
                                "--log-json", dir + "/log.jsonl", "--result-json", dir + "/result.json"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("task sentiment: dev accuracy"), train.stdout)
        XCTAssertTrue(train.stdout.contains("task letter: dev accuracy"), train.stdout)
        XCTAssertTrue(train.stdout.contains("combined dev score"), train.stdout)
        XCTAssertTrue(train.stderr.contains("[letter] epoch 1"), train.stderr)
        let log = String(decoding: try Data(contentsOf: URL(fileURLWithPath: dir + "/log.jsonl")), as: UTF8.self)
        XCTAssertTrue(log.contains(#""task_scores":{"sentiment":"#), log)
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json"))) as? [String: Any]
        XCTAssertEqual((result?["tasks"] as? [[String: Any]])?.count, 2)

        let letter = try runCLI(["predict", "--model", dir + "/both", "--task", "letter", "a hello", "b world"])
        XCTAssertEqual(letter.status, 0, letter.stderr)
        XCTAssertEqual(letter.stdout.split(separator: "\n").map { $0.split(separator: "\t")[0] }.count, 2)
        XCTAssertTrue(letter.stdout.split(separator: "\n").allSatisfy { ["A", "B"].contains($0.split(separator: "\t")[0]) }, letter.stdout)
        let sentiment = try runCLI(["evaluate", "--model", dir + "/both", "--task", "sentiment", "--data", base + "/dev.tsv"])
        XCTAssertEqual(sentiment.status, 0, sentiment.stderr)
        XCTAssertTrue(sentiment.stdout.contains("accuracy"), sentiment.stdout)
        let unnamed = try runCLI(["predict", "--model", dir + "/both", "hello a"])
        XCTAssertNotEqual(unnamed.status, 0)
        XCTAssertTrue(unnamed.stderr.contains("choose one of its tasks (sentiment, letter)"), unnamed.stderr)
        XCTAssertEqual(unnamed.stderr.split(separator: "\n").count, 1, unnamed.stderr)
    }
}
