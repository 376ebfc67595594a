import XCTest
@testable import TextTransferTraining

/// The paired bootstrap of a difference in accuracy, on cases whose answer is known.
final class PairedBootstrapTests: XCTestCase {
    func testDegenerateCasesHaveNoSpread() {
        let all = [Bool](repeating: true, count: 50), none = [Bool](repeating: false, count: 50)
        XCTAssertEqual(PairedBootstrap(first: all, second: none), PairedBootstrap(first: all, second: none))
        XCTAssertEqual(PairedBootstrap(first: all, second: none).interval95, [1, 1])
        XCTAssertEqual(PairedBootstrap(first: all, second: all).interval95, [0, 0])
        XCTAssertFalse(PairedBootstrap(first: all, second: all).isSignificant)
    }

    func testTheIntervalOfAFairCoinsDifferenceIsTheNormalOne() {
        // d_i ∈ {0, 1}, half each, n = 400: the mean's standard error is √(¼ / 400) = 0.025, so the 95%
        // interval is 0.5 ± 1.96 · 0.025 = [0.451, 0.549] up to resampling noise.
        let first = [Bool](repeating: true, count: 400), second = (0..<400).map { $0 % 2 == 0 }
        let b = PairedBootstrap(first: first, second: second)
        XCTAssertEqual(b.difference, 0.5)
        XCTAssertEqual(b.interval95[0], 0.451, accuracy: 0.012)
        XCTAssertEqual(b.interval95[1], 0.549, accuracy: 0.012)
        XCTAssertTrue(b.isSignificant)
        // The pairing matters: two models wrong on the same half differ by exactly nothing.
        XCTAssertEqual(PairedBootstrap(first: second, second: second).interval95, [0, 0])
    }
}
