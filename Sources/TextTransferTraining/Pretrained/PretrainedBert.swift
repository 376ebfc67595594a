import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO

/// A BERT-family encoder built from a Hugging Face directory (read by `ModelDirectory`).
package enum PretrainedBert {
    /// The architecture, a checked lookup into model.safetensors, and whether it has pooler weights.
    package static func open(directory: String) throws -> (BertConfiguration, BertArchitecture, TensorLookup, hasPooler: Bool) {
        let model = try ModelDirectory(directory)
        let config = model.configuration
        let architecture = BertArchitecture(
            vocabularySize: config.vocabSize, width: config.hiddenSize, layers: config.numHiddenLayers,
            heads: config.numAttentionHeads, feedForwardWidth: config.intermediateSize,
            maxPositions: config.maxPositionEmbeddings, tokenTypes: config.typeVocabSize,
            layerNormEpsilon: Float(config.layerNormEps))
        return (config, architecture, { try model.tensor($0, shape: $1) }, model.storedName("pooler.dense.weight") != nil)
    }

    package static func load(directory: String) throws -> (BertConfiguration, BertEncoder) {
        let (config, architecture, lookup, hasPooler) = try open(directory: directory)
        let weights = try BertWeights(architecture, lookup: lookup, hasPooler: hasPooler)
        return (config, BertEncoder(architecture: architecture, weights: weights))
    }
}
