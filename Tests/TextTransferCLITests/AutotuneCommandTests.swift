import Foundation
import XCTest
import TextTransferTestSupport

/// `text-transfer autotune`: the trial table, the saved winner, the result JSON; a bad budget is one line.
final class AutotuneCommandTests: XCTestCase {
    func testAutotuneSavesTheWinnerAndPrintsEveryTrial() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "autotune-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try runCLI(["autotune", "--model", base + "/tiny", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv",
                              "--budget", "10m", "--max-length", "16", "--threads", "1", "--tune-fraction", "0.25",
                              "--output", dir + "/auto", "--result-json", dir + "/auto.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("frozen probe, mean pooling"), run.stdout)
        XCTAssertTrue(run.stdout.contains("chosen: "), run.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/auto/text_transfer.json"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/auto.json"))) as? [String: Any]
        let trials = try XCTUnwrap(json?["trials"] as? [[String: Any]])
        XCTAssertGreaterThan(trials.count, 5)
        XCTAssertNotNil(json?["winner"] as? String)
        let predicted = try runCLI(["predict", "--model", dir + "/auto", "hello a"])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
    }

    func testTooFewExamplesForATuningSplitNameTheFile() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "autotune-few-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "label\ttext\npos\thello\nneg\tworld\n".write(toFile: dir + "/two.tsv", atomically: true, encoding: .utf8)
        let run = try runCLI(["autotune", "--model", base + "/tiny", "--train", dir + "/two.tsv", "--budget", "1m", "--output", dir + "/model"])
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains(dir + "/two.tsv: 2 examples are too few to hold out a tuning split"), run.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/model"), "a refused run leaves nothing")
    }

    func testABadBudgetIsOneLineAndWritesNothing() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "autotune-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for budget in ["abc", "0", "0s", "-5m", "nan", "10x", "m"] {
            let run = try runCLI(["autotune", "--model", base + "/tiny", "--train", base + "/train.tsv", "--budget", budget, "--output", dir])
            XCTAssertNotEqual(run.status, 0, budget)
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains("--budget"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir))
        }
    }
}
