import Foundation

/// Regression metrics: mean squared and absolute error, Pearson and Spearman correlation (ranks averaged
/// over ties).
public struct RegressionReport: Codable, Sendable, Equatable {
    public let mse: Double
    public let mae: Double
    public let pearson: Double
    public let spearman: Double
    public let examples: Int

    public init(predictions: [Double], targets: [Double]) {
        precondition(predictions.count == targets.count, "\(predictions.count) predictions for \(targets.count) targets")
        let n = Double(max(predictions.count, 1))
        mse = zip(predictions, targets).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / n
        mae = zip(predictions, targets).reduce(0) { $0 + abs($1.0 - $1.1) } / n
        pearson = Self.correlation(predictions, targets)
        spearman = Self.correlation(Self.ranks(predictions), Self.ranks(targets))
        examples = predictions.count
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        guard a.count > 1 else { return 0 }
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, b) {
            sab += (x - ma) * (y - mb)
            saa += (x - ma) * (x - ma)
            sbb += (y - mb) * (y - mb)
        }
        return saa == 0 || sbb == 0 ? 0 : sab / (saa * sbb).squareRoot()
    }

    /// 1-based ranks, tied values sharing their average rank.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && values[order[j + 1]] == values[order[i]] { j += 1 }
            let average = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = average }
            i = j + 1
        }
        return ranks
    }

    public var table: String {
        String(format: "MSE %.4f  MAE %.4f  Pearson %.4f  Spearman %.4f  n=%d\n", mse, mae, pearson, spearman, examples)
    }
}
