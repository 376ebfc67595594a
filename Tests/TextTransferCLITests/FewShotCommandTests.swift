import Foundation
import XCTest
import TextTransferTestSupport

/// `train --shots N` trains on N examples of each class drawn with the seed, and says how many it kept.
final class FewShotCommandTests: XCTestCase {
    func testShotsKeepNExamplesPerClass() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "shots-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/cls") + ["--shots", "2", "--no-verdict"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("few-shot: 4 of 24 training examples, 2 per class"), run.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/cls/text_transfer.json"))
        let regression = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/r") + ["--shots", "2", "--head", "regression"])
        XCTAssertNotEqual(regression.status, 0)
        XCTAssertTrue(regression.stderr.contains("--shots"), regression.stderr)
    }

    /// `--strategy setfit` with the examples it used written out, the baselines beside it in the verdict.
    func testSetFitWritesItsExamplesAndReportsTheBaselines() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "setfit-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let run = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/cls")
            + ["--shots", "3", "--strategy", "setfit", "--pair-rounds", "2", "--write-train", dir + "/train.tsv", "--write-dev", dir + "/dev.tsv",
               "--result-json", dir + "/result.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stderr.contains("setfit: 2 rounds of 12 pairs over 6 examples"), run.stderr)
        XCTAssertTrue(run.stdout.contains("frozen probe") && run.stdout.contains("from scratch"), run.stdout)
        let written = try String(contentsOfFile: dir + "/train.tsv", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(written.first, "label\ttext")
        XCTAssertEqual(written.count, 1 + 6)
        XCTAssertEqual(try String(contentsOfFile: dir + "/dev.tsv", encoding: .utf8), try String(contentsOfFile: base + "/dev.tsv", encoding: .utf8))
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json"))) as? [String: Any]
        XCTAssertNotNil((result?["verdict"] as? [String: Any])?["probe"])
        XCTAssertLessThan(try XCTUnwrap(result?["evaluationSeconds"] as? Double), try XCTUnwrap(result?["seconds"] as? Double))

        let stray = try runCLI(BadInputFixtures.trainArguments(base: base, output: dir + "/other") + ["--pair-rounds", "2"])
        XCTAssertNotEqual(stray.status, 0)
        XCTAssertTrue(stray.stderr.contains("--strategy setfit"), stray.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/other"))
    }
}
