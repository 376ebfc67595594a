import XCTest
@testable import TextTransferTraining

/// The verdict's one line follows the paired interval of transferred − baseline.
final class TransferVerdictTests: XCTestCase {
    func model(_ name: String) -> TransferVerdict.Model { .init(name: name, accuracy: 0, accuracyInterval95: [0, 0], seconds: 0) }

    func testTheLineFollowsTheIntervalOfTheDifference() {
        let n = 400
        let half = (0..<n).map { $0 % 2 == 0 }, all = [Bool](repeating: true, count: n)
        let helps = TransferVerdict(transferred: model("t"), transferredCorrect: all, baseline: model("b"), baselineCorrect: half)
        XCTAssertEqual(helps.conclusion, .helps)
        XCTAssertTrue(helps.line.hasPrefix("transfer helps: +50.0 ["), helps.line)
        let hurts = TransferVerdict(transferred: model("t"), transferredCorrect: half, baseline: model("b"), baselineCorrect: all)
        XCTAssertEqual(hurts.conclusion, .negative)
        XCTAssertTrue(hurts.line.hasPrefix("negative transfer: -50.0 [") && hurts.line.hasSuffix("the from-scratch model is better here"), hurts.line)
        // Two models right on different halves but as often: the same accuracy, a wide interval around 0.
        let other = (0..<n).map { $0 % 2 == 1 }
        let tie = TransferVerdict(transferred: model("t"), transferredCorrect: half, baseline: model("b"), baselineCorrect: other)
        XCTAssertEqual(tie.conclusion, .noDifference)
        XCTAssertTrue(tie.line.hasPrefix("no significant difference: +0.0 ["), tie.line)
    }
}
