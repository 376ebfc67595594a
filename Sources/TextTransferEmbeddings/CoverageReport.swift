import Foundation

/// How much of a data set a vector file covers: types and tokens by how their vector was found, and the
/// most frequent words that have none. Printed before training on word vectors.
public struct CoverageReport: Sendable {
    public let name: String
    public let types: Int
    public let tokens: Int
    /// Types and tokens per match kind.
    public let typesByMatch: [WordVectorLookup.Match: Int]
    public let tokensByMatch: [WordVectorLookup.Match: Int]
    /// The most frequent words without a vector, with their counts.
    public let topMissing: [(word: String, count: Int)]

    /// Counts `wordCounts` (word → occurrences in the data set) against `lookup`.
    public init(name: String, wordCounts: [String: Int], lookup: WordVectorLookup, topMissing: Int = 10) {
        var typesByMatch: [WordVectorLookup.Match: Int] = [:], tokensByMatch: [WordVectorLookup.Match: Int] = [:]
        var missing: [(word: String, count: Int)] = []
        for (word, count) in wordCounts {
            let match = lookup.vector(for: word).match
            typesByMatch[match, default: 0] += 1
            tokensByMatch[match, default: 0] += count
            if match == .unknown { missing.append((word, count)) }
        }
        self.name = name
        types = wordCounts.count
        tokens = wordCounts.values.reduce(0, +)
        self.typesByMatch = typesByMatch
        self.tokensByMatch = tokensByMatch
        self.topMissing = Array(missing.sorted { $0.count != $1.count ? $0.count > $1.count : $0.word < $1.word }.prefix(topMissing))
    }

    public var typeCoverage: Double { types == 0 ? 0 : 1 - Double(typesByMatch[.unknown] ?? 0) / Double(types) }
    public var tokenCoverage: Double { tokens == 0 ? 0 : 1 - Double(tokensByMatch[.unknown] ?? 0) / Double(tokens) }

    /// A few readable lines.
    public var summary: String {
        var lines = [String(format: "%@: %d word types, %d tokens; vectors for %.1f%% of types and %.1f%% of tokens", name, types, tokens,
                            100 * typeCoverage, 100 * tokenCoverage)]
        let kinds = WordVectorLookup.Match.allCases.compactMap { m in typesByMatch[m].map { "\(m.rawValue) \($0)" } }
        lines.append("  types by match: " + kinds.joined(separator: ", "))
        if !topMissing.isEmpty {
            lines.append("  most frequent without a vector: " + topMissing.map { "\($0.word) (\($0.count))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
