import Foundation
import TextTransferCore

/// The maximum mean discrepancy of Gretton et al. (2012) between two samples of features, with an RBF
/// kernel k(x, y) = exp(−‖x − y‖² / (2σ²)): the unbiased MMD², σ by the median heuristic (the median
/// distance between the pooled points), and a permutation test of "both come from one distribution".
public struct MaximumMeanDiscrepancy: Codable, Sendable, Equatable {
    /// The unbiased estimate of MMD² (it can be slightly negative when the samples are alike).
    public let squared: Double
    /// The kernel's σ.
    public let bandwidth: Double
    /// (1 + permutations whose MMD² is at least this one's) / (1 + permutations).
    public let pValue: Double
    public let permutations: Int
    /// Examples of each side used (each side is subsampled to `maxExamples`: the test is O(n²)).
    public let sourceExamples, targetExamples: Int

    public init(source: [[Float]], target: [[Float]], bandwidth: Double? = nil, permutations: Int = 500,
                maxExamples: Int = 1000, seed: UInt64 = 0) {
        precondition(source.count >= 2 && target.count >= 2, "each sample needs at least two points")
        precondition(bandwidth.map { $0 > 0 } ?? true, "the bandwidth must be positive")
        var generator = RandomGenerator(seed: seed)
        func sample(_ rows: [[Float]]) -> [[Float]] {
            guard rows.count > maxExamples else { return rows }
            var order = Array(rows.indices)
            order.shuffle(using: &generator)
            return order.prefix(maxExamples).map { rows[$0] }
        }
        let x = sample(source), y = sample(target)
        let points = x + y
        let pooled = DenseMatrix(points)
        let squaredDistances = DenseMatrix.squaredDistances(pooled, pooled)
        let distances = squaredDistances.values
        let N = points.count
        let sigma = bandwidth ?? squaredDistances.medianOffDiagonalDistance
        let gamma = 1 / (2 * max(sigma * sigma, .leastNormalMagnitude))
        let kernel = distances.map { Double.exp(-gamma * $0) }
        var inSource = [Bool](repeating: false, count: N)
        for i in 0..<x.count { inSource[i] = true }
        let observed = Self.unbiasedSquared(kernel, count: N, inSource: inSource, sourceCount: x.count)
        var atLeast = 0
        for _ in 0..<permutations {
            inSource.shuffle(using: &generator)
            if Self.unbiasedSquared(kernel, count: N, inSource: inSource, sourceCount: x.count) >= observed { atLeast += 1 }
        }
        squared = observed
        self.bandwidth = sigma
        pValue = Double(1 + atLeast) / Double(1 + permutations)
        self.permutations = permutations
        (sourceExamples, targetExamples) = (x.count, y.count)
    }

    /// Σ_{i≠j∈X} k / (m(m−1)) + Σ_{i≠j∈Y} k / (n(n−1)) − 2 Σ_{i∈X, j∈Y} k / (mn).
    static func unbiasedSquared(_ kernel: [Double], count N: Int, inSource: [Bool], sourceCount m: Int) -> Double {
        var xx = 0.0, yy = 0.0, xy = 0.0
        for i in 0..<N {
            var toSource = 0.0, toTarget = 0.0
            let row = i * N
            for j in 0..<N where j != i {
                if inSource[j] { toSource += kernel[row + j] } else { toTarget += kernel[row + j] }
            }
            if inSource[i] { xx += toSource; xy += toTarget } else { yy += toTarget }
        }
        let n = N - m
        return xx / Double(m * (m - 1)) + yy / Double(n * (n - 1)) - 2 * xy / Double(m * n)
    }
}
