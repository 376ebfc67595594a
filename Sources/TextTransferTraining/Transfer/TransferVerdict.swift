import Foundation

/// Whether transfer helped: the transferred model against a from-scratch baseline that costs seconds
/// (`NGramBaseline`) and, when the run fine-tuned, against the frozen probe (logistic regression on the
/// pretrained encoder's features), each on the same dev examples with a bootstrap interval, and the
/// paired difference transferred − baseline that decides the verdict.
public struct TransferVerdict: Codable, Sendable {
    public struct Model: Codable, Sendable {
        public let name: String
        public let accuracy: Double
        public let accuracyInterval95: [Double]
        /// Wall-clock seconds to train it (the transferred model's is the run's own; nil when not timed here).
        public let seconds: Double?

        enum CodingKeys: String, CodingKey { case name, accuracy, seconds, accuracyInterval95 = "accuracy_ci95" }

        public init(name: String, accuracy: Double, accuracyInterval95: [Double], seconds: Double?) {
            (self.name, self.accuracy, self.accuracyInterval95, self.seconds) = (name, accuracy, accuracyInterval95, seconds)
        }
    }

    public enum Conclusion: String, Codable, Sendable {
        case helps = "transfer helps"
        case noDifference = "no significant difference"
        case negative = "negative transfer"
    }

    /// How much of the target the pretrained model's vocabulary reads: a domain distance between the
    /// pretraining side and the target that needs no sample of the pretraining text.
    public struct VocabularyCoverage: Codable, Sendable {
        /// Share of the target training texts' WordPiece tokens that are the unknown token.
        public let unknownTokenRate: Double
        /// Share of the target's words (ICU word tokens) that are one vocabulary entry each, not split.
        public let wholeWordRate: Double

        enum CodingKeys: String, CodingKey { case unknownTokenRate = "unknown_token_rate", wholeWordRate = "whole_word_rate" }

        public init(unknownTokenRate: Double, wholeWordRate: Double) { (self.unknownTokenRate, self.wholeWordRate) = (unknownTokenRate, wholeWordRate) }
    }

    public let transferred: Model
    public let baseline: Model
    public let probe: Model?
    public let overBaseline: PairedBootstrap
    public let overProbe: PairedBootstrap?
    public let vocabulary: VocabularyCoverage?
    public let conclusion: Conclusion

    enum CodingKeys: String, CodingKey {
        case transferred, baseline, probe, vocabulary, conclusion
        case overBaseline = "transferred_minus_baseline", overProbe = "transferred_minus_probe"
    }

    /// `correct`: per dev example, whether each model was right (the same examples, in one order).
    public init(transferred: Model, transferredCorrect: [Bool], baseline: Model, baselineCorrect: [Bool],
                probe: Model? = nil, probeCorrect: [Bool]? = nil, vocabulary: VocabularyCoverage? = nil) {
        (self.transferred, self.baseline, self.probe, self.vocabulary) = (transferred, baseline, probe, vocabulary)
        overBaseline = PairedBootstrap(first: transferredCorrect, second: baselineCorrect)
        overProbe = probeCorrect.map { PairedBootstrap(first: transferredCorrect, second: $0) }
        conclusion = !overBaseline.isSignificant ? .noDifference : overBaseline.difference > 0 ? .helps : .negative
    }

    /// The one line: "transfer helps: +x.x [a, b]", "no significant difference", or "negative transfer: …".
    public var line: String {
        let d = overBaseline
        let figure = String(format: "%+.1f [%+.1f, %+.1f]", 100 * d.difference, 100 * d.interval95[0], 100 * d.interval95[1])
        switch conclusion {
        case .helps: return "transfer helps: \(figure) pt over the from-scratch baseline"
        case .noDifference: return "no significant difference: \(figure) pt against the from-scratch baseline"
        case .negative: return "negative transfer: \(figure) pt — the from-scratch model is better here"
        }
    }

    /// Each model's accuracy, the differences and the vocabulary's coverage, then the line.
    public var table: String {
        var lines: [String] = []
        for m in [transferred, baseline] + (probe.map { [$0] } ?? []) {
            lines.append(m.name.padding(toLength: max(38, m.name.count + 1), withPad: " ", startingAt: 0)
                         + String(format: "%6.2f%%  [%5.2f, %5.2f]  ", 100 * m.accuracy, 100 * m.accuracyInterval95[0], 100 * m.accuracyInterval95[1])
                         + (m.seconds.map { String(format: "%8.1f s", $0) } ?? "       - s"))
        }
        if let p = overProbe {
            lines.append(String(format: "transferred − frozen probe: %+.1f pt [%+.1f, %+.1f]", 100 * p.difference, 100 * p.interval95[0], 100 * p.interval95[1]))
        }
        if let v = vocabulary {
            lines.append(String(format: "the model's vocabulary on the target: %.1f%% of WordPiece tokens unknown, %.1f%% of words whole", 100 * v.unknownTokenRate, 100 * v.wholeWordRate))
        }
        return (lines + [line]).joined(separator: "\n") + "\n"
    }

    /// The file a classifier directory keeps its verdict in (written by `train`, read by `info`).
    public static let fileName = "transfer_verdict.json"
}
