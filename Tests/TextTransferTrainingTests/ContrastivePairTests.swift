import XCTest
import TextTransferCore
import TextTransferTraining

/// SetFit's pair sampling: deterministic from the seed, every example an anchor once per round with a
/// similar and a dissimilar partner, every class covered; and multi-label's "shares a tag" rule.
final class ContrastivePairTests: XCTestCase {
    // 3 classes of unequal size: 5, 3 and 1 examples.
    let classes = [0, 0, 1, 0, 2, 1, 0, 1, 0]

    func rounds(_ sampler: ContrastivePairSampler, seed: UInt64, count: Int = 3, batchSize: Int = 4) -> [[[ContrastivePair]]] {
        var generator = RandomGenerator(seed: seed)
        return (0..<count).map { _ in sampler.round(batchSize: batchSize, generator: &generator) }
    }

    func testTheSameSeedDrawsTheSamePairsAndAnotherSeedOthers() {
        let sampler = ContrastivePairSampler(tags: classes.map { [$0] }, tagCount: 3)
        XCTAssertEqual(rounds(sampler, seed: 5), rounds(sampler, seed: 5))
        XCTAssertNotEqual(rounds(sampler, seed: 5), rounds(sampler, seed: 6))
    }

    func testEveryExampleAnchorsOneSimilarAndOneDissimilarPairPerRound() {
        let sampler = ContrastivePairSampler(tags: classes.map { [$0] }, tagCount: 3)
        XCTAssertEqual(sampler.pairsPerRound, 2 * classes.count)
        for round in rounds(sampler, seed: 1, count: 20) {
            XCTAssertEqual(round.count, sampler.batchesPerRound(batchSize: 4))
            XCTAssertTrue(round.allSatisfy { $0.count <= 4 })
            let pairs = round.flatMap { $0 }
            XCTAssertEqual(pairs.count, sampler.pairsPerRound)
            for i in classes.indices {
                let anchored = pairs.filter { $0.first == i }
                XCTAssertEqual(anchored.filter(\.similar).count, 1, "example \(i)")
                XCTAssertEqual(anchored.filter { !$0.similar }.count, 1, "example \(i)")
            }
            for pair in pairs {
                XCTAssertEqual(classes[pair.first] == classes[pair.second], pair.similar, "\(pair)")
                XCTAssertTrue(pair.similar || pair.first != pair.second)
            }
        }
        // Over many rounds every class is paired with itself and with each other class.
        let pairs = rounds(sampler, seed: 2, count: 50).flatMap { $0.flatMap { $0 } }
        let seen = Set(pairs.map { [classes[$0.first], classes[$0.second]].sorted() })
        XCTAssertEqual(seen, [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]])
    }

    func testAPartnerIsDrawnFromTheWholeSetWhenTheBatchHasNone() {
        // One anchor per batch: every partner comes from outside it, uniformly.
        let sampler = ContrastivePairSampler(tags: classes.map { [$0] }, tagCount: 3)
        var counts = [Int](repeating: 0, count: classes.count)
        for round in rounds(sampler, seed: 3, count: 400, batchSize: 2) {
            for pair in round.joined() where pair.first == 4 && !pair.similar { counts[pair.second] += 1 }  // the lone class-2 example
        }
        XCTAssertEqual(counts[4], 0)
        for (j, n) in counts.enumerated() where j != 4 { XCTAssertEqual(Double(n), 400.0 / 8, accuracy: 25, "partner \(j)") }
    }

    func testMultiLabelPairsAreSimilarWhenTheyShareATag() {
        let tags = [[0], [0, 1], [1], [2], [], [1, 2]]
        let sampler = ContrastivePairSampler(tags: tags, tagCount: 3)
        // The untagged example has no similar partner; everyone has a dissimilar one.
        XCTAssertEqual(sampler.pairsPerRound, 5 + 6)
        for pair in rounds(sampler, seed: 4, count: 30).flatMap({ $0.flatMap { $0 } }) {
            XCTAssertEqual(!Set(tags[pair.first]).isDisjoint(with: tags[pair.second]), pair.similar, "\(pair)")
            if !pair.similar { XCTAssertNotEqual(pair.first, pair.second, "no example is its own dissimilar partner") }
            if pair.similar { XCTAssertFalse(tags[pair.first].isEmpty, "the untagged example has no similar partner") }
        }
    }

    func testOneClassHasNothingToPushApart() {
        XCTAssertFalse(ContrastivePairSampler(tags: [[0], [0], [0]], tagCount: 1).hasDissimilarPairs)
        XCTAssertFalse(ContrastivePairSampler(tags: [[]], tagCount: 1).hasDissimilarPairs, "one untagged example has no partner")
        XCTAssertTrue(ContrastivePairSampler(tags: [[], []], tagCount: 1).hasDissimilarPairs)
    }
}
