import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferTokenization
import TextTransferTraining

/// `text-transfer rank`: which pretrained encoder to start from. Each candidate's frozen features of the
/// labelled texts are scored by LogME (the evidence of a linear model on them; seconds, no training) and,
/// beside it, by the accuracy of a logistic-regression probe fitted on them and scored on dev — the figure
/// LogME predicts the order of.
public struct EncoderRanking: Codable, Sendable {
    /// What to rank: a Transformer directory (its own pooling, or `DIR@mean|cls|max|pooler`), a word-vector
    /// file (the mean of its vectors over a text's ICU words), or `random[:D]` (seeded random features,
    /// D 384 unless given: the floor every real encoder must clear).
    public enum Candidate: Sendable, Equatable {
        case transformer(directory: String, pooling: Pooling?)
        case wordVectors(path: String)
        case random(dimension: Int)

        /// Parses a command-line candidate; throws naming it when it is none of the three.
        public static func parse(_ text: String) throws -> Candidate {
            if text == "random" { return .random(dimension: 384) }
            if text.hasPrefix("random:") {
                guard let d = Int(text.dropFirst(7)), d >= 1 else {
                    throw ConfigurationError(key: "candidate", message: "\(text): random:D needs a dimension of at least 1")
                }
                return .random(dimension: d)
            }
            var directory = text, pooling: Pooling?
            if let at = text.lastIndex(of: "@"), let chosen = Pooling(rawValue: String(text[text.index(after: at)...])) {
                directory = String(text[..<at])
                pooling = chosen
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
                throw ConfigurationError(key: "candidate", message: "\(directory): no such model directory or word-vector file")
            }
            if isDirectory.boolValue { return .transformer(directory: directory, pooling: pooling) }
            guard pooling == nil else { throw ConfigurationError(key: "candidate", message: "\(text): @pooling is for Transformer directories") }
            return .wordVectors(path: directory)
        }

        var name: String {
            switch self {
            case .transformer(let directory, let pooling): directory + (pooling.map { "@" + $0.rawValue } ?? "")
            case .wordVectors(let path): path
            case .random(let dimension): "random:\(dimension)"
            }
        }
    }

    public struct Score: Codable, Sendable {
        public let candidate: String
        public let dimension: Int
        /// LogME per example of the training features (higher: the features fit the labels better).
        public let logME: Double
        public let probeAccuracy: Double
        public let probeAccuracyInterval95: [Double]
        public let seconds: Double

        enum CodingKeys: String, CodingKey {
            case candidate, dimension, seconds
            case logME = "log_me", probeAccuracy = "probe_accuracy", probeAccuracyInterval95 = "probe_accuracy_ci95"
        }
    }

    public let labels: [String]
    public let trainExamples: Int
    public let devExamples: Int
    /// Best LogME first.
    public let scores: [Score]
    /// True when ordering by LogME orders the probe accuracies too.
    public let logMEOrdersTheProbes: Bool

    enum CodingKeys: String, CodingKey {
        case labels, scores
        case trainExamples = "train_examples", devExamples = "dev_examples", logMEOrdersTheProbes = "log_me_orders_the_probes"
    }

    /// Ranks `candidates` on at most `maxExamples` training examples (a seeded sample) and every dev example.
    public init(train: [LabeledExample], dev: [LabeledExample], candidates: [Candidate], maxExamples: Int = 5000, seed: UInt64 = 0,
                log: (String) -> Void = { _ in }) throws {
        let labels = Array(Set(train.map(\.label))).sorted()
        guard labels.count >= 2 else { throw ConfigurationError(key: "train", message: "needs at least two labels, has \(labels.count)") }
        if let stranger = dev.first(where: { !labels.contains($0.label) }) {
            throw DataError(file: "dev", line: stranger.line, message: "label '\(stranger.label)' is not among the training labels (\(labels.joined(separator: ", ")))")
        }
        guard !candidates.isEmpty else { throw ConfigurationError(key: "candidate", message: "give at least one candidate") }
        var generator = RandomGenerator(seed: seed)
        var sample = train
        if sample.count > maxExamples {
            sample.shuffle(using: &generator)
            sample = Array(sample.prefix(maxExamples))
        }
        let index = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        let y = sample.map { index[$0.label]! }, gold = dev.map { index[$0.label]! }
        var scores: [Score] = []
        for candidate in candidates {
            let started = Date()
            let featurize = try Self.features(of: candidate, seed: seed)
            let trainRows = featurize(sample.map(\.text)), devRows = featurize(dev.map(\.text))
            let evidence = LogME.score(features: trainRows, labels: y, classes: labels.count)
            let fit = LogisticRegressionFit.fit(features: trainRows, labels: y, classes: labels.count)
            let predicted = LogisticRegressionFit.predict(devRows, weights: fit.weights, biases: fit.biases, classes: labels.count)
            let report = ClassificationReport(gold: gold, predicted: predicted, labels: labels)
            let score = Score(candidate: candidate.name, dimension: trainRows.first?.count ?? 0, logME: evidence, probeAccuracy: report.accuracy,
                              probeAccuracyInterval95: report.accuracyInterval95, seconds: Date().timeIntervalSince(started))
            log(String(format: "%@: LogME %.4f, probe %.2f%% (%.1f s)", score.candidate, score.logME, 100 * score.probeAccuracy, score.seconds))
            scores.append(score)
        }
        self.labels = labels
        (trainExamples, devExamples) = (sample.count, dev.count)
        self.scores = scores.sorted { $0.logME > $1.logME }
        logMEOrdersTheProbes = zip(self.scores, self.scores.dropFirst()).allSatisfy { $0.probeAccuracy >= $1.probeAccuracy }
    }

    /// A function from texts to the candidate's frozen features.
    static func features(of candidate: Candidate, seed: UInt64) throws -> ([String]) -> [[Float]] {
        switch candidate {
        case .transformer(let directory, let pooling):
            let encoder = try SentenceEncoder(directory: directory, pooling: pooling)
            return { encoder.embed($0) }
        case .wordVectors(let path):
            let vectors = try WordVectors(contentsOf: path)
            let segmenter = try ICUWordSegmenter(options: .forWordVectors)
            return { texts in texts.map { Self.meanVector(segmenter.words($0), vectors) } }
        case .random(let dimension):
            return { texts in
                texts.map { text in
                    var digest = Fingerprint()
                    digest.mix(text)
                    var generator = RandomGenerator(seed: seed ^ UInt64(digest.hex, radix: 16)!)  // the same text, the same features
                    return (0..<dimension).map { _ in generator.nextNormal() }
                }
            }
        }
    }

    /// The mean of the vectors of `words` the file has (zeros when it has none of them).
    static func meanVector(_ words: [String], _ vectors: WordVectors) -> [Float] {
        var sum = [Float](repeating: 0, count: vectors.dimension)
        var found = 0
        for word in words {
            guard let row = vectors.row(of: word) else { continue }
            for (i, v) in vectors.vector(at: row).enumerated() { sum[i] += v }
            found += 1
        }
        return found == 0 ? sum : sum.map { $0 / Float(found) }
    }

    /// The ranking as a table, best LogME first.
    public var table: String {
        var lines = [String(format: "%d training examples (a seeded sample), %d dev examples, %d labels", trainExamples, devExamples, labels.count),
                     "rank  LogME      probe accuracy (95% CI)     dim   seconds  candidate"]
        for (rank, s) in scores.enumerated() {
            lines.append(String(format: "%4d  %8.4f   %6.2f%%  [%5.2f, %5.2f]   %5d  %7.1f  %@", rank + 1, s.logME, 100 * s.probeAccuracy,
                                100 * s.probeAccuracyInterval95[0], 100 * s.probeAccuracyInterval95[1], s.dimension, s.seconds, s.candidate))
        }
        lines.append(logMEOrdersTheProbes ? "LogME orders the candidates as their probe accuracies do."
                                          : "LogME's order differs from the probe accuracies' where a lower row has the higher accuracy.")
        return lines.joined(separator: "\n") + "\n"
    }
}
