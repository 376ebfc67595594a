/// BERT's pre-tokenizer. Matches tokenizers' `BertPreTokenizer`: split on whitespace (dropped), then
/// isolate every punctuation character as a word of its own.
public struct BertPreTokenizer: Sendable, Equatable {
    public init() {}

    /// Calls `body` with each word's range in `scalars`, in order.
    func forEachWord(in scalars: UnsafeBufferPointer<UInt32>, _ body: (Range<Int>) -> Void) {
        var start = -1
        for i in 0..<scalars.count {
            let c = scalars[i]
            if BertCharacterClasses.isWhitespace(c) {
                if start >= 0 { body(start..<i); start = -1 }
            } else if BertCharacterClasses.isPunctuation(c) {
                if start >= 0 { body(start..<i); start = -1 }
                body(i..<(i + 1))
            } else if start < 0 {
                start = i
            }
        }
        if start >= 0 { body(start..<scalars.count) }
    }
}
