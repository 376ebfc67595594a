import Foundation
import XCTest
import TextTransfer
import TextTransferTestSupport

/// bilstm, gru and bag over ICU word tokens with a real GloVe file: rows start as the file's vectors,
/// freezing keeps them bit-identical, unfreezing after N epochs trains them, and the saved classifier
/// (words.txt + segmentation options) reloads with identical predictions and refuses a changed vocabulary.
final class WordVectorEncoderTests: XCTestCase {
    private func examples() throws -> [LabeledExample] {
        let path = try TestData.path("Examples/sst2/train.tsv")
        return Array(try readLabeledExamples(path: path, textColumn: "text", labelColumn: "label").prefix(64))
    }

    private func configuration(_ encoder: EncoderKind, glove: String) -> FineTuningConfiguration {
        var c = FineTuningConfiguration()
        c.model = "unused: word tokens need no Transformer"
        c.encoder = encoder
        c.embeddings = glove
        c.hiddenSize = 8
        c.epochs = 2
        c.batchSize = 16
        return c
    }

    func testWordVectorsStartTheTableAndTheClassifierRoundTrips() throws {
        let glove = try TestData.path("Tests/Data/word_vectors/glove.6B.50d.top2445.txt")
        let vectors = try WordVectors(contentsOf: glove)
        let train = try examples()
        let dir = NSTemporaryDirectory() + "word-vectors-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for encoder in [EncoderKind.bilstm, .gru, .bag] {
            var c = configuration(encoder, glove: glove)
            c.freezeEmbeddings = true
            // With a learning rate of 0 nothing moves: that run's table is the initial one.
            var still = c
            (still.headLearningRate, still.epochs) = (0, 1)
            let initial = try FineTuner(configuration: still)
            _ = try initial.train(train: train, dev: Array(train.prefix(16)))
            let initialTable = initial.embeddingClassifier!.store.value("embedding.weight")
            let initialUnknown = Array(UnsafeBufferPointer(start: initialTable.pointer + 50, count: 50))
            let tuner = try FineTuner(configuration: c)
            var lines: [String] = []
            _ = try tuner.train(train: train, dev: Array(train.prefix(16)), log: { lines.append($0) })
            XCTAssertTrue(lines.contains { $0.hasPrefix("train: ") && $0.contains("word types") }, "coverage report printed")
            let words = try XCTUnwrap(tuner.tokenizer as? WordTokenizer)
            let model = try XCTUnwrap(tuner.embeddingClassifier)
            let table = model.store.value("embedding.weight")
            XCTAssertEqual(table.shape, [words.words.count, 50])
            // Frozen: every word the file has is still exactly its GloVe vector after training.
            var checked = 0
            for (i, w) in words.words.enumerated() where i >= 3 {
                guard let v = vectors.vector(for: w) else { continue }
                XCTAssertEqual(Array(UnsafeBufferPointer(start: table.pointer + i * 50, count: 50)), v, w)
                checked += 1
            }
            XCTAssertGreaterThan(checked, 100)
            // ... while the unknown vector (row 1) trained.
            XCTAssertNotEqual(Array(UnsafeBufferPointer(start: table.pointer + 50, count: 50)), initialUnknown, "\(encoder): <unk> trains")
            try tuner.save(to: dir + "/" + encoder.rawValue)
            let loaded = try TextClassifier(directory: dir + "/" + encoder.rawValue)
            XCTAssertTrue(loaded.tokenizer is WordTokenizer)
            let texts = ["a gorgeous , witty film", "dull and lifeless", ""]
            let inMemory = model.logits(TokenBatch(encodings: texts.map { tuner.tokenizer.encode($0, maxLength: 128) }))
            for (p, z) in zip(loaded.predict(texts), inMemory) {
                XCTAssertEqual(p.probabilities, loaded.head.probabilities(z[...]), "\(encoder)")
            }
        }
        // A different vocabulary file under the same description is refused.
        let wordsFile = dir + "/bag/words.txt"
        let original = try String(contentsOfFile: wordsFile, encoding: .utf8)
        try (original + "extra\n").write(toFile: wordsFile, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try TextClassifier(directory: dir + "/bag")) { error in
            XCTAssertTrue("\(error)".contains("fingerprint"), "\(error)")
        }
    }

    func testTheFilesFirstWordsJoinTheVocabulary() throws {
        let glove = try TestData.path("Tests/Data/word_vectors/glove.6B.50d.top2445.txt")
        let vectors = try WordVectors(contentsOf: glove)
        var c = configuration(.bag, glove: glove)
        (c.epochs, c.vectorWords, c.freezeEmbeddings) = (1, 2445, true)
        let tuner = try FineTuner(configuration: c)
        _ = try tuner.train(train: try examples(), dev: try examples())
        let words = try XCTUnwrap(tuner.tokenizer as? WordTokenizer).words
        XCTAssertTrue(Set(vectors.words).isSubset(of: Set(words)))
        let table = tuner.embeddingClassifier!.store.value("embedding.weight")
        for w in ["zealand", vectors.words.last!] {
            let row = try XCTUnwrap(words.firstIndex(of: w), w)
            XCTAssertEqual(Array(UnsafeBufferPointer(start: table.pointer + row * 50, count: 50)), vectors.vector(for: w), w)
        }
    }

    func testEmbeddingsUnfreezeAfterTheGivenEpoch() throws {
        let glove = try TestData.path("Tests/Data/word_vectors/glove.6B.50d.top2445.txt")
        let train = try examples()
        var c = configuration(.bag, glove: glove)
        c.epochs = 1
        c.freezeEmbeddings = true
        let frozen = try FineTuner(configuration: c)
        _ = try frozen.train(train: train, dev: train)
        c.freezeEmbeddings = false
        c.unfreezeEmbeddingsAfter = 1
        let firstEpoch = try FineTuner(configuration: c)
        _ = try firstEpoch.train(train: train, dev: train)
        c.epochs = 2
        let secondEpoch = try FineTuner(configuration: c)
        _ = try secondEpoch.train(train: train, dev: train)
        // During epoch 1 the table is exactly the frozen run's; from epoch 2 on it trains.
        XCTAssertEqual(firstEpoch.embeddingClassifier!.store.value("embedding.weight").values,
                       frozen.embeddingClassifier!.store.value("embedding.weight").values)
        XCTAssertFalse(firstEpoch.embeddingClassifier!.pinnedRows.isEmpty)
        XCTAssertTrue(secondEpoch.embeddingClassifier!.pinnedRows.isEmpty)
    }
}
