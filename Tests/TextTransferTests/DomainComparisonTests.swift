import Foundation
import XCTest
@testable import TextTransfer
import TextTransferTestSupport

/// The word and label measures of a domain comparison, on the tiny model (its vocabulary: hello, world,
/// ##s, a, b), where every figure can be counted by hand.
final class DomainComparisonTests: XCTestCase {
    var scratch: String!
    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "domains-\(UUID().uuidString)"
        try TinyBert.write(to: scratch)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    func testWordsLabelsAndUnknownsAreCountedAsByHand() throws {
        let encoder = try SentenceEncoder(directory: scratch)
        // Source words: hello ×3, a ×2, world ×1; target words: hello ×2, zebra ×2 (unknown to the model), b ×2.
        let source = DomainComparison.Sample(name: "source", texts: ["hello a", "hello a", "hello world"], labels: ["pos", "pos", "neg"])
        let target = DomainComparison.Sample(name: "target", texts: ["hello zebra", "b zebra", "hello b"], labels: ["neg", "neg", "neg"])
        let c = try DomainComparison(source: source, target: target, encoder: encoder, permutations: 10)
        XCTAssertEqual(c.targetWordsSeenInSource, 2.0 / 6, accuracy: 1e-12, "hello ×2 of 6 target tokens")
        XCTAssertEqual(c.sourceWordsSeenInTarget, 3.0 / 6, accuracy: 1e-12, "hello ×3 of 6 source tokens")
        // p = (hello ½, a ⅓, world ⅙), q = (hello ⅓, zebra ⅓, b ⅓).
        let p: [Double] = [0.5, 1.0 / 3, 1.0 / 6, 0, 0], q: [Double] = [1.0 / 3, 0, 0, 1.0 / 3, 1.0 / 3]
        var js = 0.0
        for (a, b) in zip(p, q) {
            let m = (a + b) / 2
            if a > 0 { js += a / 2 * log2(a / m) }
            if b > 0 { js += b / 2 * log2(b / m) }
        }
        XCTAssertEqual(c.wordDivergence, js, accuracy: 1e-12)
        XCTAssertEqual(c.target.unknownTokenRate, 2.0 / 6, accuracy: 1e-12, "zebra is [UNK] twice in 6 pieces")
        XCTAssertEqual(c.target.unknownWordRate, 2.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(c.source.unknownTokenRate, 0)
        XCTAssertEqual(c.source.labelShares, ["pos": 2.0 / 3, "neg": 1.0 / 3])
        XCTAssertEqual(try XCTUnwrap(c.labelShift), 2.0 / 3, accuracy: 1e-12, "½ (|⅔ − 0| + |⅓ − 1|)")
        XCTAssertNotNil(c.source.logME, "two labels: LogME of the features")
        XCTAssertNil(c.target.logME, "one label: no task to score")
        XCTAssertEqual(c.proxyADistance.examplesPerDomain, 3)
        XCTAssertTrue(c.table.contains("label shift (total variation)  0.667"), c.table)
        let unlabelled = try DomainComparison(source: source, target: .init(name: "t", texts: target.texts), encoder: encoder, permutations: 0)
        XCTAssertNil(unlabelled.labelShift)
        XCTAssertThrowsError(try DomainComparison(source: source, target: .init(name: "one", texts: ["hello"]), encoder: encoder)) {
            XCTAssertTrue("\($0)".contains("one"), "\($0)")
        }
    }
}
