import Foundation
import XCTest
import TextTransfer
import TextTransferCore
import TextTransferIO
import TextTransferTraining
import TextTransferTestSupport

/// all-MiniLM-L6-v2 against sentence-transformers and transformers (Tools/golden/make_encoder_fixtures.py).
final class EncoderParityTests: XCTestCase {
    static func fixture() throws -> (texts: [String], reader: SafetensorsReader) {
        let jsonl = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/encoder_parity", withExtension: "jsonl"))
        let texts = try String(contentsOf: jsonl, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.isEmpty }.map { try JSONDecoder().decode(FixtureText.self, from: Data($0.utf8)).text }
        let tensors = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/encoder_parity", withExtension: "safetensors"))
        return (texts, try SafetensorsReader(path: tensors.path))
    }

    func testSentenceEmbeddingsMatchSentenceTransformers() throws {
        let encoder = try ModelFixture.encoder()
        let (texts, reader) = try Self.fixture()
        XCTAssertGreaterThanOrEqual(texts.count, 200)
        let expected = try reader.tensor("embeddings")
        XCTAssertEqual(expected.shape, [texts.count, 384])
        let ours = encoder.embed(texts)
        var worstCosine: Float = 1, worstDifference: Float = 0
        for (i, vector) in ours.enumerated() {
            let reference = expected[row: i].values
            worstCosine = min(worstCosine, cosine(vector, reference))
            worstDifference = max(worstDifference, zip(vector, reference).map { abs($0 - $1) }.max()!)
        }
        XCTAssertGreaterThanOrEqual(worstCosine, 0.99999)
        XCTAssertLessThanOrEqual(worstDifference, 1e-5)
        print("embedding parity over \(texts.count) texts: min cosine \(worstCosine), max abs difference \(worstDifference)")
    }

    func testLastHiddenStatesMatchTransformers() throws {
        let encoder = try ModelFixture.encoder()
        let (texts, reader) = try Self.fixture()
        let ours = encoder.lastHiddenStates(Array(texts[0..<4]))
        for k in 0..<4 {
            let expected = try reader.tensor("hidden.\(k)")
            XCTAssertEqual(ours[k].count, expected.count, "tokens of text \(k)")
            let difference = zip(ours[k], expected.values).map { abs($0 - $1) }.max()!
            XCTAssertLessThanOrEqual(difference, 1e-4, "hidden states of \(texts[k].debugDescription)")
        }
    }

    func testClsAndPoolerMatchTransformers() throws {
        _ = try ModelFixture.encoder()
        let (texts, reader) = try Self.fixture()
        for (pooling, key) in [(Pooling.cls, "cls"), (.pooler, "pooler")] {
            let encoder = try SentenceEncoder(directory: ModelFixture.directory, pooling: pooling, normalize: false)
            let ours = encoder.embed(Array(texts[0..<4]))
            let expected = try reader.tensor(key)
            for k in 0..<4 {
                let difference = zip(ours[k], expected[row: k].values).map { abs($0 - $1) }.max()!
                XCTAssertLessThanOrEqual(difference, 1e-4, "\(key) of text \(k)")
            }
        }
    }

    func testEmptyTextEmbedsLikeSentenceTransformers() throws {
        let encoder = try ModelFixture.encoder()
        let (texts, reader) = try Self.fixture()
        XCTAssertEqual(texts[1], "")
        let ours = encoder.embed([""])[0]
        XCTAssertLessThanOrEqual(zip(ours, try reader.tensor("embeddings")[row: 1].values).map { abs($0 - $1) }.max()!, 1e-5)
    }

    func testSharedAcrossThreadsGivesTheSameEmbeddings() throws {
        let encoder = try ModelFixture.encoder()
        let texts = try Array(Self.fixture().texts[0..<40])
        let alone = encoder.embed(texts, batchSize: 8)
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 4) { i in results.set(i, encoder.embed(texts, batchSize: 8)) }
        for i in 0..<4 { XCTAssertEqual(results.get(i), alone, "thread \(i)") }
    }

    func testBatchingAndOrderDoNotChangeResults() throws {
        let encoder = try ModelFixture.encoder()
        let texts = try Array(Self.fixture().texts[0..<20])
        let batched = encoder.embed(texts, batchSize: 7)
        let single = texts.map { encoder.embed([$0])[0] }
        for (a, b) in zip(batched, single) { XCTAssertLessThanOrEqual(zip(a, b).map { abs($0 - $1) }.max()!, 2e-6) }
    }

    /// A model whose 1_Pooling/config.json asks for max pooling is embedded with max pooling, as
    /// sentence-transformers does (the fixture's max_embeddings come from such a copy).
    func testMaxPoolingFromThePoolingConfigMatchesSentenceTransformers() throws {
        try PretrainedModel.require()
        let (texts, reader) = try Self.fixture()
        let expected = try reader.tensor("max_embeddings")
        let dir = NSTemporaryDirectory() + "max-pooling-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/1_Pooling", withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: ModelFixture.directory) where name != "1_Pooling" {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: ModelFixture.directory + "/" + name)
        }
        try #"{"word_embedding_dimension": 384, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": false, "pooling_mode_max_tokens": true}"#
            .write(toFile: dir + "/1_Pooling/config.json", atomically: true, encoding: .utf8)
        let encoder = try SentenceEncoder(directory: dir)
        XCTAssertEqual(encoder.pooling, .max)
        let ours = encoder.embed(Array(texts.prefix(expected.shape[0])))
        var worst: Float = 0
        for (i, vector) in ours.enumerated() {
            worst = max(worst, zip(vector, expected[row: i].values).map { abs($0 - $1) }.max()!)
        }
        XCTAssertLessThanOrEqual(worst, 1e-5)
        print("max pooling parity over \(ours.count) texts: max abs difference \(worst)")
    }
}

private final class Results: @unchecked Sendable {
    private var values: [Int: [[Float]]] = [:]
    private let lock = NSLock()
    func set(_ i: Int, _ v: [[Float]]) { lock.lock(); values[i] = v; lock.unlock() }
    func get(_ i: Int) -> [[Float]]? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

func cosine(_ a: [Float], _ b: [Float]) -> Float {
    var dot: Double = 0, na: Double = 0, nb: Double = 0
    for i in a.indices { dot += Double(a[i] * b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
    return Float(dot / (na * nb).squareRoot())
}
