import Foundation
import XCTest
import TextTransferCore
@testable import TextTransferTraining

/// The domain measures against hand-computed values and against NumPy (Tools/golden/make_domain_fixtures.py).
final class DomainMeasureTests: XCTestCase {
    struct Fixture: Decodable {
        struct LogMECase: Decodable { var features: [[Float]]; var labels: [Int]; var score: Double }
        struct MMDCase: Decodable { var source: [[Float]]; var target: [[Float]]; var bandwidth: Double; var squared: Double }
        struct TCACase: Decodable {
            var source: [[Float]]; var target: [[Float]]; var bandwidth: Double; var mu: Double; var components: Int; var embedding: [[Double]]
        }
        var logme: LogMECase
        var mmd: MMDCase
        var tca: TCACase
    }

    func fixture() throws -> Fixture {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/domain_measures", withExtension: "json"))
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testMMDOfTwoPairsOfPointsIsTheHandComputedValue() {
        // X = {0, 1}, Y = {2, 3}, σ = 1, k(a, b) = exp(−(a − b)² / 2):
        // Σ_{i≠j∈X} k / 2 = e^{−½}, the same for Y, and the cross term 2/4 · (k(0,2) + k(0,3) + k(1,2) + k(1,3)).
        let e = { (x: Double) in Double.exp(x) }
        let expected = 2 * e(-0.5) - (e(-2) + e(-4.5) + e(-0.5) + e(-2)) / 2
        let mmd = MaximumMeanDiscrepancy(source: [[0], [1]], target: [[2], [3]], bandwidth: 1, permutations: 10)
        XCTAssertEqual(mmd.squared, expected, accuracy: 1e-6)
        // The pooled distances 1, 1, 1, 2, 2, 3: median 1.5.
        XCTAssertEqual(MaximumMeanDiscrepancy(source: [[0], [1]], target: [[2], [3]], permutations: 0).bandwidth, 1.5, accuracy: 1e-6)
    }

    func testMMDAtTheMedianBandwidthIsNumPys() throws {
        let f = try fixture().mmd
        let mmd = MaximumMeanDiscrepancy(source: f.source, target: f.target, permutations: 0)
        XCTAssertEqual(mmd.bandwidth, f.bandwidth, accuracy: 1e-5)
        XCTAssertEqual(mmd.squared, f.squared, accuracy: 1e-5)
    }

    func testThePermutationTestIsCalibratedAndTellsShiftedSamplesApart() {
        // Halves of one sample: the p-value is uniform, so about 5% of draws fall at or below 0.05.
        var significant = 0
        for seed in 1...40 {
            var generator = RandomGenerator(seed: UInt64(seed))
            let points = (0..<80).map { _ in (0..<4).map { _ in generator.nextNormal() } }
            let halves = MaximumMeanDiscrepancy(source: Array(points[..<40]), target: Array(points[40...]), permutations: 100, seed: 1)
            if halves.pValue <= 0.05 { significant += 1 }
        }
        XCTAssertLessThanOrEqual(significant, 6, "\(significant) of 40 pairs of halves of one sample called different")
        var generator = RandomGenerator(seed: 3)
        let points = (0..<120).map { _ in (0..<4).map { _ in generator.nextNormal() } }
        let shifted = points[60...].map { $0.map { $0 + 1.5 } }
        let apart = MaximumMeanDiscrepancy(source: Array(points[..<60]), target: shifted, permutations: 200, seed: 1)
        XCTAssertEqual(apart.pValue, 1.0 / 201, "no permutation comes near a shift of 1.5 σ")
        XCTAssertGreaterThan(apart.squared, 0.1)
    }

    func testProxyADistanceIsTwiceOneMinusTwiceTheError() {
        XCTAssertEqual(ProxyADistance.distance(error: 0), 2)
        XCTAssertEqual(ProxyADistance.distance(error: 0.25), 1)
        XCTAssertEqual(ProxyADistance.distance(error: 0.5), 0)
        XCTAssertEqual(ProxyADistance.distance(error: 0.6), 0, "worse than chance reads as alike")
        var generator = RandomGenerator(seed: 5)
        let a = (0..<80).map { _ in [generator.nextNormal(), generator.nextNormal()] }
        let b = (0..<100).map { _ in [generator.nextNormal() + 10, generator.nextNormal()] }
        let apart = ProxyADistance(source: a, target: b)
        XCTAssertEqual(apart.error, 0)
        XCTAssertEqual(apart.distance, 2)
        XCTAssertEqual(apart.examplesPerDomain, 80, "the larger side is cut to the smaller's size")
        let c = (0..<80).map { _ in [generator.nextNormal(), generator.nextNormal()] }
        XCTAssertLessThan(ProxyADistance(source: a, target: c).distance, 0.5, "two samples of one distribution")
    }

    func testLogMEIsTheAuthorsAlgorithmsValue() throws {
        let f = try fixture().logme
        XCTAssertEqual(LogME.score(features: f.features, labels: f.labels, classes: 3), f.score, accuracy: 1e-6 * abs(f.score))
        // Features that carry the labels score higher than the same features with the labels shuffled.
        var generator = RandomGenerator(seed: 1)
        let shuffled = f.labels.shuffled(using: &generator)
        XCTAssertGreaterThan(LogME.score(features: f.features, labels: f.labels, classes: 3), LogME.score(features: f.features, labels: shuffled, classes: 3))
    }

    func testNystromTCAWithEveryPointALandmarkIsExactTCA() throws {
        let f = try fixture().tca
        var settings = TransferComponentAnalysis.Settings()
        (settings.landmarks, settings.components, settings.mu, settings.bandwidth) = (f.source.count + f.target.count, f.components, f.mu, f.bandwidth)
        let tca = TransferComponentAnalysis(source: f.source, target: f.target, settings: settings)
        let ours = tca.transform(f.source + f.target)
        // Each component is an eigenvector, fixed up to its scale and sign: compare directions.
        for c in 0..<f.components {
            let a = ours.map { Double($0[c]) }, b = f.embedding.map { $0[c] }
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let cosine = dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
            XCTAssertGreaterThan(abs(cosine), 0.999, "component \(c): |cos| \(abs(cosine)) against NumPy's exact TCA")
        }
        // Fewer landmarks: still a k-dimensional map whose domains are closer than in the raw kernel features.
        settings.landmarks = 40
        let cheap = TransferComponentAnalysis(source: f.source, target: f.target, settings: settings)
        XCTAssertEqual(cheap.transform(f.source).first?.count, f.components)
        let before = MaximumMeanDiscrepancy(source: cheap.kernel.features(f.source), target: cheap.kernel.features(f.target), bandwidth: 1, permutations: 0)
        let after = MaximumMeanDiscrepancy(source: cheap.transform(f.source), target: cheap.transform(f.target), bandwidth: 1, permutations: 0)
        XCTAssertLessThan(after.squared, before.squared)
    }
}
