import Foundation

/// Multi-label metrics at per-class thresholds: per-class precision/recall/F1, micro and macro F1, and
/// subset accuracy (every tag of an example right).
public struct MultiLabelReport: Codable, Sendable, Equatable {
    public let labels: [String]
    public let thresholds: [Float]
    public let microF1: Double
    public let macroF1: Double
    public let subsetAccuracy: Double
    public let perClass: [String: ClassificationReport.ClassScores]
    public let examples: Int

    enum CodingKeys: String, CodingKey {
        case labels, thresholds, examples
        case microF1 = "micro_f1", macroF1 = "macro_f1", subsetAccuracy = "subset_accuracy", perClass = "per_class"
    }

    /// Metrics of probabilities (N × K) against multi-hot gold (N × K) at `thresholds`.
    public init(probabilities: [[Float]], gold: [[Bool]], labels: [String], thresholds: [Float]) {
        let K = labels.count
        var tp = [Int](repeating: 0, count: K), fp = tp, fn = tp
        var exact = 0
        for (p, g) in zip(probabilities, gold) {
            var allRight = true
            for k in 0..<K {
                let predicted = p[k] >= thresholds[k]
                if predicted && g[k] { tp[k] += 1 } else if predicted { fp[k] += 1 } else if g[k] { fn[k] += 1 }
                if predicted != g[k] { allRight = false }
            }
            if allRight { exact += 1 }
        }
        func f1(_ tp: Int, _ fp: Int, _ fn: Int) -> (Double, Double, Double) {
            let precision = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
            let recall = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
            return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall))
        }
        var scores: [String: ClassificationReport.ClassScores] = [:]
        var sum = 0.0
        for k in 0..<K {
            let (p, r, f) = f1(tp[k], fp[k], fn[k])
            scores[labels[k]] = .init(precision: p, recall: r, f1: f, support: tp[k] + fn[k])
            sum += f
        }
        self.labels = labels
        self.thresholds = thresholds
        microF1 = f1(tp.reduce(0, +), fp.reduce(0, +), fn.reduce(0, +)).2
        macroF1 = K == 0 ? 0 : sum / Double(K)
        subsetAccuracy = probabilities.isEmpty ? 0 : Double(exact) / Double(probabilities.count)
        perClass = scores
        examples = probabilities.count
    }

    /// For each class, the threshold in 0.05…0.95 with the best F1 on (probabilities, gold); ties keep
    /// the value nearest 0.5.
    public static func tunedThresholds(probabilities: [[Float]], gold: [[Bool]], classes K: Int) -> [Float] {
        let candidates = stride(from: Float(0.05), through: 0.951, by: 0.05).sorted { abs($0 - 0.5) < abs($1 - 0.5) }
        return (0..<K).map { k in
            var best: (f1: Double, threshold: Float) = (-1, 0.5)
            for t in candidates {
                var tp = 0, fp = 0, fn = 0
                for (p, g) in zip(probabilities, gold) {
                    let predicted = p[k] >= t
                    if predicted && g[k] { tp += 1 } else if predicted { fp += 1 } else if g[k] { fn += 1 }
                }
                let f1 = tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
                if f1 > best.f1 { best = (f1, t) }
            }
            return best.threshold
        }
    }

    public var table: String {
        var out = "label".padding(toLength: 24, withPad: " ", startingAt: 0) + " threshold precision  recall      f1  support\n"
        for (k, label) in labels.enumerated() {
            let s = perClass[label]!
            out += label.prefix(24).padding(toLength: 24, withPad: " ", startingAt: 0)
                + String(format: " %9.2f %9.4f %7.4f %7.4f %8d\n", thresholds[k], s.precision, s.recall, s.f1, s.support)
        }
        out += String(format: "micro-F1 %.4f  macro-F1 %.4f  subset accuracy %.4f  n=%d\n", microF1, macroF1, subsetAccuracy, examples)
        return out
    }
}
