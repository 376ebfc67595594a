import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTokenization

/// A static sentence encoder in model2vec's directory layout: a token table whose rows are averaged over
/// a text's WordPiece tokens, then L2-normalized. `config.json` says `"model_type": "model2vec"`,
/// `model.safetensors` holds `embeddings` (V × D, float32) and `tokenizer.json` the WordPiece tokenizer of
/// the table's vocabulary (which has no [CLS] or [SEP]). model2vec's `StaticModel.from_pretrained` loads
/// such a directory, and this reads model2vec's own.
public struct StaticEmbeddingModel: Sendable {
    public let tokenizer: BertTokenizer
    /// V × D, row r for token id r. Loaded once and never written.
    nonisolated(unsafe) public let table: Tensor
    public let normalize: Bool
    /// Tokens beyond this many are dropped, as model2vec truncates (512 by default); nil keeps all.
    public let maxLength: Int?
    /// The config.json keys that describe how the table was made (apply_pca, sif_coefficient, …).
    public let provenance: [String: String]

    public var dimension: Int { table.shape[1] }
    public var count: Int { table.shape[0] }

    public static let modelType = "model2vec"

    /// Whether `directory` holds a model of this kind (its config.json says model2vec).
    public static func isStatic(directory: String) -> Bool {
        guard let data = readFileContents(atPath: directory + "/config.json"),
              let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return false }
        return config["model_type"] as? String == modelType
    }

    public init(tokenizer: BertTokenizer, table: Tensor, normalize: Bool = true, maxLength: Int? = 512, provenance: [String: String] = [:]) {
        precondition(table.shape.count == 2 && table.shape[0] == tokenizer.vocabulary.count, "a table of \(table.shape) for \(tokenizer.vocabulary.count) tokens")
        self.tokenizer = tokenizer
        self.table = table
        self.normalize = normalize
        self.maxLength = maxLength
        self.provenance = provenance
    }

    public init(directory: String) throws {
        let configPath = directory + "/config.json"
        guard let data = readFileContents(atPath: configPath) else { throw ModelFileError(file: configPath, message: "missing") }
        guard let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelFileError(file: configPath, message: "not a JSON object")
        }
        guard config["model_type"] as? String == Self.modelType else {
            throw ModelFileError(file: configPath, key: "model_type", message: "is not \(Self.modelType): not a static embedding model")
        }
        let tokenizer = try BertTokenizer(tokenizerJSON: directory + "/tokenizer.json")
        let weights = try SafetensorsReader(path: directory + "/model.safetensors")
        guard let entry = weights.entries["embeddings"] else {
            throw ModelFileError(file: weights.path, key: "embeddings", message: "missing: a static model's table")
        }
        guard entry.shape.count == 2, entry.shape[0] == tokenizer.vocabulary.count, entry.shape[1] >= 1 else {
            throw ModelFileError(file: weights.path, key: "embeddings",
                                 message: "has shape \(entry.shape), not (\(tokenizer.vocabulary.count) tokens of tokenizer.json, D)")
        }
        let table = try weights.tensor("embeddings")
        if let bad = table.values.firstIndex(where: { !$0.isFinite }) {
            throw ModelFileError(file: weights.path, key: "embeddings", message: "row \(bad / entry.shape[1]) is not finite")
        }
        var provenance: [String: String] = [:]
        for key in ["apply_pca", "sif_coefficient", "pooling", "tokenizer_name"] { if let v = config[key] { provenance[key] = "\(v)" } }
        let maxLength = config["max_length"] as? Int ?? (config.keys.contains("max_length") ? nil : 512)
        if let maxLength, maxLength < 1 { throw ModelFileError(file: configPath, key: "max_length", message: "must be at least 1, not \(maxLength)") }
        self.init(tokenizer: tokenizer, table: table, normalize: config["normalize"] as? Bool ?? true, maxLength: maxLength, provenance: provenance)
    }

    /// The mean of each text's token rows ([UNK] left out, as model2vec does), normalized when the model
    /// says so; a text with no known token gives zeros.
    public func embed(_ texts: [String]) -> [[Float]] {
        let D = dimension
        let unknown = tokenizer.wordPiece.unknownID
        return texts.map { text in
            var sum = [Float](repeating: 0, count: D)
            let ids = tokenizer.wordPieceIDs(text, maxLength: maxLength).filter { $0 != unknown }
            for id in ids {
                let row = table.pointer + Int(id) * D
                for k in 0..<D { sum[k] += row[k] }
            }
            guard !ids.isEmpty else { return sum }
            let n = Float(ids.count)
            for k in 0..<D { sum[k] /= n }
            if normalize {
                let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot() + 1e-32
                for k in 0..<D { sum[k] /= norm }
            }
            return sum
        }
    }

    /// Writes the three files into `directory` (an `OutputDirectory`'s staging folder).
    public func write(to directory: String) throws {
        var config: [String: Any] = ["model_type": Self.modelType, "architectures": ["StaticModel"], "hidden_dim": dimension,
                                     "seq_length": 1_000_000, "normalize": normalize, "embedding_dtype": "float32"]
        config["max_length"] = maxLength ?? NSNull()
        for (key, value) in provenance { config[key] = Int(value) ?? Double(value).map { $0 as Any } ?? value }
        try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: directory + "/config.json"))
        try SafetensorsWriter.write(["embeddings": table], to: directory + "/model.safetensors")
        try JSONSerialization.data(withJSONObject: tokenizerJSON(), options: [.sortedKeys]).write(to: URL(fileURLWithPath: directory + "/tokenizer.json"))
    }

    /// A tokenizer.json as model2vec writes one: BERT's normalizer and pre-tokenizer, WordPiece over the
    /// table's vocabulary, no post-processor (no [CLS] and [SEP]).
    private func tokenizerJSON() -> [String: Any] {
        let tokens = tokenizer.vocabulary.tokens
        var vocab: [String: Int] = [:]
        for (i, t) in tokens.enumerated() { vocab[t] = i }
        let special = ["[PAD]", tokenizer.wordPiece.unknownToken].compactMap { t in vocab[t].map { (t, $0) } }
        let n = tokenizer.normalizer
        return [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(),
            "added_tokens": special.map { ["id": $0.1, "content": $0.0, "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true] },
            "normalizer": ["type": "BertNormalizer", "clean_text": n.cleanText, "handle_chinese_chars": n.handleChineseCharacters,
                           "strip_accents": n.stripAccents.map { $0 as Any } ?? NSNull(), "lowercase": n.lowercase],
            "pre_tokenizer": ["type": "BertPreTokenizer"], "post_processor": NSNull(),
            "decoder": ["type": "WordPiece", "prefix": tokenizer.wordPiece.continuingSubwordPrefix, "cleanup": true],
            "model": ["type": "WordPiece", "unk_token": tokenizer.wordPiece.unknownToken, "continuing_subword_prefix": tokenizer.wordPiece.continuingSubwordPrefix,
                      "max_input_chars_per_word": tokenizer.wordPiece.maxInputCharactersPerWord, "vocab": vocab],
        ]
    }
}
