import Foundation
import TextTransferCore
import TextTransferEmbeddings
import TextTransferTokenization

/// The from-scratch baseline of the transfer verdict, fastText's supervised model (Joulin et al. 2017):
/// a text is the mean of hashed embeddings of its words, word n-grams and character n-grams (of
/// "<word>", as fastText cuts them), a linear layer gives the classes' logits, and SGD with a linearly
/// decaying rate trains both on the softmax cross-entropy. It knows nothing but the training set and
/// trains in seconds: what the pretrained model has to beat.
public struct NGramBaseline: Sendable {
    public struct Settings: Codable, Sendable, Equatable {
        public var dimension = 32
        /// Hash buckets shared by words and n-grams.
        public var buckets = 1 << 19
        /// Word n-grams up to this length (1: words only).
        public var wordNGrams = 2
        /// Character n-grams of these lengths (0 for none).
        public var minCharNGram = 3, maxCharNGram = 5
        public var epochs = 5
        /// Passes are added until training makes at least this many updates: fastText's 5 epochs leave a
        /// few hundred examples (a few-shot sample) barely trained — on 384 TREC questions every logit
        /// stayed near zero and the first class won everywhere (12.6%) — so small data gets more passes,
        /// as fastText's guidance for small data set says.
        public var minimumUpdates = 20_000
        public var learningRate: Float = 0.5
        public var seed: UInt64 = 0

        public init() {}
    }

    public let settings: Settings
    public let classes: Int
    /// buckets × dimension, then classes × dimension.
    private let input: [Float], output: [Float]
    private let segmenter: ICUWordSegmenter

    /// Trains on `texts` with `labels` in 0..<classes.
    public init(texts: [String], labels: [Int], classes: Int, settings: Settings = Settings()) throws {
        precondition(texts.count == labels.count && classes >= 2, "\(texts.count) texts for \(labels.count) labels, \(classes) classes")
        let s = settings
        guard s.dimension >= 1, s.buckets >= 1, s.wordNGrams >= 1, s.epochs >= 1, s.minimumUpdates >= 0, s.learningRate > 0, s.learningRate.isFinite,
              s.minCharNGram >= 0, s.maxCharNGram >= s.minCharNGram else {
            throw ConfigurationError(key: "baseline", message: "the n-gram baseline's settings are out of range: \(s)")
        }
        self.settings = s
        self.classes = classes
        let segmenter = try ICUWordSegmenter(options: .forWordVectors)
        self.segmenter = segmenter
        let D = s.dimension
        var generator = RandomGenerator(seed: s.seed)
        var input = (0..<(s.buckets * D)).map { _ in (generator.nextUnitFloat() * 2 - 1) / Float(D) }
        var output = [Float](repeating: 0, count: classes * D)
        let features = texts.map { Self.features($0, segmenter: segmenter, settings: s) }
        let epochs = max(s.epochs, min(200, (s.minimumUpdates + texts.count - 1) / max(texts.count, 1)))
        let total = Float(epochs * texts.count)
        var seen: Float = 0
        var hidden = [Float](repeating: 0, count: D), gradient = [Float](repeating: 0, count: D), logits = [Float](repeating: 0, count: classes)
        for _ in 0..<epochs {
            var order = Array(texts.indices)
            order.shuffle(using: &generator)
            for i in order {
                let ids = features[i]
                seen += 1
                guard !ids.isEmpty else { continue }
                let rate = s.learningRate * max(0, 1 - seen / total)
                Self.mean(ids, of: input, dimension: D, into: &hidden)
                for k in 0..<classes {
                    var z: Float = 0
                    for j in 0..<D { z += output[k * D + j] * hidden[j] }
                    logits[k] = z
                }
                let top = logits.max()!
                var sum: Float = 0
                for k in 0..<classes { logits[k] = Float.exp(logits[k] - top); sum += logits[k] }
                for j in 0..<D { gradient[j] = 0 }
                for k in 0..<classes {
                    let step = rate * ((k == labels[i] ? 1 : 0) - logits[k] / sum)
                    for j in 0..<D {
                        gradient[j] += step * output[k * D + j]
                        output[k * D + j] += step * hidden[j]
                    }
                }
                let share = 1 / Float(ids.count)
                for id in ids { for j in 0..<D { input[id * D + j] += share * gradient[j] } }
            }
        }
        self.input = input
        self.output = output
    }

    /// The logits of each text (no features: all zero).
    public func logits(_ texts: [String]) -> [[Float]] {
        let D = settings.dimension
        var hidden = [Float](repeating: 0, count: D)
        return texts.map { text in
            Self.mean(Self.features(text, segmenter: segmenter, settings: settings), of: input, dimension: D, into: &hidden)
            return (0..<classes).map { k in (0..<D).reduce(Float(0)) { $0 + output[k * D + $1] * hidden[$1] } }
        }
    }

    /// The most likely class of each text.
    public func predict(_ texts: [String]) -> [Int] {
        logits(texts).map { row in row.indices.max { row[$0] < row[$1] }! }
    }

    private static func mean(_ ids: [Int], of table: [Float], dimension D: Int, into hidden: inout [Float]) {
        for j in 0..<D { hidden[j] = 0 }
        guard !ids.isEmpty else { return }
        for id in ids { for j in 0..<D { hidden[j] += table[id * D + j] } }
        let share = 1 / Float(ids.count)
        for j in 0..<D { hidden[j] *= share }
    }

    /// The buckets of a text's words, word n-grams (fastText's Dictionary::addWordNgrams) and character
    /// n-grams (its computeSubwords).
    static func features(_ text: String, segmenter: ICUWordSegmenter, settings s: Settings) -> [Int] {
        let words = segmenter.words(text)
        let hashes = words.map { FastTextSubwords.hash(Array($0.utf8)) }
        var ids = hashes.map { Int($0 % UInt32(s.buckets)) }
        // fastText keeps the hashes as int32 and widens them to uint64 with their sign.
        let widened = hashes.map { UInt64(bitPattern: Int64(Int32(bitPattern: $0))) }
        for i in widened.indices where s.wordNGrams >= 2 {
            var h = widened[i]
            for j in (i + 1)..<min(widened.count, i + s.wordNGrams) {
                h = h &* 116_049_371 &+ widened[j]
                ids.append(Int(h % UInt64(s.buckets)))
            }
        }
        for word in words {
            ids += FastTextSubwords.ngramBuckets(word, minn: s.minCharNGram, maxn: s.maxCharNGram, buckets: s.buckets)
        }
        return ids
    }
}
