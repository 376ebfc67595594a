import XCTest
import TextTransferCore
@testable import TextTransferTraining

/// CORAL against its closed form: with no regularization the aligned source has the target's covariance
/// and mean exactly.
final class CORALAlignmentTests: XCTestCase {
    /// n rows of x·A + shift, x standard normal: covariance AᵀA.
    func sample(_ n: Int, mixing a: [[Float]], shift: Float, seed: UInt64) -> [[Float]] {
        var g = RandomGenerator(seed: seed)
        let d = a.count
        return (0..<n).map { _ in
            let x = (0..<d).map { _ in g.nextNormal() }
            return (0..<d).map { c in (0..<d).reduce(shift) { $0 + x[$1] * a[$1][c] } }
        }
    }

    func testTheAlignedSourceHasTheTargetsCovarianceAndMean() {
        let source = sample(300, mixing: [[1, 0.5, 0, 0], [0, 2, 0.3, 0], [0, 0, 0.5, 0], [0.2, 0, 0, 1]], shift: 1, seed: 1)
        let target = sample(250, mixing: [[0.3, 0, 0, 0], [0.4, 1, 0, 0], [0, 0, 3, 0.1], [0, 0, 0, 0.7]], shift: -2, seed: 2)
        let aligned = CORALAlignment(source: source, target: target, regularization: 0).align(source)
        let got = DenseMatrix(aligned).covariance, want = DenseMatrix(target).covariance
        for (a, b) in zip(got.values, want.values) { XCTAssertEqual(a, b, accuracy: 1e-3 * max(1, abs(b))) }
        for (a, b) in zip(DenseMatrix(aligned).columnMeans, DenseMatrix(target).columnMeans) { XCTAssertEqual(a, b, accuracy: 1e-4) }

        // Regularized, it moves the covariance toward the target's, not onto it.
        func distance(_ x: DenseMatrix) -> Double { zip(x.values, want.values).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        let softly = CORALAlignment(source: source, target: target).align(source)
        XCTAssertLessThan(distance(DenseMatrix(softly).covariance), distance(DenseMatrix(source).covariance) / 4)
    }

    func testDoubleGEMMAgreesWithItsPlainTwin() {
        var g = RandomGenerator(seed: 9)
        let a = DenseMatrix(rows: 3, columns: 4, values: (0..<12).map { _ in Double(g.nextNormal()) })
        let b = DenseMatrix(rows: 3, columns: 5, values: (0..<15).map { _ in Double(g.nextNormal()) })
        let product = a.times(b, transposingSelf: true)  // (4 × 3)(3 × 5)
        for i in 0..<4 {
            for j in 0..<5 {
                let plain = (0..<3).reduce(0.0) { $0 + a[$1, i] * b[$1, j] }
                XCTAssertEqual(product[i, j], plain, accuracy: 1e-12)
            }
        }
    }
}
