import Foundation
import TextTransferCore
import TextTransferEncoders
import TextTransferIO

/// A BERT-family encoder read from a Hugging Face directory (config.json + model.safetensors).
package enum PretrainedBert {
    /// The architecture, a checked lookup into model.safetensors, and whether it has pooler weights.
    package static func open(directory: String) throws -> (BertConfiguration, BertArchitecture, TensorLookup, hasPooler: Bool) {
        let configPath = (directory as NSString).appendingPathComponent("config.json")
        guard FileManager.default.fileExists(atPath: directory) else {
            throw ModelFileError(file: directory, message: "no such model directory")
        }
        let config = try BertConfiguration.load(path: configPath)
        let weightsPath = (directory as NSString).appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw ModelFileError(file: weightsPath, message: "missing: the directory needs the weights as model.safetensors")
        }
        let reader = try SafetensorsReader(path: weightsPath)
        // Checkpoints of BertModel name keys "embeddings…"; those of task models "bert.embeddings…".
        func resolve(_ key: String) -> String? {
            if reader.entries[key] != nil { return key }
            if reader.entries["bert." + key] != nil { return "bert." + key }
            return nil
        }
        let lookup: TensorLookup = { key, shape in
            guard let name = resolve(key) else {
                throw ModelFileError(file: weightsPath, key: key, message: "missing tensor (also looked for bert.\(key))")
            }
            let found = reader.entries[name]!.shape
            guard found == shape else {
                throw ModelFileError(file: weightsPath, key: name,
                                     message: "shape \(found) disagrees with config.json, which implies \(shape)")
            }
            return try reader.tensor(name)
        }
        let architecture = BertArchitecture(
            vocabularySize: config.vocabSize, width: config.hiddenSize, layers: config.numHiddenLayers,
            heads: config.numAttentionHeads, feedForwardWidth: config.intermediateSize,
            maxPositions: config.maxPositionEmbeddings, tokenTypes: config.typeVocabSize,
            layerNormEpsilon: Float(config.layerNormEps))
        return (config, architecture, lookup, resolve("pooler.dense.weight") != nil)
    }

    package static func load(directory: String) throws -> (BertConfiguration, BertEncoder) {
        let (config, architecture, lookup, hasPooler) = try open(directory: directory)
        let weights = try BertWeights(architecture, lookup: lookup, hasPooler: hasPooler)
        return (config, BertEncoder(architecture: architecture, weights: weights))
    }
}
