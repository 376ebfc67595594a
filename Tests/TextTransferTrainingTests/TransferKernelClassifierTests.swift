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
}
