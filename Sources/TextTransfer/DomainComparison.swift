import Foundation
import TextTransferCore
import TextTransferTokenization
import TextTransferTraining

/// How far apart two text sets are, for a given encoder: on its frozen features (proxy A-distance, MMD
/// with a permutation test), on their words (vocabulary overlap, the share the model's tokenizer cannot
/// read), on their labels when both have them (label shift), and how well the features suit each
/// labelled side's task (LogME).
///
///     let encoder = try SentenceEncoder(directory: "Models/all-MiniLM-L6-v2")
///     let comparison = try DomainComparison(source: .init(name: "imdb", texts: imdb), target: .init(name: "sst2", texts: sst2), encoder: encoder)
///     print(comparison.table)
public struct DomainComparison: Codable, Sendable {
    /// One text set, with its labels when it has them.
    public struct Sample: Sendable {
        public var name: String
        public var texts: [String]
        public var labels: [String]?
        public init(name: String, texts: [String], labels: [String]? = nil) {
            precondition(labels.map { $0.count == texts.count } ?? true, "\(labels?.count ?? 0) labels for \(texts.count) texts")
            (self.name, self.texts, self.labels) = (name, texts, labels)
        }
    }

    /// What is measured of each side on its own.
    public struct Side: Codable, Sendable {
        public let name: String
        public let examples: Int
        /// Examples whose features were computed (a seeded sample of at most `maxExamples`).
        public let featureExamples: Int
        public let wordTypes: Int
        /// Share of the model's WordPiece tokens that are its unknown token.
        public let unknownTokenRate: Double
        /// Share of the words (ICU word tokens) that the tokenizer reads as nothing but the unknown token.
        public let unknownWordRate: Double
        /// Share of each label, when the side has labels.
        public let labelShares: [String: Double]?
        /// LogME of the encoder's features for this side's labels.
        public let logME: Double?

        enum CodingKeys: String, CodingKey {
            case name, examples
            case featureExamples = "feature_examples", wordTypes = "word_types", unknownTokenRate = "unknown_token_rate"
            case unknownWordRate = "unknown_word_rate", labelShares = "label_shares", logME = "logme"
        }
    }

    public let source: Side
    public let target: Side
    public let proxyADistance: ProxyADistance
    public let mmd: MaximumMeanDiscrepancy
    /// Share of the target's word tokens whose word occurs in the source, and the other way round.
    public let targetWordsSeenInSource: Double
    public let sourceWordsSeenInTarget: Double
    /// Jensen–Shannon divergence (bits, 0 to 1) between the two sides' word frequencies: unlike a type
    /// overlap, it does not grow with the size of one side.
    public let wordDivergence: Double
    /// Total variation distance between the two label distributions (½ Σ |p − q|), when both have labels.
    public let labelShift: Double?

    enum CodingKeys: String, CodingKey {
        case source, target, mmd
        case proxyADistance = "proxy_a_distance", targetWordsSeenInSource = "target_words_seen_in_source"
        case sourceWordsSeenInTarget = "source_words_seen_in_target", wordDivergence = "word_divergence_bits", labelShift = "label_shift"
    }

    /// Measures `source` against `target` with `encoder`'s features of at most `maxExamples` texts per
    /// side (seeded samples: an encoder pass over long reviews is the slow part); the word measures read
    /// every text.
    public init(source: Sample, target: Sample, encoder: SentenceEncoder, maxExamples: Int = 2000, permutations: Int = 500,
                seed: UInt64 = 0, log: (String) -> Void = { _ in }) throws {
        for side in [source, target] where side.texts.count < 2 {
            throw ConfigurationError(key: side.name, message: "needs at least 2 texts, not \(side.texts.count)")
        }
        guard maxExamples >= 2 else { throw ConfigurationError(key: "max_examples", message: "must be at least 2, not \(maxExamples)") }
        let segmenter = try ICUWordSegmenter(options: .forWordVectors)
        var generator = RandomGenerator(seed: seed)
        func features(_ side: Sample) -> (rows: [[Float]], members: [Int]) {
            var order = Array(side.texts.indices)
            if order.count > maxExamples {
                order.shuffle(using: &generator)
                order = Array(order.prefix(maxExamples)).sorted()
            }
            let started = Date()
            let rows = encoder.embed(order.map { side.texts[$0] })
            log(String(format: "%@: features of %d texts in %.1f s", side.name, order.count, Date().timeIntervalSince(started)))
            return (rows, order)
        }
        func words(_ side: Sample) -> [String: Int] {
            var counts: [String: Int] = [:]
            for text in side.texts { for w in segmenter.words(text) { counts[w, default: 0] += 1 } }
            return counts
        }
        let unknown = encoder.tokenizer.vocabulary.id(encoder.tokenizer.wordPiece.unknownToken)
        func describe(_ side: Sample, rows: [[Float]], members: [Int], counts: [String: Int]) -> Side {
            var pieces = 0, unknownPieces = 0
            for text in side.texts {
                let ids = encoder.tokenizer.wordPieceIDs(text)
                pieces += ids.count
                unknownPieces += ids.filter { $0 == unknown }.count
            }
            var wordTokens = 0, unknownWords = 0
            for (word, n) in counts {
                wordTokens += n
                let ids = encoder.tokenizer.wordPieceIDs(word)
                if !ids.isEmpty && ids.allSatisfy({ $0 == unknown }) { unknownWords += n }
            }
            var shares: [String: Double]?, logME: Double?
            if let labels = side.labels {
                let names = Array(Set(labels)).sorted()
                shares = Dictionary(uniqueKeysWithValues: names.map { name in (name, Double(labels.filter { $0 == name }.count) / Double(labels.count)) })
                if names.count >= 2 {
                    let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
                    logME = LogME.score(features: rows, labels: members.map { index[labels[$0]]! }, classes: names.count)
                }
            }
            return Side(name: side.name, examples: side.texts.count, featureExamples: rows.count, wordTypes: counts.count,
                        unknownTokenRate: Double(unknownPieces) / Double(max(pieces, 1)), unknownWordRate: Double(unknownWords) / Double(max(wordTokens, 1)),
                        labelShares: shares, logME: logME)
        }
        let (sourceRows, sourceMembers) = features(source), (targetRows, targetMembers) = features(target)
        let sourceWords = words(source), targetWords = words(target)
        self.source = describe(source, rows: sourceRows, members: sourceMembers, counts: sourceWords)
        self.target = describe(target, rows: targetRows, members: targetMembers, counts: targetWords)
        proxyADistance = ProxyADistance(source: sourceRows, target: targetRows, seed: seed)
        mmd = MaximumMeanDiscrepancy(source: sourceRows, target: targetRows, permutations: permutations, seed: seed)
        targetWordsSeenInSource = Self.seen(targetWords, in: sourceWords)
        sourceWordsSeenInTarget = Self.seen(sourceWords, in: targetWords)
        wordDivergence = Self.jensenShannon(sourceWords, targetWords)
        if let p = self.source.labelShares, let q = self.target.labelShares {
            labelShift = Set(p.keys).union(q.keys).reduce(0.0) { $0 + abs((p[$1] ?? 0) - (q[$1] ?? 0)) } / 2
        } else {
            labelShift = nil
        }
    }

    /// Share of `counts`' tokens whose word is in `other`.
    static func seen(_ counts: [String: Int], in other: [String: Int]) -> Double {
        let total = counts.values.reduce(0, +)
        return Double(counts.filter { other[$0.key] != nil }.values.reduce(0, +)) / Double(max(total, 1))
    }

    /// JS(p, q) = ½ KL(p ‖ m) + ½ KL(q ‖ m), m = ½ (p + q), in bits.
    static func jensenShannon(_ a: [String: Int], _ b: [String: Int]) -> Double {
        let na = Double(max(a.values.reduce(0, +), 1)), nb = Double(max(b.values.reduce(0, +), 1))
        var divergence = 0.0
        for word in Set(a.keys).union(b.keys) {
            let p = Double(a[word] ?? 0) / na, q = Double(b[word] ?? 0) / nb, m = (p + q) / 2
            if p > 0 { divergence += p / 2 * Double.log2(p / m) }
            if q > 0 { divergence += q / 2 * Double.log2(q / m) }
        }
        return divergence
    }

    /// The comparison as a terminal table.
    public var table: String {
        func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
        var lines = [
            "measure | \(source.name) (source) | \(target.name) (target)",
            "texts (with features) | \(source.examples) (\(source.featureExamples)) | \(target.examples) (\(target.featureExamples))",
            "word types | \(source.wordTypes) | \(target.wordTypes)",
            "unknown WordPiece tokens | \(percent(source.unknownTokenRate)) | \(percent(target.unknownTokenRate))",
            "words read as unknown only | \(percent(source.unknownWordRate)) | \(percent(target.unknownWordRate))",
            "LogME of the features | \(source.logME.map { String(format: "%.4f", $0) } ?? "-") | \(target.logME.map { String(format: "%.4f", $0) } ?? "-")",
            "",
            "between the two:",
            String(format: "proxy A-distance  %.3f  (domain classifier error %.3f, %d texts a side; 0 alike, 2 apart)",
                   proxyADistance.distance, proxyADistance.error, proxyADistance.examplesPerDomain),
            String(format: "MMD² (RBF, σ %.3f)  %.5f  (permutation p %.4f, %d permutations)", mmd.bandwidth, mmd.squared, mmd.pValue, mmd.permutations),
            "word tokens seen on the other side  target in source \(percent(targetWordsSeenInSource)), source in target \(percent(sourceWordsSeenInTarget))",
            String(format: "word-frequency divergence (Jensen–Shannon)  %.3f bits  (0 alike, 1 disjoint)", wordDivergence),
        ]
        if let labelShift { lines.append("label shift (total variation)  \(String(format: "%.3f", labelShift))") }
        return lines.joined(separator: "\n") + "\n"
    }
}
