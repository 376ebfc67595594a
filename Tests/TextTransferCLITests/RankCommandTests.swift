import Foundation
import XCTest
import TextTransferTestSupport

/// `rank` scores each candidate (a Transformer with its pooling or another, a word-vector file, random
/// features) by LogME beside a probe's dev accuracy, best LogME first, and names a bad candidate.
final class RankCommandTests: XCTestCase {
    func testEveryKindOfCandidateIsRankedByLogME() throws {
        let base = try BadInputFixtures.base()
        let json = NSTemporaryDirectory() + "rank-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: json) }
        let run = try runCLI(["rank", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--threads", "1",
                              "--candidate", base + "/tiny", "--candidate", base + "/tiny@cls", "--candidate", base + "/glove.txt",
                              "--candidate", "random:8", "--result-json", json])
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json))) as? [String: Any])
        let scores = try XCTUnwrap(object["scores"] as? [[String: Any]])
        XCTAssertEqual(Set(scores.compactMap { $0["candidate"] as? String }), [base + "/tiny", base + "/tiny@cls", base + "/glove.txt", "random:8"])
        let evidence = scores.compactMap { $0["log_me"] as? Double }
        XCTAssertEqual(evidence.count, 4)
        XCTAssertEqual(evidence, evidence.sorted(by: >), "best LogME first")
        for score in scores {
            let accuracy = try XCTUnwrap(score["probe_accuracy"] as? Double)
            XCTAssertTrue((0...1).contains(accuracy), "\(score)")
        }
        XCTAssertEqual(scores.first { $0["candidate"] as? String == base + "/glove.txt" }?["dimension"] as? Int, 4)
        XCTAssertEqual(run.stdout.split(separator: "\n").filter { $0.hasPrefix("   ") }.count, 4, run.stdout)
        let again = try runCLI(["rank", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--threads", "1", "--candidate", "random:8"])
        let other = try runCLI(["rank", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--threads", "1", "--candidate", "random:8"])
        XCTAssertEqual(again.stdout.split(separator: "\n")[2].prefix(40), other.stdout.split(separator: "\n")[2].prefix(40), "seeded: the same figures")
    }

    func testABadCandidateIsNamedInOneLine() throws {
        let base = try BadInputFixtures.base()
        for (candidate, message) in [(base + "/absent", "absent: no such model directory or word-vector file"),
                                     ("random:0", "random:0: random:D needs a dimension of at least 1"),
                                     (base + "/glove.txt@cls", "@pooling is for Transformer directories")] {
            let run = try runCLI(["rank", "--train", base + "/train.tsv", "--candidate", candidate])
            XCTAssertNotEqual(run.status, 0, candidate)
            XCTAssertTrue(run.stderr.contains(message), "\(candidate): \(run.stderr)")
            XCTAssertEqual(run.stderr.split(separator: "\n").count, 1, run.stderr)
        }
        // Without --dev the probe's fifth can take a small file's only example of a label: the file is named.
        let tiny = NSTemporaryDirectory() + "rank-two-\(UUID().uuidString).tsv"
        try "label\ttext\npos\thello\nneg\tworld\n".write(toFile: tiny, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: tiny) }
        let held = try runCLI(["rank", "--train", tiny, "--candidate", "random:4"])
        XCTAssertNotEqual(held.status, 0)
        XCTAssertTrue(held.stderr.contains(tiny + ": 1 label left after holding out a fifth"), held.stderr)
        // A dev label the training file lacks is named by the dev file and line (it said "dev:3:").
        let strayDev = NSTemporaryDirectory() + "rank-dev-\(UUID().uuidString).tsv"
        try "label\ttext\npos\thello\nneutral\tworld\n".write(toFile: strayDev, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: strayDev) }
        let stray = try runCLI(["rank", "--train", base + "/train.tsv", "--dev", strayDev, "--candidate", "random:4"])
        XCTAssertNotEqual(stray.status, 0)
        XCTAssertTrue(stray.stderr.contains(strayDev + ":3: label 'neutral'"), stray.stderr)
        let none = try runCLI(["rank", "--train", base + "/train.tsv"])
        XCTAssertNotEqual(none.status, 0)
        XCTAssertTrue(none.stderr.contains("--candidate"), none.stderr)
    }
}
