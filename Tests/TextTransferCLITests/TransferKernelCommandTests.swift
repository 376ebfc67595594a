import Foundation
import XCTest
import TextTransferTestSupport

/// `train --strategy transfer-kernel` end to end: the saved classifier scores dev in `evaluate` exactly as
/// the run reported, and its flags are refused without the strategy (and the strategy without them).
final class TransferKernelCommandTests: XCTestCase {
    func testTheSavedTransferKernelEvaluatesAsTheRunReported() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "transfer-kernel-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try runCLI(["train", "--strategy", "transfer-kernel", "--model", base + "/tiny", "--source", base + "/train.tsv",
                              "--train", base + "/texts.txt", "--dev", base + "/dev.tsv", "--landmarks", "8", "--components", "2,3", "--mus", "1",
                              "--threads", "1", "--output", dir + "/model", "--result-json", dir + "/run.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("transfer kernel − unadapted kernel"), run.stdout)
        let evaluation = try runCLI(["evaluate", "--model", dir + "/model", "--data", base + "/dev.tsv", "--threads", "1", "--json", dir + "/eval.json"])
        XCTAssertEqual(evaluation.status, 0, evaluation.stderr)
        func object(_ file: String) throws -> [String: Any] {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))) as? [String: Any])
        }
        let reported = try XCTUnwrap((try object("run.json")["transfer_kernel"] as? [String: Any])?["accuracy"] as? Double)
        XCTAssertEqual(try object("eval.json")["accuracy"] as? Double, reported)
        let candidates = try XCTUnwrap(try object("run.json")["candidates"] as? [[String: Any]])
        XCTAssertEqual(candidates.count, 3, "no adaptation, then μ 1 with 2 and 3 components")
    }

    func testItsFlagsAndTheStrategyNeedEachOther() throws {
        let base = try BadInputFixtures.base()
        let output = NSTemporaryDirectory() + "transfer-kernel-refused-\(UUID().uuidString)"
        let missing = try runCLI(["train", "--strategy", "transfer-kernel", "--model", base + "/tiny", "--train", base + "/texts.txt",
                                  "--dev", base + "/dev.tsv", "--output", output])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("--source"), missing.stderr)
        let stray = try runCLI(BadInputFixtures.trainArguments(base: base, output: output) + ["--source", base + "/train.tsv"])
        XCTAssertNotEqual(stray.status, 0)
        XCTAssertTrue(stray.stderr.contains("add --strategy transfer-kernel"), stray.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "a refused run writes nothing")
    }

    func testBadSettingListsAreRefusedInOneLineNamingTheFlag() throws {
        let base = try BadInputFixtures.base()
        let output = NSTemporaryDirectory() + "transfer-kernel-lists-\(UUID().uuidString)"
        for (flag, value, message) in [("--bandwidth-scales", "1,,2", "must be a comma-separated list of numbers, not '1,,2'"),
                                       ("--bandwidth-scales", "0", "must be positive, not '0'"),
                                       ("--mus", "1,", "must be a comma-separated list of numbers, not '1,'"),
                                       ("--mus", "nan", "must be positive, not 'nan'"),
                                       ("--components", "16,x", "must be a comma-separated list of numbers, not '16,x'"),
                                       ("--components", "0", "must be at least 1, not '0'")] {
            let r = try runCLI(["train", "--strategy", "transfer-kernel", "--model", base + "/tiny", "--source", base + "/train.tsv",
                                "--train", base + "/texts.txt", "--dev", base + "/dev.tsv", "\(flag)=\(value)", "--output", output])
            XCTAssertNotEqual(r.status, 0, "\(flag) \(value)")
            XCTAssertTrue(r.stderr.contains("\(flag) \(message)"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: output), "a refused run writes nothing")
    }

    func testBadSourceAndDevAreNamedByFileAndLine() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "transfer-kernel-bad-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "label\ttext\npos\thello\npos\thello a\npos\tworld\npos\tb\n".write(toFile: dir + "/one-label.tsv", atomically: true, encoding: .utf8)
        try "label\ttext\npos\thello\nneutral\ta b\n".write(toFile: dir + "/dev.tsv", atomically: true, encoding: .utf8)
        func run(source: String, dev: String) throws -> CLIRun {
            try runCLI(["train", "--strategy", "transfer-kernel", "--model", base + "/tiny", "--source", source, "--train", base + "/texts.txt",
                        "--dev", dev, "--landmarks", "4", "--threads", "1", "--output", dir + "/model"])
        }
        let oneLabel = try run(source: dir + "/one-label.tsv", dev: base + "/dev.tsv")
        XCTAssertNotEqual(oneLabel.status, 0)
        XCTAssertTrue(oneLabel.stderr.contains(dir + "/one-label.tsv: needs at least two labels"), oneLabel.stderr)
        let strayLabel = try run(source: base + "/train.tsv", dev: dir + "/dev.tsv")
        XCTAssertNotEqual(strayLabel.status, 0)
        XCTAssertTrue(strayLabel.stderr.contains(dir + "/dev.tsv:3: label 'neutral'"), strayLabel.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/model"), "nothing is written")
    }
}
