import Foundation
import TextTransferCore
import TextTransferIO
import TextTransferTraining

/// A saved classifier (or its encoder) rewritten for the Python world, so that transformers and
/// sentence-transformers compute what `TextClassifier` and `SentenceEncoder` compute:
///
/// - `.huggingFace`: a classifier pooled with the BERT pooler and an unnormalized softmax, multi-label
///   or regression head is exactly `BertForSequenceClassification`, and is written as one; any other
///   (mean, max or [CLS] pooling, a normalized head, the ordinal head) carries `modeling_text_transfer.py`
///   and loads with `AutoModelForSequenceClassification.from_pretrained(dir, trust_remote_code=True)` —
///   transformers' own class would pool differently (huggingface/transformers#16651). Either way
///   config.json has `id2label`, `label2id` and `problem_type`, and the weights say `format: pt`.
/// - `.sentenceTransformers`: the encoder alone with its pooling (the pooler as [CLS] then a tanh
///   Dense module), normalized if the head normalizes.
public enum HuggingFaceExport {
    public enum Format: String, Sendable, CaseIterable {
        case huggingFace = "hf"
        case sentenceTransformers = "sentence-transformers"
    }

    /// Marks a directory as an export (what `text-transfer export` may replace) and records its source.
    public static let markerFile = "text_transfer_export.json"

    /// What an export is, for the marker file and the command's report.
    public struct Summary: Codable, Sendable, Equatable {
        public var format: String
        public var source: String
        public var task: String?
        public var head: String
        public var pooling: String
        /// The Python that loads it.
        public var loadsWith: String

        enum CodingKeys: String, CodingKey { case format, source, task, head, pooling, loadsWith = "loads_with" }
    }

    /// Writes the export of the classifier in `source` (the head of `task` for a multi-task one) into
    /// the empty directory `directory` (an `OutputDirectory`'s staging folder).
    @discardableResult
    public static func write(_ format: Format, from source: String, task: String? = nil, to directory: String) throws -> Summary {
        let descriptionPath = (source as NSString).appendingPathComponent(ClassifierDescription.fileName)
        let (stored, _, reader) = try ClassifierDirectory.read(source)
        let description = try stored.selecting(task: task, path: descriptionPath)
        guard description.encoder == .transformer else {
            throw ModelFileError(file: descriptionPath, key: "encoder",
                                 message: "is \(description.encoder.rawValue): only Transformer classifiers have a Hugging Face form")
        }
        guard description.kernel == nil else {
            throw ModelFileError(file: descriptionPath, key: "kernel",
                                 message: "is a transfer-kernel classifier: its Nyström kernel head has no Hugging Face form (predict, evaluate and serve read it)")
        }
        try reader.requireFinite()
        let summary: Summary
        switch format {
        case .huggingFace: summary = try writeClassifier(description, reader: reader, source: source, to: directory)
        case .sentenceTransformers: summary = try writeSentenceEncoder(description, reader: reader, source: source, to: directory)
        }
        try copyTokenizer(from: source, to: directory, maxLength: description.maxLength)
        let json = JSONEncoder()
        json.outputFormatting = [.prettyPrinted, .sortedKeys]
        try json.encode(summary).write(to: URL(fileURLWithPath: path(directory, markerFile)))
        return summary
    }

    private static func writeClassifier(_ description: ClassifierDescription, reader: SafetensorsReader, source: String,
                                        to directory: String) throws -> Summary {
        let head = description.head
        let exact = description.pooling == .pooler && !(description.normalize ?? false) && head != .ordinal
        var config = try encoderConfig(source)
        let labels = head == .regression ? Array(description.labels.prefix(1)) : description.labels
        config["id2label"] = Dictionary(uniqueKeysWithValues: labels.enumerated().map { (String($0.offset), $0.element) })
        config["label2id"] = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($0.element, $0.offset) })
        config["problem_type"] = switch head {
        case .softmax, .ordinal: "single_label_classification"
        case .multiLabel: "multi_label_classification"
        case .regression: "regression"
        }
        if exact {
            config["architectures"] = ["BertForSequenceClassification"]
        } else {
            config["model_type"] = HuggingFaceRemoteCode.modelType
            config["architectures"] = [HuggingFaceRemoteCode.modelClass]
            config["pooling"] = description.pooling.rawValue
            config["normalize"] = description.normalize ?? false
            config["head"] = head.rawValue
            let module = (HuggingFaceRemoteCode.fileName as NSString).deletingPathExtension
            config["auto_map"] = ["AutoConfig": "\(module).\(HuggingFaceRemoteCode.configClass)",
                                  "AutoModelForSequenceClassification": "\(module).\(HuggingFaceRemoteCode.modelClass)"]
            try Data(HuggingFaceRemoteCode.source.utf8).write(to: URL(fileURLWithPath: path(directory, HuggingFaceRemoteCode.fileName)))
        }
        try writeJSON(config, to: path(directory, "config.json"))
        var tensors: [String: Tensor] = [:]
        for (name, tensor) in try encoderTensors(reader, keepPooler: description.pooling == .pooler) { tensors["bert." + name] = tensor }
        tensors["classifier.weight"] = try reader.tensor(description.headPrefix + ".weight")
        tensors[head == .ordinal ? "thresholds" : "classifier.bias"] = try reader.tensor(description.headPrefix + ".bias")
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: path(directory, "model.safetensors"))
        return Summary(format: Format.huggingFace.rawValue, source: source, task: description.selectedTask, head: head.rawValue,
                       pooling: description.pooling.rawValue,
                       loadsWith: exact ? "AutoModelForSequenceClassification.from_pretrained(DIR)"
                                        : "AutoModelForSequenceClassification.from_pretrained(DIR, trust_remote_code=True)")
    }

    private static func writeSentenceEncoder(_ description: ClassifierDescription, reader: SafetensorsReader, source: String,
                                             to directory: String) throws -> Summary {
        var config = try encoderConfig(source)
        config["architectures"] = ["BertModel"]
        try writeJSON(config, to: path(directory, "config.json"))
        let tensors = try encoderTensors(reader, keepPooler: true)  // sentence-transformers loads BertModel with its pooler
        try SafetensorsWriter.write(tensors, metadata: ["format": "pt"], to: path(directory, "model.safetensors"))
        let width = try reader.tensor("embeddings.word_embeddings.weight").shape[1]
        let pooling = description.pooling
        var modules: [[String: Any]] = [
            ["idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"],
            ["idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"],
        ]
        try FileManager.default.createDirectory(atPath: path(directory, "1_Pooling"), withIntermediateDirectories: true)
        try writeJSON(["word_embedding_dimension": width, "pooling_mode_cls_token": pooling == .cls || pooling == .pooler,
                       "pooling_mode_mean_tokens": pooling == .mean, "pooling_mode_max_tokens": pooling == .max,
                       "pooling_mode_mean_sqrt_len_tokens": false], to: path(directory, "1_Pooling/config.json"))
        if pooling == .pooler {
            // BERT's pooler is tanh(W · h[CLS] + b): sentence-transformers' Dense module with a tanh.
            let dense = path(directory, "2_Dense")
            try FileManager.default.createDirectory(atPath: dense, withIntermediateDirectories: true)
            try writeJSON(["in_features": width, "out_features": width, "bias": true,
                           "activation_function": "torch.nn.modules.activation.Tanh"], to: path(dense, "config.json"))
            try SafetensorsWriter.write(["linear.weight": try reader.tensor("pooler.dense.weight"),
                                         "linear.bias": try reader.tensor("pooler.dense.bias")],
                                        metadata: ["format": "pt"], to: path(dense, "model.safetensors"))
            modules.append(["idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"])
        }
        if description.normalize ?? false {
            modules.append(["idx": modules.count, "name": "\(modules.count)", "path": "\(modules.count)_Normalize",
                            "type": "sentence_transformers.models.Normalize"])
        }
        try writeJSON(modules, to: path(directory, "modules.json"))
        try writeJSON(["max_seq_length": description.maxLength, "do_lower_case": false], to: path(directory, "sentence_bert_config.json"))
        return Summary(format: Format.sentenceTransformers.rawValue, source: source, task: description.selectedTask,
                       head: "none (the encoder alone)", pooling: pooling.rawValue, loadsWith: "SentenceTransformer(DIR)")
    }

    /// The encoder's tensors by their BertModel names: everything but the classifier heads (and the
    /// pooler unless it is used, so that transformers reports no unused weights).
    private static func encoderTensors(_ reader: SafetensorsReader, keepPooler: Bool) throws -> [String: Tensor] {
        var tensors: [String: Tensor] = [:]
        for name in reader.names where !name.hasPrefix("classifier") && (keepPooler || !name.hasPrefix("pooler.")) {
            tensors[name] = try reader.tensor(name)
        }
        return tensors
    }

    /// The encoder's config.json as transformers wrote it: the classifier's copy with TextTransfer's
    /// marks (`ClassifierDirectory.classifierConfig`) taken off again.
    private static func encoderConfig(_ source: String) throws -> [String: Any] {
        let file = path(source, "config.json")
        guard let data = readFileContents(atPath: file),
              var config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ModelFileError(file: file, message: "missing or not a JSON object: the classifier's encoder configuration is needed")
        }
        if let mark = config.removeValue(forKey: ClassifierDirectory.configMark) as? [String: Any] {
            config["model_type"] = mark["encoder_model_type"] as? String ?? "bert"
            config["architectures"] = mark["encoder_architectures"] ?? ["BertModel"]
        }
        return config
    }

    /// The tokenizer files, with the classifier's max length as the tokenizer's own, so that truncation
    /// in transformers matches.
    private static func copyTokenizer(from source: String, to directory: String, maxLength: Int) throws {
        for name in ["vocab.txt", "tokenizer.json", "special_tokens_map.json"] where FileManager.default.fileExists(atPath: path(source, name)) {
            try FileManager.default.copyItem(atPath: path(source, name), toPath: path(directory, name))
        }
        var settings: [String: Any] = ["tokenizer_class": "BertTokenizer", "do_lower_case": true]
        if let data = readFileContents(atPath: path(source, "tokenizer_config.json")),
           let stored = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            settings = stored
        }
        settings["model_max_length"] = maxLength
        try writeJSON(settings, to: path(directory, "tokenizer_config.json"))
    }

    private static func writeJSON(_ object: Any, to file: String) throws {
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: file))
    }

    private static func path(_ directory: String, _ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
}
