import TextTransferCore

/// Looks up a tensor by checkpoint key and checks it has the expected shape; throws when it is missing
/// or shaped differently. Supplied by whoever owns the file (safetensors reader, parameter store).
public typealias TensorLookup = (_ key: String, _ expectedShape: [Int]) throws -> Tensor

/// A LayerNorm's scale and shift, both (C).
public struct LayerNormWeights {
    public let gamma: Tensor
    public let beta: Tensor

    init(_ prefix: String, width: Int, _ lookup: TensorLookup) throws {
        gamma = try lookup(prefix + ".weight", [width])
        beta = try lookup(prefix + ".bias", [width])
    }
}

/// A Linear layer's weight (out, in) and bias (out), in PyTorch's layout.
public struct LinearWeights {
    public let weight: Tensor
    public let bias: Tensor
    /// The same weights packed for an inference precision (`BertEncoder.converted(to:)`); nil computes
    /// with `weight` and `bias` in fp32.
    var packed: PackedLinear?

    init(_ prefix: String, inFeatures: Int, outFeatures: Int, _ lookup: TensorLookup) throws {
        weight = try lookup(prefix + ".weight", [outFeatures, inFeatures])
        bias = try lookup(prefix + ".bias", [outFeatures])
    }

    var inFeatures: Int { weight.shape[1] }
    var outFeatures: Int { weight.shape[0] }

    func packed(_ precision: Precision) -> LinearWeights {
        var copy = self
        copy.packed = PackedLinear(precision: precision, weight: weight.pointer, bias: bias.pointer,
                                   outFeatures: outFeatures, inFeatures: inFeatures)
        return copy
    }
}

/// One encoder block's weights, under the transformers key names `encoder.layer.N.…`.
public struct BertLayerWeights {
    public private(set) var query, key, value, attentionOutput: LinearWeights
    public let attentionNorm: LayerNormWeights
    public private(set) var intermediate, output: LinearWeights
    public let outputNorm: LayerNormWeights

    /// This block with its six Linear layers packed for `precision`.
    func packed(_ precision: Precision) -> BertLayerWeights {
        var copy = self
        for path in [\BertLayerWeights.query, \.key, \.value, \.attentionOutput, \.intermediate, \.output] {
            copy[keyPath: path] = self[keyPath: path].packed(precision)
        }
        return copy
    }

    init(index: Int, _ a: BertArchitecture, _ lookup: TensorLookup) throws {
        let p = "encoder.layer.\(index)."
        query = try LinearWeights(p + "attention.self.query", inFeatures: a.width, outFeatures: a.width, lookup)
        key = try LinearWeights(p + "attention.self.key", inFeatures: a.width, outFeatures: a.width, lookup)
        value = try LinearWeights(p + "attention.self.value", inFeatures: a.width, outFeatures: a.width, lookup)
        attentionOutput = try LinearWeights(p + "attention.output.dense", inFeatures: a.width, outFeatures: a.width, lookup)
        attentionNorm = try LayerNormWeights(p + "attention.output.LayerNorm", width: a.width, lookup)
        intermediate = try LinearWeights(p + "intermediate.dense", inFeatures: a.width, outFeatures: a.feedForwardWidth, lookup)
        output = try LinearWeights(p + "output.dense", inFeatures: a.feedForwardWidth, outFeatures: a.width, lookup)
        outputNorm = try LayerNormWeights(p + "output.LayerNorm", width: a.width, lookup)
    }
}

/// All weights of a BERT encoder. Keys are transformers' `BertModel` names without the `bert.` prefix.
public struct BertWeights {
    public let wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings: Tensor
    public let embeddingNorm: LayerNormWeights
    public internal(set) var layers: [BertLayerWeights]
    /// The pooler (dense + tanh over [CLS]); nil when the checkpoint has none.
    public let pooler: LinearWeights?

    public init(_ a: BertArchitecture, lookup: TensorLookup, hasPooler: Bool) throws {
        wordEmbeddings = try lookup("embeddings.word_embeddings.weight", [a.vocabularySize, a.width])
        positionEmbeddings = try lookup("embeddings.position_embeddings.weight", [a.maxPositions, a.width])
        tokenTypeEmbeddings = try lookup("embeddings.token_type_embeddings.weight", [a.tokenTypes, a.width])
        embeddingNorm = try LayerNormWeights("embeddings.LayerNorm", width: a.width, lookup)
        layers = try (0..<a.layers).map { try BertLayerWeights(index: $0, a, lookup) }
        pooler = hasPooler ? try LinearWeights("pooler.dense", inFeatures: a.width, outFeatures: a.width, lookup) : nil
    }
}
