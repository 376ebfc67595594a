/// Greedy longest-match-first WordPiece. Matches tokenizers' `WordPiece` model: a word longer than
/// `maxInputCharactersPerWord` scalars, or one with any part that matches no vocabulary entry, becomes a
/// single unknown token; pieces after the first carry `continuingSubwordPrefix`.
public struct WordPiece: Sendable {
    public let vocabulary: Vocabulary
    public let unknownID: Int32
    public let unknownToken: String
    public let continuingSubwordPrefix: String
    public let maxInputCharactersPerWord: Int
    private let trie: VocabularyTrie
    /// The trie node after the continuing-subword prefix, or -1 when no token carries it.
    private let continuationRoot: Int32

    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharactersPerWord: Int = 100) throws {
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.unknownID = try vocabulary.requiredID(unknownToken)
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        trie = VocabularyTrie(tokens: vocabulary.tokens)
        continuationRoot = trie.node(for: continuingSubwordPrefix)
    }

    /// Appends the pieces of the word `scalars[word]` to `ids`, and each piece's range in `scalars` to `spans`.
    func tokenize(_ scalars: UnsafeBufferPointer<UInt32>, word: Range<Int>, ids: inout [Int32], spans: inout [Range<Int>]) {
        if word.count > maxInputCharactersPerWord {
            ids.append(unknownID); spans.append(word)
            return
        }
        let (idMark, spanMark) = (ids.count, spans.count)
        var start = word.lowerBound
        while start < word.upperBound {
            var node = start == word.lowerBound ? VocabularyTrie.root : continuationRoot
            var matchID: Int32 = -1
            var matchEnd = start
            var i = start
            while node >= 0 && i < word.upperBound {
                node = trie.child(node, scalars[i])
                i += 1
                if node >= 0 {
                    let id = trie.tokenIDs[Int(node)]
                    if id >= 0 { matchID = id; matchEnd = i }
                }
            }
            if matchID < 0 {  // some part has no piece: the whole word is unknown
                ids.removeSubrange(idMark...)
                spans.removeSubrange(spanMark...)
                ids.append(unknownID); spans.append(word)
                return
            }
            ids.append(matchID); spans.append(start..<matchEnd)
            start = matchEnd
        }
    }
}
