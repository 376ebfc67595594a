import Foundation
import XCTest
import TextTransfer

/// Loading Hugging Face directories: checkpoint keys with or without the `bert.` prefix, missing tensors.
final class ModelDirectoryTests: XCTestCase {
    var scratch: String!

    override func setUpWithError() throws {
        scratch = NSTemporaryDirectory() + "models-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: scratch) }

    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "a", "b"]

    /// A tiny BERT (C 8, 2 heads, 1 layer, F 16) with seeded random weights, keys prefixed by `prefix`.
    func writeTinyModel(named name: String, prefix: String, dropping: String? = nil) throws -> String {
        let dir = scratch + "/" + name
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try #"{"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "max_position_embeddings": 16, "type_vocab_size": 2, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}"#
            .write(toFile: dir + "/config.json", atomically: true, encoding: .utf8)
        try (Self.vocabulary.joined(separator: "\n") + "\n").write(toFile: dir + "/vocab.txt", atomically: true, encoding: .utf8)
        var shapes: [String: [Int]] = [
            "embeddings.word_embeddings.weight": [10, 8], "embeddings.position_embeddings.weight": [16, 8],
            "embeddings.token_type_embeddings.weight": [2, 8], "pooler.dense.weight": [8, 8], "pooler.dense.bias": [8],
        ]
        for norm in ["embeddings.LayerNorm", "encoder.layer.0.attention.output.LayerNorm", "encoder.layer.0.output.LayerNorm"] {
            shapes[norm + ".weight"] = [8]
            shapes[norm + ".bias"] = [8]
        }
        for (linear, shape) in [("attention.self.query", [8, 8]), ("attention.self.key", [8, 8]), ("attention.self.value", [8, 8]),
                                ("attention.output.dense", [8, 8]), ("intermediate.dense", [16, 8]), ("output.dense", [8, 16])] {
            shapes["encoder.layer.0.\(linear).weight"] = shape
            shapes["encoder.layer.0.\(linear).bias"] = [shape[0]]
        }
        var generator = SplitMix(state: 7)
        var tensors: [String: Tensor] = ["cls.predictions.bias": Tensor(zeros: [10])]  // a task head the encoder ignores
        for (key, shape) in shapes.sorted(by: { $0.key < $1.key }) where key != dropping {
            tensors[prefix + key] = Tensor(shape: shape, values: (0..<shape.reduce(1, *)).map { _ in Float.random(in: -0.5...0.5, using: &generator) })
        }
        try SafetensorsWriter.write(tensors, to: dir + "/model.safetensors")
        return dir
    }

    func testKeysLoadWithOrWithoutTheBertPrefix() throws {
        let plain = try SentenceEncoder(directory: writeTinyModel(named: "plain", prefix: ""))
        let prefixed = try SentenceEncoder(directory: writeTinyModel(named: "prefixed", prefix: "bert."))
        let texts = ["hello world", "a b hellos", ""]
        XCTAssertEqual(plain.embed(texts), prefixed.embed(texts))
        XCTAssertEqual(plain.maxLength, 16, "without sentence-transformers files, the model's positions bound the length")
        XCTAssertFalse(plain.normalize)
        XCTAssertTrue(plain.embed(["hello"])[0].allSatisfy { $0.isFinite })
    }

    func testMissingTensorIsNamedWithBothSpellings() throws {
        let dir = try writeTinyModel(named: "missing", prefix: "bert.", dropping: "encoder.layer.0.output.dense.bias")
        XCTAssertThrowsError(try SentenceEncoder(directory: dir)) { error in
            XCTAssertEqual("\(error)", "\(dir)/model.safetensors: 'encoder.layer.0.output.dense.bias': missing tensor (also looked for bert.encoder.layer.0.output.dense.bias)")
        }
    }
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
