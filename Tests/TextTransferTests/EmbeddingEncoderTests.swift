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
