import Foundation
import TextTransferCore

/// The Hugging Face `config.json` of a BERT-family encoder. Keys match the file.
public struct BertConfiguration: Codable, Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    public var hiddenAct: String
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var layerNormEps: Double
    public var hiddenDropoutProb: Double
    public var attentionProbsDropoutProb: Double
    public var padTokenId: Int
    public var modelType: String

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size"
        case hiddenAct = "hidden_act", maxPositionEmbeddings = "max_position_embeddings"
        case typeVocabSize = "type_vocab_size", layerNormEps = "layer_norm_eps"
        case hiddenDropoutProb = "hidden_dropout_prob", attentionProbsDropoutProb = "attention_probs_dropout_prob"
        case padTokenId = "pad_token_id", modelType = "model_type"
    }

    public init(vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, intermediateSize: Int,
                hiddenAct: String = "gelu", maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
                layerNormEps: Double = 1e-12, hiddenDropoutProb: Double = 0.1, attentionProbsDropoutProb: Double = 0.1,
                padTokenId: Int = 0, modelType: String = "bert") {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.padTokenId = padTokenId
        self.modelType = modelType
    }

    /// Keys the architecture needs; the rest default as in transformers' BertConfig.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu"
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512
        typeVocabSize = try c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 2
        layerNormEps = try c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? 1e-12
        hiddenDropoutProb = try c.decodeIfPresent(Double.self, forKey: .hiddenDropoutProb) ?? 0.1
        attentionProbsDropoutProb = try c.decodeIfPresent(Double.self, forKey: .attentionProbsDropoutProb) ?? 0.1
        padTokenId = try c.decodeIfPresent(Int.self, forKey: .padTokenId) ?? 0
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType) ?? "bert"
    }

    /// Reads and checks `config.json`; errors name the file and the key.
    public static func load(path: String) throws -> BertConfiguration {
        guard let data = readFileContents(atPath: path) else { throw ModelFileError(file: path, message: "cannot read the file") }
        let config: BertConfiguration
        do {
            config = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch let DecodingError.keyNotFound(key, _) {
            throw ModelFileError(file: path, key: key.stringValue, message: "missing key")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw ModelFileError(file: path, key: context.codingPath.map(\.stringValue).joined(separator: "."),
                                 message: "wrong type: \(context.debugDescription)")
        } catch {
            throw ModelFileError(file: path, message: "not valid JSON")
        }
        try config.validate(path: path)
        return config
    }

    func validate(path: String) throws {
        func check(_ ok: Bool, _ key: CodingKeys, _ message: String) throws {
            if !ok { throw ModelFileError(file: path, key: key.rawValue, message: message) }
        }
        for (value, key) in [(vocabSize, CodingKeys.vocabSize), (hiddenSize, .hiddenSize), (numHiddenLayers, .numHiddenLayers),
                             (numAttentionHeads, .numAttentionHeads), (intermediateSize, .intermediateSize),
                             (maxPositionEmbeddings, .maxPositionEmbeddings), (typeVocabSize, .typeVocabSize)] {
            try check(value > 0, key, "must be positive, got \(value)")
        }
        // Upper bounds far above any BERT-family model, so that a damaged config.json is an error here
        // rather than a reservation of terabytes when the layers are built.
        for (value, key, limit) in [(vocabSize, CodingKeys.vocabSize, 1 << 24), (hiddenSize, .hiddenSize, 1 << 16),
                                    (numHiddenLayers, .numHiddenLayers, 1 << 10), (numAttentionHeads, .numAttentionHeads, 1 << 12),
                                    (intermediateSize, .intermediateSize, 1 << 18), (maxPositionEmbeddings, .maxPositionEmbeddings, 1 << 20),
                                    (typeVocabSize, .typeVocabSize, 1 << 16)] {
            try check(value <= limit, key, "\(value) is beyond any supported model (at most \(limit))")
        }
        try check(hiddenSize % numAttentionHeads == 0, .numAttentionHeads,
                  "hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        try check(hiddenAct == "gelu", .hiddenAct, "only the exact-erf \"gelu\" is supported, got \"\(hiddenAct)\"")
        try check(layerNormEps > 0, .layerNormEps, "must be positive")
    }
}
