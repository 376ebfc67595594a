import Foundation
import XCTest
import TextTransferTestSupport

/// Every `train` run says whether transfer helped, unless told not to: the verdict is printed, kept in
/// the classifier directory (which `info` shows) and written into the result JSON.
final class TransferVerdictCommandTests: XCTestCase {
    func testATrainRunSaysWhetherTransferHelpedAndInfoShowsIt() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "verdict-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let common = ["train", "--model", base + "/tiny", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--epochs", "1", "--threads", "1", "--max-length", "16"]
        let run = try runCLI(common + ["--output", dir + "/model", "--result-json", dir + "/result.json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(["transfer helps: ", "no significant difference: ", "negative transfer: "].contains { run.stdout.contains($0) }, run.stdout)
        XCTAssertTrue(run.stdout.contains("from scratch (word + char n-grams)"), run.stdout)
        XCTAssertTrue(run.stdout.contains("frozen probe (logistic regression)"), "a fine-tuned run is compared with its frozen probe: \(run.stdout)")
        XCTAssertTrue(run.stdout.contains("of WordPiece tokens unknown"), run.stdout)
        let result = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/result.json"))) as? [String: Any]
        let verdict = try XCTUnwrap(result?["verdict"] as? [String: Any], "\(String(describing: result))")
        XCTAssertNotNil(verdict["conclusion"] as? String)
        XCTAssertNotNil(verdict["transferred_minus_baseline"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir + "/model/transfer_verdict.json"))
        let info = try runCLI(["info", dir + "/model"])
        XCTAssertEqual(info.status, 0, info.stderr)
        XCTAssertTrue(info.stdout.contains("transfer verdict (dev):"), info.stdout)

        // The same verdict for a classifier trained before.
        let later = try runCLI(["verdict", "--model", dir + "/model", "--train", base + "/train.tsv", "--dev", base + "/dev.tsv", "--threads", "1"])
        XCTAssertEqual(later.status, 0, later.stderr)
        XCTAssertTrue(later.stdout.contains("from scratch (word + char n-grams)"), later.stdout)
        try "label\ttext\npos\thello a\nmaybe\tworld\n".write(toFile: dir + "/odd.tsv", atomically: true, encoding: .utf8)
        let odd = try runCLI(["verdict", "--model", dir + "/model", "--train", base + "/train.tsv", "--dev", dir + "/odd.tsv"])
        XCTAssertEqual(odd.status, 1)
        XCTAssertTrue(odd.stderr.contains(dir + "/odd.tsv:3") && odd.stderr.contains("maybe"), odd.stderr)

        let skipped = try runCLI(common + ["--output", dir + "/plain", "--no-verdict"])
        XCTAssertEqual(skipped.status, 0, skipped.stderr)
        XCTAssertFalse(skipped.stdout.contains("from scratch"), skipped.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/plain/transfer_verdict.json"))
    }
}
