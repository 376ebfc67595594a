import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining
import TextTransferTestSupport

/// The bilstm, gru and bag encoders over the model's WordPiece embeddings, through the fine-tuner:
/// they learn, save and reload with identical predictions (a bag with a hidden head layer too), and
/// --from-scratch replaces the embeddings.
final class EmbeddingEncoderTests: XCTestCase {
    func testEncodersTrainSaveAndReload() throws {
        let dir = NSTemporaryDirectory() + "embedding-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        let train = (0..<24).map { i in LabeledExample(text: (i % 2 == 0 ? "hello " : "world ") + ["a", "b", "a b", "b a"][(i / 2) % 4],
                                                       label: i % 2 == 0 ? "pos" : "neg", line: i + 2) }
        // The last bag has a ReLU layer before its logits; the loaded model must rebuild it from the settings.
        for (encoder, headHidden) in [(EncoderKind.bilstm, nil), (.gru, nil), (.bag, nil), (.bag, 5)] as [(EncoderKind, Int?)] {
            var c = FineTuningConfiguration()
            c.model = dir + "/base"
            c.encoder = encoder
            c.headHidden = headHidden
            c.hiddenSize = 6
            c.epochs = 25
            c.batchSize = 8
            c.headLearningRate = 3e-2
            let tuner = try FineTuner(configuration: c)
            let result = try tuner.train(train: train, dev: Array(train.prefix(4)))
            XCTAssertEqual(result.best?.accuracy, 1, "\(encoder)")
            let model = try XCTUnwrap(tuner.embeddingClassifier)
            XCTAssertNil(tuner.classifier)
            // Pretrained: the table starts as the model's word embeddings (then trains).
            XCTAssertEqual(model.store.parameter("embedding.weight")?.shape, [10, 8])
            XCTAssertEqual(model.store.parameter("head.weight")?.shape, headHidden.map { [$0, 8] }, "\(encoder)")
            let saved = dir + "/" + encoder.rawValue + (headHidden.map { "-head\($0)" } ?? "")
            try tuner.save(to: saved)
            let loaded = try TextClassifier(directory: saved)
            XCTAssertNil(loaded.encoder)
            let texts = ["hello b", "world a", "hello"]
            let inMemory = model.logits(TokenBatch(encodings: texts.map { tuner.tokenizer.encode($0, maxLength: 128) }))
            for (p, z) in zip(loaded.predict(texts), inMemory) {
                XCTAssertEqual(p.probabilities, loaded.head.probabilities(z[...]), "\(encoder)")
            }
        }
        var scratch = FineTuningConfiguration()
        scratch.model = dir + "/base"
        scratch.encoder = .bag
        scratch.fromScratch = true
        scratch.epochs = 1
        scratch.freezeEmbeddings = true
        let tuner = try FineTuner(configuration: scratch)
        _ = try tuner.train(train: train, dev: train)
        let base = try SafetensorsReader(path: dir + "/base/model.safetensors").tensor("embeddings.word_embeddings.weight").values
        XCTAssertNotEqual(tuner.embeddingClassifier!.store.value("embedding.weight").values, base, "from scratch: not the model's table")
    }
}

/// `embedding_width` below the model's width: the WordPiece table starts as its rows' principal
/// components (the first column spreads most), trains, saves and reloads at that width; a wider one is refused.
final class ReducedEmbeddingTests: XCTestCase {
    func testTheWordPieceTableIsReducedByPCAAndReloads() throws {
        let dir = NSTemporaryDirectory() + "reduced-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try TinyBert.write(to: dir + "/base")
        let train = (0..<16).map { i in LabeledExample(text: i % 2 == 0 ? "hello a" : "world b", label: i % 2 == 0 ? "pos" : "neg", line: i + 2) }
        var c = FineTuningConfiguration()
        c.model = dir + "/base"
        c.encoder = .bilstm
        c.hiddenSize = 4
        c.embeddingWidth = 3
        c.epochs = 1
        c.headLearningRate = 0  // the table as it starts
        let tuner = try FineTuner(configuration: c)
        _ = try tuner.train(train: train, dev: train)
        let table = try XCTUnwrap(tuner.embeddingClassifier).store.value("embedding.weight")
        XCTAssertEqual(table.shape, [10, 3])
        func variance(_ column: Int) -> Double {
            let values = (0..<10).map { Double(table.pointer[$0 * 3 + column]) }
            let mean = values.reduce(0, +) / 10
            return values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        XCTAssertEqual((0..<10).map { Double(table.pointer[$0 * 3]) }.reduce(0, +), 0, accuracy: 1e-4, "centred")
        XCTAssertGreaterThanOrEqual(variance(0), variance(1))
        XCTAssertGreaterThanOrEqual(variance(1), variance(2))
        XCTAssertGreaterThan(variance(2), 0)
        try tuner.save(to: dir + "/reduced")
        let loaded = try TextClassifier(directory: dir + "/reduced")
        let inMemory = tuner.embeddingClassifier!.logits(TokenBatch(encodings: [tuner.tokenizer.encode("hello b", maxLength: 16)]))
        XCTAssertEqual(loaded.predict(["hello b"])[0].probabilities, loaded.head.probabilities(inMemory[0][...]))

        c.embeddingWidth = 9  // the tiny model's embeddings are 8 wide
        XCTAssertThrowsError(try FineTuner(configuration: c).train(train: train, dev: train)) { error in
            XCTAssertEqual((error as? ConfigurationError)?.key, "embedding_width", "\(error)")
        }
    }
}
