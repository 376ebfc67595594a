import Foundation
import TextTransferCore
import TextTransferIO

/// A tiny BERT directory (C 8, 2 heads, 1 layer unless asked for more, F 16, 10-token vocabulary, seeded random weights) for
/// tests that need a whole model but not a real one.
public enum TinyBert {
    public static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "a", "b"]

    /// Writes config.json, vocab.txt and model.safetensors (keys prefixed by `prefix`, `dropping` left out,
    /// plus a task-head tensor the encoder must ignore).
    public static func write(to dir: String, prefix: String = "", dropping: String? = nil, seed: UInt64 = 7, layers: Int = 1) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": \#(layers), "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}"#
            .write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        try (vocabulary.joined(separator: "\n") + "\n").write(toFile: dir + "/vocab.txt", atomically: true, encoding: .utf8)
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [10, 8], "embeddings.position_embeddings.weight": [16, 8],
            "embeddings.token_type_embeddings.weight": [2, 8], "pooler.dense.weight": [8, 8], "pooler.dense.bias": [8],
        ]
        let layerNorms = (0..<layers).flatMap { ["encoder.layer.\($0).attention.output.LayerNorm", "encoder.layer.\($0).output.LayerNorm"] }
        for norm in ["embeddings.LayerNorm"] + layerNorms {
            shapes[norm + ".weight"] = [8]
            shapes[norm + ".bias"] = [8]
        }
        for layer in 0..<layers {
            for (linear, shape) in [("attention.self.query", [8, 8]), ("attention.self.key", [8, 8]), ("attention.self.value", [8, 8]),
                                    ("attention.output.dense", [8, 8]), ("intermediate.dense", [16, 8]), ("output.dense", [8, 16])] {
                shapes["encoder.layer.\(layer).\(linear).weight"] = shape
                shapes["encoder.layer.\(layer).\(linear).bias"] = [shape[0]]
            }
        }
        var generator = RandomGenerator(seed: seed)
        var tensors: [String: Tensor] = ["cls.predictions.bias": Tensor(zeros: [10])]
        for (key, shape) in shapes.sorted(by: { $0.key < $1.key }) where key != dropping {
            tensors[prefix + key] = Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in generator.nextUnitFloat() - 0.5 })
        }
        try SafetensorsWriter.write(tensors, to: dir + "/model.safetensors")
    }
}
