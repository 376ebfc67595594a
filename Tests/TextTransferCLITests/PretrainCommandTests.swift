import Foundation
import XCTest
import TextTransferTestSupport

/// `text-transfer pretrain mlm` on the tiny model: the held-out report, a directory that train and
/// pretrain take again (its MLM head then loaded), and bad input as one line naming the file or flag.
final class PretrainCommandTests: XCTestCase {
    func testPretrainingWritesAModelThatTrainAndPretrainTakeAgain() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "pretrain-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = (0..<40).map { ["hello a b", "world b a", "hello hello a", "a b a b world"][$0 % 4] }.joined(separator: "\n") + "\n"
        try text.write(toFile: dir + "/text.txt", atomically: true, encoding: .utf8)
        let args = ["pretrain", "mlm", "--model", base + "/tiny", "--text", dir + "/text.txt", "--max-length", "16", "--batch-size", "4",
                    "--threads", "1", "--evaluations", "2"]
        let first = try runCLI(args + ["--steps", "6", "--epochs", "5", "--output", dir + "/p1", "--result-json", dir + "/p1.json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("has no MLM head"), first.stderr)
        XCTAssertTrue(first.stderr.contains("held-out MLM loss"), first.stderr)
        XCTAssertTrue(first.stdout.contains("pretrained 6 steps"), first.stdout)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/p1.json"))) as? [String: Any]
        XCTAssertEqual((json?["history"] as? [Any])?.count, 3, "before training and 2 evaluations")
        let info = try runCLI(["info", dir + "/p1"])
        XCTAssertTrue(info.stdout.contains("masked-LM head: included") && info.stdout.contains("pretrained by pretrain mlm"), info.stdout + info.stderr)
        let again = try runCLI(args + ["--model", dir + "/p1", "--steps", "2", "--whole-word", "--line-by-line", "--output", dir + "/p2"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("the MLM head comes from"), again.stderr)
        let train = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/cls", model: dir + "/p2") + ["--no-verdict"])
        XCTAssertEqual(train.status, 0, train.stderr)
    }

    /// A new directory with empty.txt, word.txt (one word), bad.txt (invalid UTF-8 on line 2) and ok.txt.
    func badTexts() throws -> String {
        let dir = NSTemporaryDirectory() + "pretrain-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "".write(toFile: dir + "/empty.txt", atomically: true, encoding: .utf8)
        try "hello\n".write(toFile: dir + "/word.txt", atomically: true, encoding: .utf8)
        try Data([0x68, 0x69, 0x0A, 0xFF, 0xFE, 0x0A]).write(to: URL(fileURLWithPath: dir + "/bad.txt"))
        try "hello a\nworld b\n".write(toFile: dir + "/ok.txt", atomically: true, encoding: .utf8)
        return dir
    }

    func testBadTextAndBudgetsAreOneLineNamingThem() throws {
        let base = try BadInputFixtures.base()
        let dir = try badTexts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [([String], String)] = [
            (["--text", dir + "/empty.txt"], dir + "/empty.txt"), (["--text", dir + "/word.txt"], dir + "/word.txt"),
            (["--text", dir + "/bad.txt"], dir + "/bad.txt:2"), (["--text", dir + "/ok.txt", "--tokens", "0"], "--tokens"),
            (["--text", dir + "/ok.txt", "--steps", "-1"], "--steps"), (["--text", dir + "/ok.txt", "--mask", "1.5"], "--mask"),
            (["--text", dir + "/missing.txt"], dir + "/missing.txt"),
        ]
        for (extra, named) in cases {
            let run = try runCLI(["pretrain", "mlm", "--model", base + "/tiny", "--max-length", "16", "--output", dir + "/out"] + extra)
            XCTAssertNotEqual(run.status, 0, "\(extra)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(named), "\(extra): \(run.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/out"), "\(extra)")
        }
    }

    func testWordVectorsRefuseTextsTheyCannotTrainOnInOneLineNamingTheFile() throws {
        let dir = try badTexts()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let cases: [([String], String)] = [
            (["--text", dir + "/empty.txt"], dir + "/empty.txt"), (["--text", dir + "/word.txt"], dir + "/word.txt"),
            (["--text", dir + "/word.txt", "--min-count", "1"], dir + "/word.txt"), (["--text", dir + "/bad.txt"], dir + "/bad.txt:2"),
            (["--text", dir + "/ok.txt", "--epoch", "0"], "--epoch"), (["--text", dir + "/missing.txt"], dir + "/missing.txt"),
        ]
        for (extra, named) in cases {
            let run = try runCLI(["pretrain", "skipgram", "--output", dir + "/vectors", "--threads", "1"] + extra)
            XCTAssertNotEqual(run.status, 0, "\(extra)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
            XCTAssertTrue(run.stderr.contains(named), "\(extra): \(run.stderr)")
            for written in ["/vectors.bin", "/vectors.vec", "/vectors.checkpoint"] {
                XCTAssertFalse(FileManager.default.fileExists(atPath: dir + written), "\(extra): \(written)")
            }
        }
    }
}
