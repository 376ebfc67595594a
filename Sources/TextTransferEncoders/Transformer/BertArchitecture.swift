/// The sizes of a BERT encoder (from config.json).
public struct BertArchitecture: Sendable, Equatable {
    public var vocabularySize: Int
    public var width: Int
    public var layers: Int
    public var heads: Int
    public var feedForwardWidth: Int
    public var maxPositions: Int
    public var tokenTypes: Int
    public var layerNormEpsilon: Float

    public init(vocabularySize: Int, width: Int, layers: Int, heads: Int, feedForwardWidth: Int,
                maxPositions: Int, tokenTypes: Int, layerNormEpsilon: Float) {
        precondition(width % heads == 0, "width \(width) is not a multiple of \(heads) heads")
        self.vocabularySize = vocabularySize
        self.width = width
        self.layers = layers
        self.heads = heads
        self.feedForwardWidth = feedForwardWidth
        self.maxPositions = maxPositions
        self.tokenTypes = tokenTypes
        self.layerNormEpsilon = layerNormEpsilon
    }

    public var headSize: Int { width / heads }
}
