/// A tokenized text: ids with their attention mask, token types and character offsets.
public struct Encoding: Sendable, Equatable {
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var attentionMask: [Int32]
    /// 1 for [CLS], [SEP] and padding.
    public var specialTokensMask: [Int32]
    /// Each token's span in the input, counted in Unicode scalars (Python `str` indices, as HF tokenizers
    /// reports them); special and padding tokens have (0, 0).
    public var offsets: [Range<Int>]

    public init(ids: [Int32], typeIDs: [Int32], attentionMask: [Int32], specialTokensMask: [Int32], offsets: [Range<Int>]) {
        (self.ids, self.typeIDs, self.attentionMask, self.specialTokensMask, self.offsets) = (ids, typeIDs, attentionMask, specialTokensMask, offsets)
    }

    public var count: Int { ids.count }
    /// Tokens that are not padding.
    public var length: Int { attentionMask.reduce(0) { $0 + Int($1) } }
}
