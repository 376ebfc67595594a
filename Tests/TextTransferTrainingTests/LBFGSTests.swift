import Foundation
import TextTransferCore
import TextTransferTraining
import XCTest

final class LBFGSTests: XCTestCase {
    func testMinimizesRosenbrock() {
        var x = [-1.2, 1.0]
        var solver = LBFGS()
        solver.gradientTolerance = 1e-9
        let (iterations, value) = solver.minimize(&x) { p in
            let (a, b) = (p[0], p[1])
            return ((1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a),
                    [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])
        }
        XCTAssertLessThan(iterations, 200)
        XCTAssertEqual(x[0], 1, accuracy: 1e-6)
        XCTAssertEqual(x[1], 1, accuracy: 1e-6)
        XCTAssertLessThan(value, 1e-12)
    }

    /// At the fitted weights the regularized objective's gradient vanishes: mean((p − y)·x) + W/(C·n) = 0.
    func testLogisticRegressionReachesTheOptimum() {
        var generator = RandomGenerator(seed: 3)  // seeded: the same problem every run
        let (n, d, K) = (300, 5, 3)
        let features = (0..<n).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &generator) } }
        let labels = features.map { x in x[0] > 0.3 ? 2 : x[1] > 0 ? 1 : 0 }.enumerated().map { i, y in i % 17 == 0 ? (y + 1) % K : y }
        var solver = LBFGS()
        solver.gradientTolerance = 1e-8
        let fit = LogisticRegressionFit.fit(features: features, labels: labels, classes: K, solver: solver)
        var gradient = [Double](repeating: 0, count: K * d), biasGradient = [Double](repeating: 0, count: K)
        for (x, y) in zip(features, labels) {
            let z = (0..<K).map { k in Double(fit.biases[k]) + (0..<d).reduce(0.0) { $0 + Double(fit.weights[k * d + $1]) * Double(x[$1]) } }
            let e = z.map { exp($0 - z.max()!) }
            for k in 0..<K {
                let delta = e[k] / e.reduce(0, +) - (k == y ? 1 : 0)
                for j in 0..<d { gradient[k * d + j] += delta * Double(x[j]) / Double(n) }
                biasGradient[k] += delta / Double(n)
            }
        }
        for i in gradient.indices { gradient[i] += Double(fit.weights[i]) / Double(n) }
        // Float rounding of the returned weights bounds how small this can be.
        XCTAssertLessThan((gradient + biasGradient).map(abs).max()!, 1e-5)
        XCTAssertGreaterThan(fit.iterations, 3)
    }

    /// One-vs-rest: each tag's weights are scikit-learn's binary logistic regression at C = 1, whose
    /// gradient mean((σ(w·x + b) − y)·x) + w/n vanishes at the optimum.
    func testOneVsRestReachesEachBinaryOptimum() {
        var generator = RandomGenerator(seed: 4)
        let (n, d, T) = (200, 4, 2)
        let features = (0..<n).map { _ in (0..<d).map { _ in Float.random(in: -1...1, using: &generator) } }
        let targets: [[Float]] = features.enumerated().map { i, x in
            [x[0] + 0.3 * x[1] > 0 ? 1 : 0, (x[2] > 0.2) != (i % 11 == 0) ? 1 : 0]
        }
        let fit = LogisticRegressionFit.fitOneVsRest(features: features, targets: targets, tags: T)
        XCTAssertEqual(fit.weights.count, T * d)
        for t in 0..<T {
            var gradient = [Double](repeating: 0, count: d), bias = 0.0
            for (x, y) in zip(features, targets) {
                let z = Double(fit.biases[t]) + (0..<d).reduce(0.0) { $0 + Double(fit.weights[t * d + $1]) * Double(x[$1]) }
                let delta = 1 / (1 + exp(-z)) - Double(y[t])
                for j in 0..<d { gradient[j] += delta * Double(x[j]) / Double(n) }
                bias += delta / Double(n)
            }
            for j in 0..<d { gradient[j] += Double(fit.weights[t * d + j]) / Double(n) }
            XCTAssertLessThan((gradient + [bias]).map(abs).max()!, 1e-4, "tag \(t)")
        }
    }
}
