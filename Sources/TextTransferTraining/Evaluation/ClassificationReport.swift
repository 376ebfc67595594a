import Foundation
import TextTransferCore

/// Single-label classification metrics: accuracy, per-class precision/recall/F1, macro and micro F1,
/// the confusion matrix (rows gold, columns predicted), and a bootstrap 95% interval for accuracy.
public struct ClassificationReport: Codable, Sendable, Equatable {
    public struct ClassScores: Codable, Sendable, Equatable {
        public let precision, recall, f1: Double
        public let support: Int
    }

    public let labels: [String]
    public let accuracy: Double
    public let macroF1: Double
    public let microF1: Double
    public let perClass: [String: ClassScores]
    public let confusion: [[Int]]
    public let accuracyInterval95: [Double]
    public let examples: Int
    /// Expected calibration error over 10 equal-width confidence bins: Σ (n_bin / N)·|accuracy − mean
    /// confidence|, where confidence is the predicted class's probability; nil without probabilities.
    public let expectedCalibrationError: Double?

    enum CodingKeys: String, CodingKey {
        case labels, accuracy, examples, confusion
        case macroF1 = "macro_f1", microF1 = "micro_f1", perClass = "per_class", accuracyInterval95 = "accuracy_ci95"
        case expectedCalibrationError = "ece"
    }

    /// Metrics of `predicted` against `gold` (indices into `labels`). The interval comes from 1,000
    /// bootstrap resamples drawn with `seed`.
    public init(gold: [Int], predicted: [Int], labels: [String], confidences: [Double]? = nil, seed: UInt64 = 0) {
        precondition(gold.count == predicted.count, "\(gold.count) gold labels for \(predicted.count) predictions")
        if let confidences {
            precondition(confidences.count == gold.count, "\(confidences.count) confidences for \(gold.count) predictions")
            precondition(confidences.allSatisfy(\.isFinite), "non-finite confidences: the model's outputs are NaN or infinite")
            var count = [Int](repeating: 0, count: 10), right = [Int](repeating: 0, count: 10), sum = [Double](repeating: 0, count: 10)
            for i in gold.indices {
                let bin = min(9, Int(confidences[i] * 10))
                count[bin] += 1
                sum[bin] += confidences[i]
                if gold[i] == predicted[i] { right[bin] += 1 }
            }
            var ece = 0.0
            for b in 0..<10 where count[b] > 0 {
                let n = Double(count[b])
                let gap = abs(Double(right[b]) / n - sum[b] / n)
                ece += n / Double(gold.count) * gap
            }
            expectedCalibrationError = ece
        } else {
            expectedCalibrationError = nil
        }
        let K = labels.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: K), count: K)
        for (g, p) in zip(gold, predicted) { confusion[g][p] += 1 }
        let n = gold.count
        let correct = (0..<K).reduce(0) { $0 + confusion[$1][$1] }
        accuracy = n == 0 ? 0 : Double(correct) / Double(n)
        var scores: [String: ClassScores] = [:]
        var f1Sum = 0.0
        for k in 0..<K {
            let tp = Double(confusion[k][k])
            let predictedK = Double((0..<K).reduce(0) { $0 + confusion[$1][k] })
            let goldK = Double(confusion[k].reduce(0, +))
            let precision = predictedK == 0 ? 0 : tp / predictedK
            let recall = goldK == 0 ? 0 : tp / goldK
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            scores[labels[k]] = ClassScores(precision: precision, recall: recall, f1: f1, support: Int(goldK))
            f1Sum += f1
        }
        macroF1 = K == 0 ? 0 : f1Sum / Double(K)
        microF1 = accuracy  // single-label: micro precision = micro recall = accuracy
        perClass = scores
        self.confusion = confusion
        self.labels = labels
        examples = n
        var generator = RandomGenerator(seed: seed)
        let hits = zip(gold, predicted).map { $0 == $1 ? 1 : 0 }
        var resampled: [Double] = []
        if n > 0 {
            for _ in 0..<1000 {
                var c = 0
                for _ in 0..<n { c += hits[Int(generator.next() % UInt64(n))] }
                resampled.append(Double(c) / Double(n))
            }
            resampled.sort()
            accuracyInterval95 = [resampled[25], resampled[974]]
        } else {
            accuracyInterval95 = [0, 0]
        }
    }

    /// A readable table: per-class scores, the averages, and the confusion matrix.
    public var table: String {
        var out = "label".padding(toLength: 16, withPad: " ", startingAt: 0) + " precision  recall      f1  support\n"
        for label in labels {
            let s = perClass[label]!
            out += label.prefix(16).padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: " %9.4f %7.4f %7.4f %8d\n", s.precision, s.recall, s.f1, s.support)
        }
        out += String(format: "accuracy %.4f (95%% CI %.4f–%.4f)  macro-F1 %.4f  micro-F1 %.4f  n=%d",
                      accuracy, accuracyInterval95[0], accuracyInterval95[1], macroF1, microF1, examples)
        out += expectedCalibrationError.map { String(format: "  ECE %.4f\n", $0) } ?? "\n"
        out += "confusion (rows gold, columns predicted):\n"
        for (k, row) in confusion.enumerated() {
            out += labels[k].prefix(16).padding(toLength: 16, withPad: " ", startingAt: 0) + row.map { String(format: "%7d", $0) }.joined() + "\n"
        }
        return out
    }
}
