/// Word-boundary precision, recall and F1 of a segmentation against a human one, the usual measure for
/// Thai, Chinese and Japanese word segmentation. Boundaries are the start and end offsets of every
/// non-whitespace token, inside the text (0 and the end are not counted).
public struct WordBoundaryScore: Sendable, Equatable {
    public private(set) var truePositives = 0
    public private(set) var predicted = 0
    public private(set) var gold = 0

    public init() {}

    public var precision: Double { predicted == 0 ? 0 : Double(truePositives) / Double(predicted) }
    public var recall: Double { gold == 0 ? 0 : Double(truePositives) / Double(gold) }
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }

    /// Adds one text: `segments` from a segmenter, `goldTokens` the human tokens that concatenate to the
    /// text (whitespace tokens allowed, as in Wisesight's files).
    public mutating func add(segments: [WordSegment], goldTokens: [String]) {
        var goldBoundaries = Set<Int>()
        var offset = 0
        for token in goldTokens {
            let length = token.unicodeScalars.count
            if token.unicodeScalars.contains(where: { !$0.properties.isWhitespace }) {
                goldBoundaries.insert(offset)
                goldBoundaries.insert(offset + length)
            }
            offset += length
        }
        let inside = { (b: Int) in b > 0 && b < offset }
        goldBoundaries = goldBoundaries.filter(inside)
        let found = Set(segments.flatMap { [$0.range.lowerBound, $0.range.upperBound] }).filter(inside)
        truePositives += found.intersection(goldBoundaries).count
        predicted += found.count
        gold += goldBoundaries.count
    }
}
