import TextTransferIO

/// fastText's character n-gram buckets: a word's vector is the mean of its own row (when it is in the
/// vocabulary) and the rows of its n-grams of "<word>", minn to maxn UTF-8 characters long, each hashed
/// (FNV-1a over signed bytes, as fastText's Dictionary::hash) into one of `buckets` rows.
public struct FastTextSubwords: @unchecked Sendable {
    public let minn: Int
    public let maxn: Int
    public let buckets: Int
    public let dimension: Int
    /// The bucket rows, float32 little-endian, possibly unaligned inside the mapped model file.
    let rows: UnsafeRawPointer
    /// Keeps the file the rows live in mapped.
    let owner: AnyObject

    /// fastText's Dictionary::hash.
    public static func hash<S: Sequence>(_ bytes: S) -> UInt32 where S.Element == UInt8 {
        var h: UInt32 = 2166136261
        for b in bytes {
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: b)))
            h = h &* 16777619
        }
        return h
    }

    /// The bucket rows of the n-grams of `word` (without the "<" ">" it adds), in fastText's order.
    public func ngramRows(_ word: String) -> [Int] {
        guard word != "</s>", buckets > 0 else { return [] }  // fastText gives end-of-sentence no n-grams
        return Self.ngramBuckets(word, minn: minn, maxn: maxn, buckets: buckets)
    }

    /// fastText's character n-grams of "<word>", `minn` to `maxn` UTF-8 characters long (the "<" and ">"
    /// alone excepted), each hashed into one of `buckets`, in fastText's order.
    public static func ngramBuckets(_ word: String, minn: Int, maxn: Int, buckets: Int) -> [Int] {
        guard buckets > 0, maxn > 0 else { return [] }
        let w = Array(("<" + word + ">").utf8)
        var out: [Int] = []
        var i = 0
        while i < w.count {
            if w[i] & 0xC0 == 0x80 { i += 1; continue }  // n-grams start on character boundaries
            var j = i, n = 1
            while j < w.count && n <= maxn {
                j += 1
                while j < w.count && w[j] & 0xC0 == 0x80 { j += 1 }
                if n >= minn && !(n == 1 && (i == 0 || j == w.count)) {
                    out.append(Int(hash(w[i..<j]) % UInt32(buckets)))
                }
                n += 1
            }
            i += 1
        }
        return out
    }

    /// Adds bucket row `row` into `sum`.
    func add(row: Int, into sum: inout [Float]) {
        let base = rows + 4 * row * dimension
        for k in 0..<dimension {
            sum[k] += Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * k, as: UInt32.self)))
        }
    }

    /// fastText's vector for a word outside the vocabulary: the mean of its n-gram rows; nil when the word
    /// has none (fastText prints zeros then).
    public func vector(for word: String) -> [Float]? {
        let ngrams = ngramRows(word)
        guard !ngrams.isEmpty else { return nil }
        var sum = [Float](repeating: 0, count: dimension)
        for r in ngrams { add(row: r, into: &sum) }
        let scale = Float(1.0 / Double(ngrams.count))  // fastText: vec.mul(1.0 / ngrams.size()) in float
        return sum.map { $0 * scale }
    }
}
