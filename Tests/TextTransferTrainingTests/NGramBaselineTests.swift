import XCTest
@testable import TextTransferTraining
import TextTransferTokenization
import TextTransferEmbeddings

/// The fastText-style from-scratch baseline of the transfer verdict.
final class NGramBaselineTests: XCTestCase {
    var small: NGramBaseline.Settings {
        var s = NGramBaseline.Settings()
        (s.buckets, s.dimension, s.epochs) = (1 << 12, 8, 20)
        return s
    }

    func testFeaturesAreWordsWordBigramsAndCharacterNGramsAsFastTextHashesThem() throws {
        let segmenter = try ICUWordSegmenter(options: .forWordVectors)
        var s = small
        (s.minCharNGram, s.maxCharNGram) = (0, 0)
        let ids = NGramBaseline.features("Hello world", segmenter: segmenter, settings: s)
        // FNV-1a of "hello" is 0x4f9f2cab (case-folded first); the bigram is fastText's h · 116049371 + h'.
        let hello = UInt32(0x4f9f_2cab), world = FastTextSubwords.hash(Array("world".utf8))
        let bigram = UInt64(bitPattern: Int64(Int32(bitPattern: hello))) &* 116_049_371 &+ UInt64(bitPattern: Int64(Int32(bitPattern: world)))
        XCTAssertEqual(ids, [Int(hello % 4096), Int(world % 4096), Int(bigram % 4096)])
        (s.minCharNGram, s.maxCharNGram) = (3, 3)
        s.wordNGrams = 1
        // "<ab>": the 3-grams "<ab" and "ab>".
        XCTAssertEqual(NGramBaseline.features("ab", segmenter: segmenter, settings: s).count, 1 + 2)
        XCTAssertFalse(NGramBaseline.features("สวัสดีครับ", segmenter: segmenter, settings: s).isEmpty, "Thai words and their n-grams")
    }

    func testAFewShotSampleIsTrainedForEnoughUpdates() throws {
        // Four examples a class: fastText's 5 passes are 60 updates, which leave every logit near zero.
        let cues = ["who", "where", "when"], fillers = ["was it", "is the tower", "did they go", "does it open"]
        let texts = cues.flatMap { cue in fillers.map { "\(cue) \($0)" } }
        let labels = cues.indices.flatMap { [Int](repeating: $0, count: fillers.count) }
        var s = NGramBaseline.Settings()
        (s.buckets, s.dimension) = (1 << 12, 8)
        let model = try NGramBaseline(texts: texts, labels: labels, classes: 3, settings: s)
        XCTAssertEqual(model.predict(["who wrote it", "where is the river", "when was the war"]), [0, 1, 2])
        XCTAssertGreaterThan(model.logits(["who wrote it"])[0].max()! - model.logits(["who wrote it"])[0].min()!, 1, "trained well past zero")
    }

    func testItLearnsWordsThatCarryTheLabelAndIsSeeded() throws {
        let good = ["a good film", "good acting", "really good", "good story", "so good"]
        let bad = ["a bad film", "bad acting", "really bad", "bad story", "so bad"]
        let texts = good + bad, labels = [Int](repeating: 1, count: 5) + [Int](repeating: 0, count: 5)
        let model = try NGramBaseline(texts: texts, labels: labels, classes: 2, settings: small)
        XCTAssertEqual(model.predict(["good music", "bad music", "the story was good"]), [1, 0, 1])
        let again = try NGramBaseline(texts: texts, labels: labels, classes: 2, settings: small)
        XCTAssertEqual(model.logits(["so so"]), again.logits(["so so"]), "the same seed trains the same model")
        var wrong = small
        wrong.learningRate = .nan
        XCTAssertThrowsError(try NGramBaseline(texts: texts, labels: labels, classes: 2, settings: wrong))
    }
}
