import Foundation
import TextTransferCore

/// The proxy A-distance of Ben-David et al. (2007): how well a linear classifier tells two domains apart
/// on their features. PAD = 2 (1 − 2ε), ε the domain classifier's held-out error: 0 when the domains are
/// indistinguishable (ε = ½), 2 when they are perfectly separable.
public struct ProxyADistance: Codable, Sendable, Equatable {
    /// The held-out error ε of the domain classifier (two-fold: each half predicted by a model of the other).
    public let error: Double
    /// 2 (1 − 2ε), at least 0 (a classifier worse than chance says the domains are alike).
    public let distance: Double
    /// Examples per domain the classifier saw (the larger side is subsampled to the smaller's size, so
    /// that chance is ½).
    public let examplesPerDomain: Int

    public static func distance(error: Double) -> Double { max(0, 2 * (1 - 2 * error)) }

    /// Measures `source` against `target` (rows of one width) with an L2-regularised logistic regression
    /// (scikit-learn's recipe, C = 1), two-fold on seeded halves of each side.
    public init(source: [[Float]], target: [[Float]], seed: UInt64 = 0) {
        precondition(source.count >= 2 && target.count >= 2, "each domain needs at least two examples")
        var generator = RandomGenerator(seed: seed)
        let n = min(source.count, target.count)
        func sample(_ rows: [[Float]]) -> [[Float]] {
            var order = Array(rows.indices)
            order.shuffle(using: &generator)
            return order.prefix(n).map { rows[$0] }
        }
        let sides = [sample(source), sample(target)]
        // Fold k holds the k-th half of each side.
        func fold(_ k: Int) -> (rows: [[Float]], labels: [Int]) {
            var rows: [[Float]] = [], labels: [Int] = []
            for (domain, side) in sides.enumerated() {
                let half = k == 0 ? side[..<(n / 2)] : side[(n / 2)...]
                rows += half
                labels += [Int](repeating: domain, count: half.count)
            }
            return (rows, labels)
        }
        let folds = [fold(0), fold(1)]
        var wrong = 0
        for k in 0..<2 {
            let (train, test) = (folds[k], folds[1 - k])
            let fit = LogisticRegressionFit.fit(features: train.rows, labels: train.labels, classes: 2)
            let predicted = LogisticRegressionFit.predict(test.rows, weights: fit.weights, biases: fit.biases, classes: 2)
            wrong += zip(predicted, test.labels).filter { $0 != $1 }.count
        }
        error = Double(wrong) / Double(2 * n)
        distance = Self.distance(error: error)
        examplesPerDomain = n
    }
}
