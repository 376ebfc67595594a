import XCTest
import TextTransferCore
import TextTransferEncoders
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// Losses: gradients against finite differences (Double), values against hand computation.
final class LossTests: XCTestCase {
    let logits: [Double] = [0.3, -1.2, 2.0, 0.5, 0.5, -0.7, -2.0, 1.1, 0.0]  // (3, 3)

    func checkGradient(_ name: String, _ point: [Double], _ analytic: [Double], _ loss: ([Double]) -> Double, line: UInt = #line) {
        for i in point.indices {
            var plus = point, minus = point
            plus[i] += 1e-6
            minus[i] -= 1e-6
            let numeric = (loss(plus) - loss(minus)) / 2e-6
            XCTAssertEqual(analytic[i], numeric, accuracy: 1e-7 * max(1, abs(numeric)), "\(name) [\(i)]", line: line)
        }
    }

    func testCosineSimilarityLoss() {
        // Rows 0..3 of width 3; row 1 takes part in three pairs, one of them with itself.
        let rows: [Double] = [1, 2, 0.5, -0.3, 0.8, 1.5, 2, -1, 0.2, 0.1, 0.1, -3]
        let pairs: [(first: Int, second: Int, target: Double)] = [(0, 1, 1), (1, 2, 0), (3, 0, 0), (1, 1, 1)]
        let (loss, gradient) = cosineSimilarityLoss(embeddings: rows, width: 3, pairs: pairs)
        checkGradient("cosine similarity", rows, gradient) { cosineSimilarityLoss(embeddings: $0, width: 3, pairs: pairs).loss }
        func cosine(_ a: Int, _ b: Int) -> Double {
            let (u, v) = (Array(rows[(a * 3)..<(a * 3 + 3)]), Array(rows[(b * 3)..<(b * 3 + 3)]))
            let dot = zip(u, v).map(*).reduce(0, +)
            return dot / (u.map { $0 * $0 }.reduce(0, +).squareRoot() * v.map { $0 * $0 }.reduce(0, +).squareRoot())
        }
        let expected = pairs.map { (cosine($0.first, $0.second) - $0.target) * (cosine($0.first, $0.second) - $0.target) }.reduce(0, +) / 4
        XCTAssertEqual(loss, expected, accuracy: 1e-12)
        XCTAssertEqual(cosine(1, 1), 1, accuracy: 1e-12)
    }

    func testCrossEntropyValueByHand() {
        // Row 0: log-sum-exp(0.3, -1.2, 2.0) − 0.3
        let lse = log(exp(0.3) + exp(-1.2) + exp(2.0))
        let (loss, _) = softmaxCrossEntropy(logits: Array(logits[0..<3]), labels: [0], classes: 3)
        XCTAssertEqual(loss, lse - 0.3, accuracy: 1e-12)
    }

    func testCrossEntropyGradientsWithSmoothingAndWeights() {
        let labels = [2, 0, 1]
        for (smoothing, weights) in [(0.0, nil), (0.1, nil), (0.0, [1.0, 2.0, 0.5]), (0.2, [0.3, 1.0, 3.0] as [Double]?)] {
            let g = softmaxCrossEntropy(logits: logits, labels: labels, classes: 3, labelSmoothing: smoothing, classWeights: weights).gradient
            checkGradient("cross-entropy ε=\(smoothing) w=\(String(describing: weights))", logits, g) {
                softmaxCrossEntropy(logits: $0, labels: labels, classes: 3, labelSmoothing: smoothing, classWeights: weights).loss
            }
        }
    }

    func testClassWeightsFollowPyTorch() {
        // PyTorch: Σ w_y·loss_i / Σ w_y. With one example per class this is a weighted mean of the rows.
        let w = [1.0, 2.0, 0.5]
        let rows = (0..<3).map { softmaxCrossEntropy(logits: Array(logits[($0 * 3)..<($0 * 3 + 3)]), labels: [[2, 0, 1][$0]], classes: 3).loss }
        let expected = (rows[0] * w[2] + rows[1] * w[0] + rows[2] * w[1]) / (w[2] + w[0] + w[1])
        XCTAssertEqual(softmaxCrossEntropy(logits: logits, labels: [2, 0, 1], classes: 3, classWeights: w).loss, expected, accuracy: 1e-12)
    }

    func testBinaryCrossEntropy() {
        let targets: [Double] = [1, 0, 1, 0, 0, 1, 1, 0, 0]
        let g = binaryCrossEntropyWithLogits(logits: logits, targets: targets).gradient
        checkGradient("bce", logits, g) { binaryCrossEntropyWithLogits(logits: $0, targets: targets).loss }
        let single = binaryCrossEntropyWithLogits(logits: [0.3], targets: [1]).loss
        XCTAssertEqual(single, -log(1 / (1 + exp(-0.3))), accuracy: 1e-12)
    }

    func testRegressionLosses() {
        let targets: [Double] = [0.5, -1.0, 0.0, 3.0, 0.4, -0.7, 1.0, 1.0, -5.0]
        checkGradient("mse", logits, meanSquaredError(predictions: logits, targets: targets).gradient) { meanSquaredError(predictions: $0, targets: targets).loss }
        checkGradient("huber", logits, huberLoss(predictions: logits, targets: targets).gradient) { huberLoss(predictions: $0, targets: targets).loss }
        XCTAssertEqual(huberLoss(predictions: [3.0], targets: [0.0]).loss, 2.5, accuracy: 1e-12)  // δ(|d| − δ/2)
        XCTAssertEqual(huberLoss(predictions: [0.5], targets: [0.0]).loss, 0.125, accuracy: 1e-12)
    }

    func testDistillation() {
        let teacher: [Double] = [1.0, 0.2, -0.5, 0.0, 2.5, 0.1, -1.0, -1.0, 0.3]
        for temperature in [1.0, 2.0, 4.0] {
            let g = distillationKL(student: logits, teacher: teacher, classes: 3, temperature: temperature).gradient
            checkGradient("kl τ=\(temperature)", logits, g) { distillationKL(student: $0, teacher: teacher, classes: 3, temperature: temperature).loss }
        }
        XCTAssertEqual(distillationKL(student: teacher, teacher: teacher, classes: 3, temperature: 2).loss, 0, accuracy: 1e-12)
    }
}
