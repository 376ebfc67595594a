import Foundation
import XCTest
@testable import TextTransfer
import TextTransferCore
import TextTransferEmbeddings
import TextTransferIO
import TextTransferTokenization
import TextTransferTestSupport

/// The static distillation against model2vec 0.10.0 itself (Tools/golden/make_static_fixtures.py): its
/// vocabulary, its per-token forward pass on all-MiniLM-L6-v2, its PCA and SIF weights, and
/// StaticModel.encode. The whole 30k-token distillation is compared in BENCHMARKS.md (it takes a minute).
final class StaticEmbeddingTests: XCTestCase {
    struct Fixture: Decodable {
        var vocabulary: [String]
        var sample_rows: [Int]
        var texts: [String]
    }

    static func fixture() throws -> (Fixture, SafetensorsReader) {
        let json = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/static_parity", withExtension: "json"))
        let tensors = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/static_parity", withExtension: "safetensors"))
        return (try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: json)), try SafetensorsReader(path: tensors.path))
    }

    func testTheVocabularyAndEachTokensForwardPassAreModel2vecs() throws {
        let model = try ModelFixture.encoder()
        let (fixture, reader) = try Self.fixture()
        let kept = StaticDistillation.keptTokens(model.tokenizer)
        XCTAssertEqual(kept.tokens, fixture.vocabulary, "[unused…], [CLS], [SEP] and [MASK] dropped, in id order")
        let means = StaticDistillation.tokenMeans(fixture.sample_rows.map { kept.ids[$0] }, encoder: model.encoder, tokenizer: model.tokenizer)
        let expected = try reader.tensor("token_means").values
        XCTAssertEqual(means.count, expected.count)
        let worst = zip(means, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 1e-4, "the mean of [CLS] token [SEP]'s hidden states")
    }

    func testPCAAndSIFWeightsAreModel2vecs() throws {
        let (_, reader) = try Self.fixture()
        let input = try reader.tensor("pca_input"), expected = try reader.tensor("pca_output")
        let ours = StaticDistillation.postProcess(input.values, count: 300, width: 16, dimensions: 8, sifCoefficient: nil)
        XCTAssertEqual(ours.count, expected.count)
        for (i, (a, b)) in zip(ours, expected.values).enumerated() where abs(a - b) > 1e-4 * max(1, abs(b)) {
            return XCTFail("projection \(i / 8), component \(i % 8): \(a), model2vec \(b) (a component's sign or order differs)")
        }
        let weights = StaticDistillation.sifWeights(count: 300, coefficient: 1e-4)
        for (a, b) in zip(weights, try reader.tensor("sif_weights").values) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testATableSavedHereEncodesAsStaticModelEncodes() throws {
        let model = try ModelFixture.encoder()
        let (fixture, reader) = try Self.fixture()
        // model2vec encoded with row r, column c = sin(0.01 (r + 1)(c + 1)): the same table here.
        var values = [Float](repeating: 0, count: fixture.vocabulary.count * 8)
        for r in 0..<fixture.vocabulary.count { for c in 0..<8 { values[r * 8 + c] = Float(sin(0.01 * Double((r + 1) * (c + 1)))) } }
        let wordPiece = try WordPiece(vocabulary: Vocabulary(tokens: fixture.vocabulary))
        let tokenizer = try BertTokenizer(wordPiece: wordPiece, normalizer: model.tokenizer.normalizer, classifierToken: nil, separatorToken: nil,
                                          addedTokens: ["[PAD]", "[UNK]"])
        let scratch = NSTemporaryDirectory() + "static-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try StaticEmbeddingModel(tokenizer: tokenizer, table: Tensor(shape: [fixture.vocabulary.count, 8], values: values)).write(to: scratch)
        XCTAssertTrue(StaticEmbeddingModel.isStatic(directory: scratch))
        let loaded = try StaticEmbeddingModel(directory: scratch)
        XCTAssertEqual(loaded.tokenizer.fingerprint, tokenizer.fingerprint, "tokenizer.json round trip")
        let ours = loaded.embed(fixture.texts), expected = try reader.tensor("formula_embeddings")
        for (i, vector) in ours.enumerated() {
            let difference = zip(vector, expected[row: i].values).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(difference, 1e-5, "text \(i): \(fixture.texts[i].debugDescription)")
        }
        XCTAssertEqual(ours[1], [Float](repeating: 0, count: 8), "an empty text embeds as zeros")
    }

    func testAWordsVectorIsTheMeanOfItsPiecesForwardPassAsATokensIs() throws {
        let model = try ModelFixture.encoder()
        let words = ["film", "masterful", "unwatchable"]
        // Three words and 384 dimensions: no PCA, the raw means.
        let vectors = try StaticDistillation.wordVectors(words, from: ModelFixture.directory, dimensions: 384)
        XCTAssertEqual(vectors.words, words)
        XCTAssertEqual(vectors.dimension, 384)
        let film = try XCTUnwrap(model.tokenizer.vocabulary.id("film"))
        let expected = StaticDistillation.tokenMeans([film], encoder: model.encoder, tokenizer: model.tokenizer)
        let worst = zip(try XCTUnwrap(vectors.vector(for: "film")), expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(worst, 1e-4, "a one-piece word's vector is its token's (model2vec's) mean")
        XCTAssertGreaterThan(model.tokenizer.encode("unwatchable").ids.count, 3, "a word of several pieces")
        let alone = try StaticDistillation.wordVectors(["unwatchable"], from: ModelFixture.directory, dimensions: 384)
        let drift = zip(try XCTUnwrap(alone.vector(for: "unwatchable")), try XCTUnwrap(vectors.vector(for: "unwatchable"))).map { abs($0 - $1) }.max()!
        XCTAssertLessThanOrEqual(drift, 1e-4, "each word is passed on its own: the batch it shares does not change it")
        let reduced = try StaticDistillation.wordVectors(words, from: ModelFixture.directory, dimensions: 2)
        XCTAssertEqual(reduced.dimension, 2, "PCA to the asked width")
        XCTAssertThrowsError(try StaticDistillation.wordVectors(words, from: ModelFixture.directory, dimensions: 0)) {
            XCTAssertTrue("\($0)".contains("dimensions"), "\($0)")
        }
    }

    func testABrokenStaticDirectoryNamesItsFileAndKey() throws {
        let scratch = NSTemporaryDirectory() + "static-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try Data(#"{"model_type": "bert"}"#.utf8).write(to: URL(fileURLWithPath: scratch + "/config.json"))
        XCTAssertThrowsError(try StaticEmbeddingModel(directory: scratch)) { XCTAssertTrue("\($0)".contains("model_type"), "\($0)") }
        XCTAssertThrowsError(try StaticDistillation.distill(from: scratch, dimensions: 0)) { XCTAssertTrue("\($0)".contains("dimensions"), "\($0)") }
    }
}
