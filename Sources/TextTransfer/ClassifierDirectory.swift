import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTokenization
import TextTransferTraining

/// A saved classifier on disk — text_transfer.json, the tokenizer (the encoder's tokenizer files, or
/// words.txt for word tokens), model.safetensors (model.bf16/int8.safetensors over a quantized encoder) —
/// written and read here, side by side, so that the two halves of the format cannot drift apart.
/// `FineTuner.save` writes through it, `TextClassifier` reads.
enum ClassifierDirectory {
    static let wordsFile = "words.txt"
    /// The files of a Hugging Face tokenizer (and the encoder's config) that a classifier carries along.
    static let tokenizerFiles = ["config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]

    /// Writes a classifier into `directory` (the staging folder of an `OutputDirectory`).
    static func write(to directory: String, description: ClassifierDescription, weights store: ParameterStore,
                      tokenizer: any TextTokenizer, tokenizerFilesFrom model: String) throws {
        var tensors: [String: Tensor] = [:]
        for p in store.parameters { tensors[p.name] = store.value(p.name) }
        try write(to: directory, description: description, tensors: tensors, tokenizer: tokenizer, tokenizerFilesFrom: model)
    }

    /// Writes a classifier whose weights are given by name: F32 `tensors`, and `storedTensors` kept in their
    /// own types (an encoder's I64 position ids, copied as they were). `precision` names what the stored
    /// tensors hold: a classifier over a quantized encoder (bf16 or int8 Linear weights) is written as
    /// `quantize` writes one, under model.bf16/model.int8.safetensors, so that it loads in that precision
    /// and no fp32 loader reads it.
    static func write(to directory: String, description: ClassifierDescription, tensors: [String: Tensor],
                      storedTensors: [String: SafetensorsWriter.StoredTensor] = [:], precision: Precision = .fp32,
                      tokenizer: any TextTokenizer, tokenizerFilesFrom model: String) throws {
        let fm = FileManager.default
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        if let words = tokenizer as? WordTokenizer {
            try Data(words.words.map { $0 + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: path(wordsFile)))
        } else {
            for name in tokenizerFiles where name != "config.json" {
                let source = (model as NSString).appendingPathComponent(name)
                if fm.fileExists(atPath: source) { try fm.copyItem(atPath: source, toPath: path(name)) }
            }
            let config = (model as NSString).appendingPathComponent("config.json")
            if fm.fileExists(atPath: config) { try classifierConfig(from: config).write(to: URL(fileURLWithPath: path("config.json"))) }
        }
        let metadata = ModelWeightsFile.metadata(for: precision).merging(["format": "text-transfer"]) { kept, _ in kept }
        try SafetensorsWriter.write(tensors, storedTensors: storedTensors, metadata: metadata, to: path(ModelWeightsFile.name(for: precision)))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(description).write(to: URL(fileURLWithPath: path(ClassifierDescription.fileName)))
    }

    /// The key of config.json under which a classifier keeps what its encoder's config said.
    static let configMark = "text_transfer"

    /// The encoder's config.json, marked as a TextTransfer classifier: `model_type` is one transformers
    /// does not know, so that `AutoModelForSequenceClassification` refuses the directory instead of
    /// loading it into a class that pools and labels differently; the encoder's own `model_type` and
    /// `architectures` are kept under `text_transfer` for `HuggingFaceExport`, which writes the directory
    /// transformers can load.
    static func classifierConfig(from file: String) throws -> Data {
        guard let data = readFileContents(atPath: file),
              var config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelFileError(file: file, message: "missing or not a JSON object")
        }
        if config[configMark] == nil {
            config[configMark] = [
                "encoder_model_type": config["model_type"] as? String ?? "bert",
                "encoder_architectures": config["architectures"] as? [String] ?? ["BertModel"],
                "note": "a classifier saved by text-transfer; for Hugging Face, write a copy with `text-transfer export --format hf`",
            ] as [String: Any]
        }
        config["model_type"] = "text-transfer-classifier"
        config["architectures"] = ["TextTransferClassifier"]
        return try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
    }

    /// Reads a classifier's description and tokenizer, checks that they belong together, and opens its
    /// weights. The description is validated like any input once the encoder's positions are known
    /// (`ClassifierDescription.validate`); here only its format and the tokenizer's fingerprint.
    static func read(_ directory: String) throws -> (description: ClassifierDescription, tokenizer: any TextTokenizer, weights: SafetensorsReader) {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        let descriptionPath = path(ClassifierDescription.fileName)
        guard let data = readFileContents(atPath: descriptionPath) else {
            throw ModelFileError(file: descriptionPath, message: "missing: \(directory) is not a classifier saved by text-transfer train")
        }
        let description: ClassifierDescription
        do {
            description = try JSONDecoder().decode(ClassifierDescription.self, from: data)
        } catch {
            throw ModelFileError(file: descriptionPath, message: "not a valid classifier description: \(error)")
        }
        if description.encoder != .transformer { try description.validate(path: descriptionPath, maxPositions: nil) }
        let tokenizer: any TextTokenizer = try description.wordSegmentation.map { try WordTokenizer(file: path(wordsFile), options: $0) }
            ?? BertTokenizer(directory: directory)
        guard tokenizer.fingerprint == description.tokenizerFingerprint else {
            throw ModelFileError(file: directory, key: "tokenizer_fingerprint",
                                 message: "the tokenizer files give fingerprint \(tokenizer.fingerprint), but the classifier was trained with \(description.tokenizerFingerprint): they differ in vocabulary or normalization")
        }
        guard let (weights, _) = ModelWeightsFile.locate(in: directory) else { throw ModelWeightsFile.missing(in: directory) }
        return (description, tokenizer, try SafetensorsReader(path: weights))
    }
}
