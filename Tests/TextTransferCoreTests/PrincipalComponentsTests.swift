import XCTest
@testable import TextTransferCore

/// LAPACK's eigensolver against the plain Jacobi twin, and PCA's projections against what they must be.
final class PrincipalComponentsTests: XCTestCase {
    func testTheEigensolverMatchesItsPlainTwin() {
        var rng = SeededGenerator(seed: 5)
        for n in [1, 2, 5, 17] {
            let b = (0..<n * n).map { _ in Double.random(in: -1...1, using: &rng) }
            var a = [Double](repeating: 0, count: n * n)  // BᵀB + I: symmetric, distinct eigenvalues
            for i in 0..<n { for j in 0..<n { a[i * n + j] = (0..<n).reduce(i == j ? 1 : 0) { $0 + b[$1 * n + i] * b[$1 * n + j] } } }
            let fast = symmetricEigen(a, dimension: n, triangle: "L"), plain = referenceSymmetricEigen(a, dimension: n)
            for i in 0..<n {
                XCTAssertEqual(fast.values[i], plain.values[i], accuracy: 1e-9 * max(1, plain.values[i]), "n \(n) eigenvalue \(i)")
                let dot = (0..<n).reduce(0.0) { $0 + fast.vectors[i * n + $1] * plain.vectors[i * n + $1] }
                XCTAssertEqual(abs(dot), 1, accuracy: 1e-7, "n \(n) eigenvector \(i) (up to sign)")
            }
        }
    }

    func testComponentsFollowTheVarianceAndSklearnsSigns() {
        // Points along (3, −4)/5 with a little spread along (4, 3)/5, centred at (10, 20).
        var rows: [Float] = []
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<200 {
            let (t, s) = (Float.random(in: -5...5, using: &rng), Float.random(in: -0.5...0.5, using: &rng))
            rows += [10 + t * 0.6 + s * 0.8, 20 - t * 0.8 + s * 0.6]
        }
        let pca = PrincipalComponents(fitting: rows, count: 200, dimension: 2, components: 2)
        XCTAssertEqual(pca.mean[0], 10, accuracy: 0.3)
        // The largest-magnitude loading is positive: (−0.6, 0.8), then (0.8, 0.6).
        XCTAssertEqual(pca.components[0], -0.6, accuracy: 0.01)
        XCTAssertEqual(pca.components[1], 0.8, accuracy: 0.01)
        XCTAssertEqual(pca.components[2], 0.8, accuracy: 0.01)
        XCTAssertGreaterThan(pca.explainedVariance[0], 50 * pca.explainedVariance[1])
        let projected = pca.transform(rows, count: 200)
        let meanOfFirst = stride(from: 0, to: 400, by: 2).reduce(0.0) { $0 + Double(projected[$1]) } / 200
        XCTAssertEqual(meanOfFirst, 0, accuracy: 1e-4, "projections of the fitted rows are centred")
        let variance = stride(from: 0, to: 400, by: 2).reduce(0.0) { $0 + Double(projected[$1] * projected[$1]) } / 199
        XCTAssertEqual(variance, pca.explainedVariance[0], accuracy: 1e-3 * variance)
    }
}
