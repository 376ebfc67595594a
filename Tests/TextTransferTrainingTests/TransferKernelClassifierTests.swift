import XCTest
import TextTransferCore
@testable import TextTransferTraining

/// The transfer kernel on a covariate shift it can undo: the target is the source's two classes moved and
/// stretched, so the unadapted kernel classifier calls nearly everything one class.
final class TransferKernelClassifierTests: XCTestCase {
    func points(_ n: Int, seed: UInt64, scale: Float = 1, shift: [Float] = [0, 0]) -> (rows: [[Float]], labels: [Int]) {
        var g = RandomGenerator(seed: seed)
        var rows: [[Float]] = [], labels: [Int] = []
        for i in 0..<n {
            let label = i % 2
            let x = (label == 0 ? -1 : 1) + 0.5 * g.nextNormal(), y = 0.5 * g.nextNormal()
            rows.append([x * scale + shift[0], y * scale + shift[1]])
            labels.append(label)
        }
        return (rows, labels)
    }

    func testAdaptingTheKernelUndoesAShiftTheUnadaptedKernelCannot() throws {
        let source = points(200, seed: 1), target = points(200, seed: 2, scale: 2, shift: [3, 2])
        var settings = TransferKernelClassifier.Settings()
        (settings.landmarks, settings.components, settings.mus, settings.coral) = (60, [4, 8], [0.1, 1], true)
        let model = try TransferKernelClassifier(source: source.rows, labels: source.labels, target: target.rows, classes: 2, settings: settings)
        func accuracy(_ predicted: [Int]) -> Double { Double(zip(predicted, target.labels).filter { $0 == $1 }.count) / Double(target.labels.count) }
        let adapted = accuracy(model.predict(target.rows)), unadapted = accuracy(model.predictUnadapted(target.rows))
        XCTAssertEqual(model.candidates.count, 5, "no adaptation and every (μ, components) pair are scored by reverse validation")
        XCTAssertFalse(model.candidates[0].adapted)
        XCTAssertTrue(model.chosen.adapted, "on this shift the unlabelled check prefers adapting")
        XCTAssertTrue(model.candidates.contains { $0.mu == model.chosen.mu && $0.components == model.chosen.components })
        XCTAssertGreaterThanOrEqual(adapted, 0.9, "adapted \(adapted)")
        XCTAssertGreaterThan(adapted, unadapted + 0.2, "adapted \(adapted), unadapted \(unadapted)")
        XCTAssertThrowsError(try TransferKernelClassifier(source: Array(source.rows.prefix(3)), labels: Array(source.labels.prefix(3)),
                                                          target: target.rows, classes: 2))
    }

    /// A checkerboard of unit cells spread over 8 × 8: the median heuristic's σ (about 3) smooths the cells
    /// away, a quarter of it resolves them, by far more than a standard error of the held-out source's score.
    func testTheHeldOutSourceMovesTheBandwidthOffTheMedianHeuristicOnlyWhenClearlyBetter() throws {
        func board(_ n: Int, seed: UInt64) -> (rows: [[Float]], labels: [Int]) {
            var g = RandomGenerator(seed: seed)
            let rows = (0..<n).map { _ in [g.nextUnitFloat() * 8 - 4, g.nextUnitFloat() * 8 - 4] }
            return (rows, rows.map { Int(($0[0] + 4).rounded(.down) + ($0[1] + 4).rounded(.down)) % 2 })
        }
        let source = board(600, seed: 3), target = board(400, seed: 4)
        var settings = TransferKernelClassifier.Settings()
        (settings.landmarks, settings.components, settings.mus, settings.bandwidthScales, settings.inverseRegularization) = (200, [4], [1], [1, 0.25], 100)
        let model = try TransferKernelClassifier(source: source.rows, labels: source.labels, target: target.rows, classes: 2, settings: settings)
        XCTAssertEqual(model.bandwidths.map(\.scale), [1, 0.25])
        XCTAssertEqual(model.bandwidths[1].bandwidth / model.bandwidths[0].bandwidth, 0.25, accuracy: 1e-12, "the same landmarks, σ scaled")
        let best = model.bandwidths.max { $0.heldOutSourceAccuracy < $1.heldOutSourceAccuracy }!
        XCTAssertEqual(model.bandwidthScale, best.scale)
        XCTAssertEqual(model.bandwidthScale, 0.25, "held-out accuracies \(model.bandwidths.map(\.heldOutSourceAccuracy))")
        XCTAssertEqual(model.unadaptedHead.bandwidth, best.bandwidth, accuracy: 1e-12)
        var wide = settings
        wide.bandwidthScales = [1]
        let median = try TransferKernelClassifier(source: source.rows, labels: source.labels, target: target.rows, classes: 2, settings: wide)
        func accuracy(_ predicted: [Int]) -> Double { Double(zip(predicted, target.labels).filter { $0 == $1 }.count) / Double(target.labels.count) }
        XCTAssertGreaterThan(accuracy(model.predictUnadapted(target.rows)), accuracy(median.predictUnadapted(target.rows)) + 0.1)
        // A scale 5% away scores a little better, by less than a standard error of the 120 held-out rows'
        // accuracy: the first listed stays.
        var near = settings
        near.bandwidthScales = [0.2, 0.19]
        let close = try TransferKernelClassifier(source: source.rows, labels: source.labels, target: target.rows, classes: 2, settings: near)
        let (first, second) = (close.bandwidths[0].heldOutSourceAccuracy, close.bandwidths[1].heldOutSourceAccuracy)
        XCTAssertGreaterThan(second, first)
        XCTAssertLessThan(second - first, (second * (1 - second) / 120).squareRoot())
        XCTAssertEqual(close.bandwidthScale, 0.2)
    }
}
