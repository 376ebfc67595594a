import TextTransferCore
import TextTransferTokenization

/// BERT's masked-LM corruption (transformers' `DataCollatorForLanguageModeling`): each word — a token, or
/// with whole-word masking every token of a word — is chosen with probability `probability` (special
/// tokens never); a chosen token becomes [MASK] 80% of the time, a uniformly drawn token 10%, and stays
/// 10%, and its label is its original id. A sequence with nothing chosen gets one word chosen, so that
/// every sequence teaches something.
public struct TokenMasking: Sendable {
    public var probability: Double = 0.15
    public let maskID: Int32
    public let vocabularySize: Int

    public init(maskID: Int32, vocabularySize: Int, probability: Double = 0.15) {
        (self.maskID, self.vocabularySize, self.probability) = (maskID, vocabularySize, probability)
    }

    /// The corrupted ids and the labels (the original id where chosen, −1 elsewhere) of one sequence.
    /// `words[i]` numbers the word token i belongs to (nil: each token is its own word); special tokens
    /// (`encoding.specialTokensMask`) are never chosen.
    public func mask(_ encoding: Encoding, words: [Int]? = nil, generator: inout RandomGenerator) -> (ids: [Int32], labels: [Int32]) {
        var ids = encoding.ids
        var labels = [Int32](repeating: -1, count: ids.count)
        let candidates = ids.indices.filter { encoding.specialTokensMask[$0] == 0 && encoding.attentionMask[$0] == 1 }
        guard !candidates.isEmpty else { return (ids, labels) }
        // Group the candidates into words, in order.
        var groups: [[Int]] = []
        for i in candidates {
            if let words, let last = groups.last?.last, words[last] == words[i] { groups[groups.count - 1].append(i) } else { groups.append([i]) }
        }
        var chosen = groups.filter { _ in Double(generator.nextUnitFloat()) < probability }
        if chosen.isEmpty { chosen = [groups[Int.random(in: 0..<groups.count, using: &generator)]] }
        for i in chosen.joined() {
            labels[i] = ids[i]
            let roll = generator.nextUnitFloat()
            if roll < 0.8 {
                ids[i] = maskID
            } else if roll < 0.9 {
                ids[i] = Int32(Int.random(in: 0..<vocabularySize, using: &generator))
            }
        }
        return (ids, labels)
    }
}
