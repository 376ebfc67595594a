import Foundation
import XCTest
import TextTransferTestSupport

/// `adapt` end to end: four methods on the same frozen features, the features cached for the next run.
final class AdaptCommandTests: XCTestCase {
    func testAdaptComparesFourMethodsOnTheSameFeaturesAndCachesThem() throws {
        let base = try BadInputFixtures.base()
        let dir = NSTemporaryDirectory() + "adapt-cli-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let arguments = ["adapt", "--model", base + "/tiny", "--source", base + "/train.tsv", "--target", base + "/dev.tsv", "--dev", base + "/dev.tsv",
                         "--landmarks", "8", "--threads", "1", "--cache", dir + "/features", "--result-json", dir + "/adapt.json"]
        let run = try runCLI(arguments)
        XCTAssertEqual(run.status, 0, run.stderr)
        for method in ["frozen features, logistic regression", "kernel, no adaptation", "kernel after CORAL", "transfer kernel ("] {
            XCTAssertTrue(run.stdout.contains(method), "\(method): \(run.stdout)")
        }
        XCTAssertTrue(run.stdout.contains("reverse validation (no target labels)"), run.stdout)
        let again = try runCLI(Array(arguments.dropLast()) + [dir + "/again.json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("come from \(dir)/features"), "the second run reads the cached features: \(again.stderr)")
        func accuracies(_ file: String) throws -> [Double] {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))) as? [String: Any]
            return (json?["methods"] as? [[String: Any]] ?? []).compactMap { $0["accuracy"] as? Double }
        }
        XCTAssertEqual(try accuracies("adapt.json").count, 4)
        XCTAssertEqual(try accuracies("again.json"), try accuracies("adapt.json"), "the same features give the same comparison")
    }
}
