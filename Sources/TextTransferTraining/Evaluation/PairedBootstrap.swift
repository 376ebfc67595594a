import TextTransferCore

/// The difference in accuracy of two models answered on the same examples, with a 95% interval from
/// resampling the examples (not each model's accuracy on its own: the pairing is what makes a small
/// difference tell).
public struct PairedBootstrap: Codable, Sendable, Equatable {
    /// Accuracy of the first minus the second.
    public let difference: Double
    /// The 2.5th and 97.5th percentiles of the resampled differences.
    public let interval95: [Double]

    /// `first[i]` and `second[i]`: whether each model was right on example i. 1,000 resamples from `seed`.
    public init(first: [Bool], second: [Bool], resamples: Int = 1000, seed: UInt64 = 0) {
        precondition(first.count == second.count, "\(first.count) answers against \(second.count)")
        precondition(resamples >= 40, "at least 40 resamples for a 95% interval")
        let difference = zip(first, second).map { Double($0 ? 1 : 0) - Double($1 ? 1 : 0) }
        self.difference = difference.isEmpty ? 0 : difference.reduce(0, +) / Double(difference.count)
        var generator = RandomGenerator(seed: seed)
        var resampled: [Double] = []
        if !difference.isEmpty {
            for _ in 0..<resamples {
                var sum = 0.0
                for _ in difference.indices { sum += difference[Int(generator.next() % UInt64(difference.count))] }
                resampled.append(sum / Double(difference.count))
            }
            resampled.sort()
        }
        let low = Int((Double(resamples) * 0.025).rounded(.down)), high = Int((Double(resamples) * 0.975).rounded(.down)) - 1
        interval95 = resampled.isEmpty ? [0, 0] : [resampled[low], resampled[high]]
    }

    /// Whether the interval excludes 0.
    public var isSignificant: Bool { interval95[0] > 0 || interval95[1] < 0 }
}
