import Foundation
import TextTransferTokenization

/// fastText's dictionary for unsupervised training, and the text as its word ids: words counted (each
/// line ends in "</s>"), those under minCount dropped, the rest ordered by count (ties by first
/// appearance); each word's input rows (itself, then its character n-gram buckets after the words), its
/// subsampling survival probability √(t/f) + t/f, and the negative-sampling table of count^0.5.
struct WordVectorVocabulary {
    static let endOfSentence = "</s>"
    /// fastText's negative-sampling table has 10M entries; a small vocabulary needs far fewer (about a
    /// thousand per word keeps every word's share to within a fraction of a percent).
    static func negativeTableSize(words: Int) -> Int { min(10_000_000, 1_000 * words) }

    let words: [String]
    let counts: [Int64]
    /// Every token counted, the dropped words and "</s>" included (fastText's ntokens).
    let tokens: Int64
    let subwordStart: [Int32]
    let subwords: [Int32]
    let mostSubwords: Int
    let keep: [Float]
    let negatives: [Int32]
    /// The text as word ids (words under minCount left out), lines cut to at most `longestLine` tokens.
    let corpus: [Int32]
    let lineStart: [Int]

    init(lines: [[String]], settings s: WordVectorSettings) throws {
        var provisional: [String: Int32] = [:]
        var names: [String] = [], seen: [Int64] = []
        var text: [Int32] = []
        var ends: [Int] = []
        for line in lines {
            for word in line + [Self.endOfSentence] {
                let id: Int32
                if let known = provisional[word] { id = known } else {
                    id = Int32(names.count)
                    provisional[word] = id
                    names.append(word)
                    seen.append(0)
                }
                seen[Int(id)] += 1
                text.append(id)
            }
            ends.append(text.count)
        }
        let order = names.indices.filter { seen[$0] >= s.minCount }.sorted { (seen[$0], -$0) > (seen[$1], -$1) }
        guard !order.isEmpty else {
            throw WordVectorTrainingError(message: "no word occurs --min-count \(s.minCount) times in \(lines.count) lines", isAboutTheText: true)
        }
        // "</s>" ends every line, so it does not count: a file of one word would train it against "</s>" alone.
        let wordTypes = order.filter { names[$0] != Self.endOfSentence }
        guard wordTypes.count >= 2 else {
            let what = wordTypes.first.map { "a single word type (\(names[$0]))" } ?? "no word"
            throw WordVectorTrainingError(message: "the text has \(what) at --min-count \(s.minCount): nothing to contrast it with", isAboutTheText: true)
        }
        var final = [Int32](repeating: -1, count: names.count)
        for (i, p) in order.enumerated() { final[p] = Int32(i) }
        words = order.map { names[$0] }
        counts = order.map { seen[$0] }
        tokens = Int64(text.count)

        // The corpus in final ids, each line cut into pieces of at most longestLine tokens.
        var corpus: [Int32] = [], lineStart = [0]
        corpus.reserveCapacity(text.count)
        var begin = 0
        for end in ends {
            var piece = 0
            for p in text[begin..<end] where final[Int(p)] >= 0 {
                corpus.append(final[Int(p)])
                piece += 1
                if piece == WordVectorSettings.longestLine { lineStart.append(corpus.count); piece = 0 }
            }
            if piece > 0 { lineStart.append(corpus.count) }
            begin = end
        }
        (self.corpus, self.lineStart) = (corpus, lineStart)

        var start: [Int32] = [0], rows: [Int32] = []
        var most = 1
        for (i, word) in words.enumerated() {
            rows.append(Int32(i))
            var n = 1
            if word != Self.endOfSentence {
                for b in FastTextSubwords.ngramBuckets(word, minn: s.minn, maxn: s.maxn, buckets: s.buckets) {
                    rows.append(Int32(words.count + b))
                    n += 1
                }
            }
            most = max(most, n)
            start.append(Int32(rows.count))
        }
        (subwordStart, subwords, mostSubwords) = (start, rows, most)

        let total = Double(tokens)
        keep = counts.map { c in
            let f = Double(c) / total
            return Float((s.samplingThreshold / f).squareRoot() + s.samplingThreshold / f)
        }
        let weights = counts.map { Double($0).squareRoot() }
        let z = weights.reduce(0, +)
        var table: [Int32] = []
        let size = Self.negativeTableSize(words: words.count)
        table.reserveCapacity(size + words.count)
        for (i, w) in weights.enumerated() {
            let copies = Int(w * Double(size) / z)
            table.append(contentsOf: repeatElement(Int32(i), count: copies))
        }
        if table.isEmpty { table = Array(0..<Int32(words.count)) }
        negatives = table  // drawn at uniform positions, so unshuffled (fastText shuffles it to no effect)
    }
}
