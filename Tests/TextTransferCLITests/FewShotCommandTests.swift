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
}
