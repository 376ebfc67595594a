import TextTransferTokenization

/// fastText's unsupervised settings (`fasttext skipgram|cbow`), with its defaults, plus how the text is
/// cut into words: ICU segmentation, case-folded NFKC as the word-vector encoders read it, so Thai and
/// Chinese get words and `train --embeddings` finds them.
public struct WordVectorSettings: Sendable, Equatable, Codable {
    public enum Model: String, Sendable, Codable, CaseIterable { case skipgram, cbow }

    public var model = Model.skipgram
    public var dimension = 100
    /// The largest context window; each word draws its window from 1 ... window.
    public var window = 5
    public var epochs = 5
    public var minCount = 5
    public var negatives = 5
    /// Character n-grams of minn ... maxn characters (maxn 0: none).
    public var minn = 3
    public var maxn = 6
    public var buckets = 2_000_000
    /// fastText's -lr, decayed linearly to 0 over the run.
    public var learningRate: Float = 0.05
    /// fastText's -t: words more frequent than this are subsampled.
    public var samplingThreshold = 1e-4
    /// Training threads. The result is a function of the seed and the thread count.
    public var threads = 1
    public var seed: UInt64 = 0
    public var segmentation = WordSegmentationOptions.forWordVectors

    public init() {}

    /// Lines of more tokens are trained in pieces of this many, as fastText's MAX_LINE_SIZE.
    static let longestLine = 1024

    enum CodingKeys: String, CodingKey {
        case model, dimension = "dim", window = "ws", epochs = "epoch", minCount = "min_count", negatives = "neg", minn, maxn
        case buckets = "bucket", learningRate = "lr", samplingThreshold = "t", threads = "thread", seed, segmentation
    }

    /// Throws a one-line error naming the flag of the first setting out of range.
    public func validate() throws {
        func check(_ ok: Bool, _ key: String, _ message: String) throws {
            if !ok { throw WordVectorTrainingError(message: "\(key) \(message)") }
        }
        try check(dimension >= 1 && dimension <= 4096, "--dim", "must be 1 ... 4096, not \(dimension)")
        try check(window >= 1, "--ws", "must be at least 1, not \(window)")
        try check(epochs >= 1, "--epoch", "must be at least 1, not \(epochs)")
        try check(minCount >= 1, "--min-count", "must be at least 1, not \(minCount)")
        try check(negatives >= 1, "--neg", "must be at least 1, not \(negatives)")
        try check(minn >= 1 && maxn >= 0 && (maxn == 0 || maxn >= minn), "--minn/--maxn", "must have 1 ≤ minn ≤ maxn, or maxn 0 (no n-grams), not \(minn)/\(maxn)")
        try check(buckets >= 0 && buckets <= 1 << 28, "--bucket", "must be 0 ... \(1 << 28), not \(buckets)")
        try check(learningRate.isFinite && learningRate > 0, "--lr", "must be a positive number, not \(learningRate)")
        try check(samplingThreshold.isFinite && samplingThreshold > 0, "-t", "must be a positive number, not \(samplingThreshold)")
        try check(threads >= 1 && threads <= 256, "--threads", "must be 1 ... 256, not \(threads)")
    }
}

public struct WordVectorTrainingError: Error, CustomStringConvertible {
    public let message: String
    /// The text itself gives nothing to train on (too few words): a caller that read it from a file names it.
    public let isAboutTheText: Bool
    public var description: String { message }
    public init(message: String, isAboutTheText: Bool = false) { (self.message, self.isAboutTheText) = (message, isAboutTheText) }
}
